import type Database from 'better-sqlite3';

/**
 * Prepared statements by SQL text, prepared once per database: preparing on every call costs
 * more than many of the statements themselves.
 */
export class Statements {
  private readonly cache = new Map<string, Database.Statement>();

  constructor(readonly db: Database.Database) {}

  get(sql: string): Database.Statement {
    let statement = this.cache.get(sql);
    if (!statement) {
      // Lists with a variable number of parameters make new texts: keep the cache bounded.
      if (this.cache.size >= 1000) this.cache.clear();
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }
}

import type Database from 'better-sqlite3';
import { GroupCommit, type GroupCommitOptions } from './group-commit';

/**
 * Prepared statements by SQL text, prepared once per database: preparing on every call costs
 * more than many of the statements themselves.
 */
export class Statements {
  private readonly cache = new Map<string, Database.Statement>();
  /** Writes of this connection, committed in groups (see {@link GroupCommit}). */
  readonly group: GroupCommit;

  constructor(
    readonly db: Database.Database,
    options: GroupCommitOptions = {},
  ) {
    this.group = new GroupCommit(db, options);
  }

  /** Runs a write in the next group commit; resolves once it is durable. */
  write<T>(op: () => T): Promise<T> {
    return this.group.write(op);
  }

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

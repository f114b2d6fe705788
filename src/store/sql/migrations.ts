// Versioned schema changes, applied the same way by SQLite and PostgreSQL: each engine runs the
// statements here in its own transaction (SQLite's immediate one, PostgreSQL's under an advisory
// lock) and applies the migrations `pendingMigrations` returns, in order.

/** One versioned schema change (SQL that may hold several statements). */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The statements on a migrations table, written with `?` placeholders. */
export interface MigrationsTable {
  /** Creates the table when missing. */
  create: string;
  /** The versions applied (column `version`). */
  applied: string;
  /** Records one applied: values `(version, name, applied_at)`. */
  record: string;
}

/**
 * The statements on the migrations table `table` (e.g. `schema_migrations`; a module with tables
 * of its own keeps its own). Throws on a name that is not plain lower case and underscores, as it
 * goes into SQL as it is.
 */
export function migrationsTable(table: string): MigrationsTable {
  if (!/^[a-z_]+$/.test(table)) throw new Error(`bad migrations table name ${table}`);
  return {
    create: `CREATE TABLE IF NOT EXISTS ${table} (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
    applied: `SELECT version FROM ${table}`,
    record: `INSERT INTO ${table} (version, name, applied_at) VALUES (?, ?, ?)`,
  };
}

/**
 * The migrations not applied yet, in order. Throws when the database has a version newer than
 * the newest this build knows (written by a newer build): nothing is to be touched then.
 *
 * @example
 * pendingMigrations(new Set([1]), MIGRATIONS, 'schema_migrations'); // versions 2… of MIGRATIONS
 */
export function pendingMigrations(
  applied: ReadonlySet<number>,
  migrations: readonly Migration[],
  table: string,
): Migration[] {
  const newest = migrations[migrations.length - 1]?.version ?? 0;
  const max = Math.max(0, ...applied);
  if (max > newest) {
    throw new Error(
      `database schema version ${max} (${table}) is newer than this build knows (${newest}); upgrade Suara`,
    );
  }
  return migrations.filter((m) => !applied.has(m.version));
}

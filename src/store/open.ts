import type { DatabaseConfig } from '../config/env';
import { CodedError } from '../errors';
import type { Backend } from './backend';
import { PgBackend } from './postgres/backend';
import { isUnavailable } from './postgres/db';
import { SqliteBackend } from './sqlite/backend';

/**
 * Opens every storage port on the database the configuration names (migrating its schema).
 * Throws CodedError `store_unavailable` with one line that says what could not be opened.
 *
 * @example
 * const backend = await openBackend({ kind: 'sqlite', path: 'data/suara.db' }, () => new Date());
 */
export async function openBackend(database: DatabaseConfig, clock: () => Date): Promise<Backend> {
  if (database.kind === 'sqlite') {
    try {
      return SqliteBackend.open({ path: database.path, clock });
    } catch (err) {
      // Not a database, a directory that is a file, no permission, a newer schema…
      throw new CodedError(
        'store_unavailable',
        `DATABASE_URL=${JSON.stringify(`sqlite:${database.path}`)}: cannot open the SQLite database: ${(err as Error).message}`,
      );
    }
  }
  if (database.kind === 'postgres') {
    try {
      return await PgBackend.open({
        url: database.url,
        poolMax: database.poolMax,
        ...(database.schema ? { schema: database.schema } : {}),
        clock,
      });
    } catch (err) {
      const what = isUnavailable(err) ? 'cannot reach PostgreSQL' : 'cannot open the database';
      throw new CodedError(
        'store_unavailable',
        `DATABASE_URL=${JSON.stringify(withoutPassword(database.url))}: ${what}: ${(err as Error).message}`,
      );
    }
  }
  throw new CodedError(
    'store_unavailable',
    'DATABASE_URL: the MongoDB store is not part of this build yet; use sqlite:<path> (the default) or postgres://…',
  );
}

/** A connection URL as it may be shown: the password replaced by `***`. */
function withoutPassword(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

import type { DatabaseConfig } from '../config/env';
import { CodedError } from '../errors';
import type { Backend } from './backend';
import { SqliteBackend } from './sqlite/backend';

/**
 * Opens every storage port on the database the configuration names.
 *
 * @example
 * const backend = openBackend({ kind: 'sqlite', path: 'data/suara.db' }, () => new Date());
 */
export function openBackend(database: DatabaseConfig, clock: () => Date): Backend {
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
  throw new CodedError(
    'store_unavailable',
    'DATABASE_URL: the MongoDB store is not part of this build yet; use sqlite:<path> (the default)',
  );
}

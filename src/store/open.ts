import type { DatabaseConfig } from '../config/env';
import { CodedError } from '../errors';
import type { Store } from './port';
import { SqliteStore } from './sqlite/sqlite-store';

/** Opens the store the configuration names. */
export function openStore(database: DatabaseConfig, clock: () => Date): Store {
  if (database.kind === 'sqlite') {
    try {
      return SqliteStore.open({ path: database.path, clock });
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

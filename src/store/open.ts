import type { DatabaseConfig } from '../config/env';
import { CodedError } from '../errors';
import type { Store } from './port';
import { SqliteStore } from './sqlite/sqlite-store';

/** Opens the store the configuration names. */
export function openStore(database: DatabaseConfig, clock: () => Date): Store {
  if (database.kind === 'sqlite') return SqliteStore.open({ path: database.path, clock });
  throw new CodedError(
    'store_unavailable',
    'DATABASE_URL: the MongoDB store is not part of this build yet; use sqlite:<path> (the default)',
  );
}

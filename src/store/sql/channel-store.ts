import { isExpired, type KeyValueStore } from '../channel-store';

// The `channel_data` table's statements and key-value space, the same in SQLite and PostgreSQL:
// SQL written with `?` placeholders (PostgreSQL runs it through `numbered`), and the space built
// on a few primitives each engine runs its own way.

/** An entry's row: values `(namespace, key)`. */
export const SELECT_ENTRY =
  'SELECT value, expires_at FROM channel_data WHERE namespace = ? AND key = ?';

/** Deletes an entry: values `(namespace, key)`. */
export const DELETE_ENTRY = 'DELETE FROM channel_data WHERE namespace = ? AND key = ?';

/** Deletes the entries expired at an instant: values `(epoch ms)`. */
export const PURGE_EXPIRED =
  'DELETE FROM channel_data WHERE expires_at IS NOT NULL AND expires_at <= ?';

/**
 * Stores an entry: values {@link upsertColumns}. With `onlyIfAbsent`, an entry already there
 * is replaced only when it has expired (then no row changes when a live one is there).
 */
export function upsertEntry(onlyIfAbsent: boolean): string {
  return `INSERT INTO channel_data (namespace, key, value, expires_at, updated_at) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value,
    expires_at = excluded.expires_at, updated_at = excluded.updated_at
  ${onlyIfAbsent ? 'WHERE channel_data.expires_at IS NOT NULL AND channel_data.expires_at <= ?' : ''}`;
}

/**
 * The values of {@link upsertEntry}: the value as JSON, the expiry in epoch ms and, with
 * `onlyIfAbsent`, the current instant an existing entry's expiry is compared with.
 */
export function upsertColumns(
  namespace: string,
  key: string,
  value: unknown,
  expiresAt: Date | undefined,
  onlyIfAbsent: boolean,
  now: Date,
): (string | number | null)[] {
  return [
    namespace,
    key,
    JSON.stringify(value ?? null),
    expiresAt?.getTime() ?? null,
    now.toISOString(),
    ...(onlyIfAbsent ? [now.getTime()] : []),
  ];
}

/** A row of {@link SELECT_ENTRY}. */
export interface EntryRow {
  value: string;
  expires_at: number | null;
}

/** What an engine does for one namespace's key-value space. */
export interface EntryPrimitives {
  /** The entry's row, or undefined when there is none. */
  read(key: string): Promise<EntryRow | undefined>;
  /**
   * Stores the value with its expiry ({@link upsertEntry} with {@link upsertColumns}); with
   * `onlyIfAbsent`, only over an absent or expired entry. Returns whether it stored.
   */
  upsert(
    key: string,
    value: unknown,
    expiresAt: Date | undefined,
    onlyIfAbsent: boolean,
  ): Promise<boolean>;
  /** Deletes the entry, if any. */
  remove(key: string): Promise<void>;
}

/**
 * One namespace's key-value space on an engine's primitives: an entry past its expiry (checked
 * with the injected `clock`) reads as absent, as the `channel_data` rows are purged only now and
 * then.
 *
 * @example
 * return keyValueSpace(clock, {
 *   read: async (key) => db.prepare(SELECT_ENTRY).get(namespace, key),
 *   upsert: async (key, value, expiresAt, onlyIfAbsent) => …,
 *   remove: async (key) => { db.prepare(DELETE_ENTRY).run(namespace, key); },
 * });
 */
export function keyValueSpace(clock: () => Date, engine: EntryPrimitives): KeyValueStore {
  return {
    async get(key) {
      const row = await engine.read(key);
      if (!row || isExpired(row.expires_at, clock())) return null;
      return JSON.parse(row.value) as unknown;
    },
    async put(key, value, options) {
      await engine.upsert(key, value, options?.expiresAt, false);
    },
    async putIfAbsent(key, value, options) {
      return engine.upsert(key, value, options?.expiresAt, true);
    },
    async delete(key) {
      await engine.remove(key);
    },
  };
}

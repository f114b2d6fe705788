import type { ChannelStore, KeyValueStore } from '../channel-store';
import {
  DELETE_ENTRY,
  type EntryRow,
  keyValueSpace,
  PURGE_EXPIRED,
  SELECT_ENTRY,
  upsertColumns,
  upsertEntry,
} from '../sql/channel-store';
import type { Statements } from './statements';

/** Adapters' key-value spaces in one SQLite table (`channel_data`), keyed by namespace and key. */
export class SqliteChannelStore implements ChannelStore {
  constructor(
    private readonly sql: Statements,
    private readonly clock: () => Date,
  ) {}

  scope(namespace: string): KeyValueStore {
    const { sql, clock } = this;
    return keyValueSpace(clock, {
      async read(key) {
        return sql.get(SELECT_ENTRY).get(namespace, key) as EntryRow | undefined;
      },
      upsert(key, value, expiresAt, onlyIfAbsent) {
        const statement = sql.get(upsertEntry(onlyIfAbsent));
        const row = upsertColumns(namespace, key, value, expiresAt, onlyIfAbsent, clock());
        return sql.write(() => statement.run(...row).changes === 1);
      },
      async remove(key) {
        const remove = sql.get(DELETE_ENTRY);
        await sql.write(() => remove.run(namespace, key));
      },
    });
  }

  async purgeExpired(now: Date): Promise<number> {
    const remove = this.sql.get(PURGE_EXPIRED);
    return this.sql.write(() => remove.run(now.getTime()).changes);
  }
}

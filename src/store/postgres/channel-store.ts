import type pg from 'pg';
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
import { numbered, query } from './db';

// The shared statements with their placeholders numbered once.
const SQL = {
  select: numbered(SELECT_ENTRY),
  put: numbered(upsertEntry(false)),
  putIfAbsent: numbered(upsertEntry(true)),
  delete: numbered(DELETE_ENTRY),
  purge: numbered(PURGE_EXPIRED),
};

/** Adapters' key-value spaces in one PostgreSQL table (`channel_data`), keyed by namespace and key. */
export class PgChannelStore implements ChannelStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly clock: () => Date,
  ) {}

  scope(namespace: string): KeyValueStore {
    const { pool, clock } = this;
    return keyValueSpace(clock, {
      async read(key) {
        const { rows } = await query<EntryRow>(pool, SQL.select, [namespace, key]);
        return rows[0];
      },
      async upsert(key, value, expiresAt, onlyIfAbsent) {
        const r = await query(
          pool,
          onlyIfAbsent ? SQL.putIfAbsent : SQL.put,
          upsertColumns(namespace, key, value, expiresAt, onlyIfAbsent, clock()),
        );
        return r.rowCount === 1;
      },
      async remove(key) {
        await query(pool, SQL.delete, [namespace, key]);
      },
    });
  }

  async purgeExpired(now: Date): Promise<number> {
    const r = await query(this.pool, SQL.purge, [now.getTime()]);
    return r.rowCount ?? 0;
  }
}

import type pg from 'pg';
import { type ChannelStore, isExpired, type KeyValueStore } from '../channel-store';
import { query } from './db';

/** Adapters' key-value spaces in one PostgreSQL table (`channel_data`), keyed by namespace and key. */
export class PgChannelStore implements ChannelStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly clock: () => Date,
  ) {}

  scope(namespace: string): KeyValueStore {
    const { pool, clock } = this;
    const upsert = async (
      key: string,
      value: unknown,
      expiresAt: Date | undefined,
      onlyIfAbsent: boolean,
    ): Promise<boolean> => {
      const r = await query(
        pool,
        `INSERT INTO channel_data (namespace, key, value, expires_at, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value,
           expires_at = excluded.expires_at, updated_at = excluded.updated_at
         ${onlyIfAbsent ? 'WHERE channel_data.expires_at IS NOT NULL AND channel_data.expires_at <= $6' : ''}`,
        [
          namespace,
          key,
          JSON.stringify(value ?? null),
          expiresAt?.getTime() ?? null,
          clock().toISOString(),
          ...(onlyIfAbsent ? [clock().getTime()] : []),
        ],
      );
      return r.rowCount === 1;
    };
    return {
      async get(key) {
        const { rows } = await query<{ value: string; expires_at: number | null }>(
          pool,
          'SELECT value, expires_at FROM channel_data WHERE namespace = $1 AND key = $2',
          [namespace, key],
        );
        const row = rows[0];
        if (!row || isExpired(row.expires_at, clock())) return null;
        return JSON.parse(row.value) as unknown;
      },
      async put(key, value, options) {
        await upsert(key, value, options?.expiresAt, false);
      },
      async putIfAbsent(key, value, options) {
        return upsert(key, value, options?.expiresAt, true);
      },
      async delete(key) {
        await query(pool, 'DELETE FROM channel_data WHERE namespace = $1 AND key = $2', [
          namespace,
          key,
        ]);
      },
    };
  }

  async purgeExpired(now: Date): Promise<number> {
    const r = await query(
      this.pool,
      'DELETE FROM channel_data WHERE expires_at IS NOT NULL AND expires_at <= $1',
      [now.getTime()],
    );
    return r.rowCount ?? 0;
  }
}

import { type ChannelStore, isExpired, type KeyValueStore } from '../channel-store';
import type { Statements } from './statements';

/** Adapters' key-value spaces in one SQLite table (`channel_data`), keyed by namespace and key. */
export class SqliteChannelStore implements ChannelStore {
  constructor(
    private readonly sql: Statements,
    private readonly clock: () => Date,
  ) {}

  scope(namespace: string): KeyValueStore {
    const { sql, clock } = this;
    const upsert = (
      key: string,
      value: unknown,
      expiresAt: Date | undefined,
      onlyIfAbsent: boolean,
    ): Promise<boolean> => {
      const statement = sql.get(
        `INSERT INTO channel_data (namespace, key, value, expires_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value,
           expires_at = excluded.expires_at, updated_at = excluded.updated_at
         ${onlyIfAbsent ? 'WHERE channel_data.expires_at IS NOT NULL AND channel_data.expires_at <= ?' : ''}`,
      );
      const row = [
        namespace,
        key,
        JSON.stringify(value ?? null),
        expiresAt?.getTime() ?? null,
        clock().toISOString(),
        ...(onlyIfAbsent ? [clock().getTime()] : []),
      ];
      return sql.write(() => statement.run(...row).changes === 1);
    };
    return {
      async get(key) {
        const row = sql
          .get('SELECT value, expires_at FROM channel_data WHERE namespace = ? AND key = ?')
          .get(namespace, key) as { value: string; expires_at: number | null } | undefined;
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
        const remove = sql.get('DELETE FROM channel_data WHERE namespace = ? AND key = ?');
        await sql.write(() => remove.run(namespace, key));
      },
    };
  }

  async purgeExpired(now: Date): Promise<number> {
    const remove = this.sql.get(
      'DELETE FROM channel_data WHERE expires_at IS NOT NULL AND expires_at <= ?',
    );
    return this.sql.write(() => remove.run(now.getTime()).changes);
  }
}

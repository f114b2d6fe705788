import Database from 'better-sqlite3';
import type pg from 'pg';
import { SqliteWebChatStore } from '../../../adapters/webchat/sqlite-store';
import { openWebChatStore } from '../../../adapters/webchat/store';
import type { SqliteEngine, StoreEngine } from '../../../src/store/backend';
import { openPool } from '../../../src/store/postgres/db';
import { SqliteBackend } from '../../../src/store/sqlite/backend';
import { describeIfPostgres, freshSchema, POSTGRES_URL } from '../../support/postgres';
import { runWebChatStoreContract } from './store-contract';

const clock = () => new Date('2026-11-27T02:00:00.000Z');

/** The SQLite engine under a backend (these suites open SQLite backends only). */
function sqliteEngine(engine: StoreEngine): SqliteEngine {
  if (engine.kind !== 'sqlite') throw new Error(`expected a SQLite engine, got ${engine.kind}`);
  return engine;
}

runWebChatStoreContract('sqlite', async () => {
  const backend = SqliteBackend.open({ path: ':memory:', clock });
  return { chats: openWebChatStore(backend.engine, clock), close: () => backend.close() };
});

describe('web chat tables on SQLite', () => {
  test('opening twice (a restart) applies its migration once and keeps the data', async () => {
    const backend = SqliteBackend.open({ path: ':memory:', clock });
    const engine = sqliteEngine(backend.engine);
    const db = engine.db;
    const first = SqliteWebChatStore.open(engine, clock);
    await first.createConversation({ id: 'c1', userId: 'dl_u', createdAt: clock().toISOString() });
    const again = SqliteWebChatStore.open(engine, clock);
    expect((await again.getConversation('c1'))?.userId).toBe('dl_u');
    const versions = db.prepare('SELECT version FROM webchat_schema_migrations').all();
    expect(versions).toEqual([{ version: 1 }]);
    await backend.close();
  });

  test('a database from before the adapter owned its tables keeps its conversations', async () => {
    const db = new Database(':memory:');
    // What the core schema created before version 7 (its migration 3, unchanged).
    db.exec(`CREATE TABLE chat_conversations (id TEXT PRIMARY KEY, user_id TEXT NOT NULL,
      user_name TEXT, created_at TEXT NOT NULL, last_seq INTEGER NOT NULL DEFAULT 0);
      INSERT INTO chat_conversations (id, user_id, created_at) VALUES ('old', 'dl_x', '2026-01-01');
      CREATE TABLE chat_activities (conversation_id TEXT NOT NULL REFERENCES chat_conversations (id),
        seq INTEGER NOT NULL, at TEXT NOT NULL, dedupe_key TEXT, data TEXT NOT NULL,
        PRIMARY KEY (conversation_id, seq));
      CREATE TABLE chat_uploads (id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL
        REFERENCES chat_conversations (id), mime_type TEXT NOT NULL, created_at TEXT NOT NULL,
        bytes BLOB NOT NULL);`);
    const chats = SqliteWebChatStore.open(
      {
        kind: 'sqlite',
        db,
        write: async (op) => db.transaction(op)(),
        statement: (text) => db.prepare(text),
      },
      clock,
    );
    expect((await chats.getConversation('old'))?.userId).toBe('dl_x');
    expect(
      await chats.append('old', [{ activity: { type: 'message' }, key: 'k' }], clock()),
    ).toEqual([1]);
    db.close();
  });
});

describeIfPostgres('web chat tables on PostgreSQL', () => {
  const openTestPool = (schema = freshSchema()): pg.Pool =>
    openPool({ url: POSTGRES_URL, schema, poolMax: 4 });

  runWebChatStoreContract('postgres', async () => {
    const pool = openTestPool();
    return {
      chats: openWebChatStore({ kind: 'postgres', pool }, clock),
      close: () => pool.end(),
    };
  });

  test('two stores appending to one conversation at once get distinct watermarks 1..40', async () => {
    const schema = freshSchema();
    const pools = [openTestPool(schema), openTestPool(schema)];
    try {
      const [a, b] = pools.map((pool) => openWebChatStore({ kind: 'postgres', pool }, clock));
      if (!a || !b) throw new Error('two stores expected');
      await a.createConversation({ id: 'busy', userId: 'dl_u', createdAt: clock().toISOString() });
      const appends = Array.from({ length: 20 }, (_, i) => [
        a.append('busy', [{ activity: { type: 'message', text: `a${i}` } }], clock()),
        b.append('busy', [{ activity: { type: 'message', text: `b${i}` } }], clock()),
      ]).flat();
      const watermarks = (await Promise.all(appends)).flat();
      expect([...watermarks].sort((x, y) => x - y)).toEqual(
        Array.from({ length: 40 }, (_, i) => i + 1),
      );
      expect(await b.lastWatermark('busy')).toBe(40);
      const listed = await a.list('busy', { after: 0, limit: 100 });
      expect(listed.map((x) => x.watermark)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(new Set(listed.map((x) => x.activity.text)).size).toBe(40);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  test('ready() twice and two stores opening together apply the migration once', async () => {
    const pool = openTestPool();
    try {
      const first = openWebChatStore({ kind: 'postgres', pool }, clock);
      const second = openWebChatStore({ kind: 'postgres', pool }, clock);
      await Promise.all([first.ready(), second.ready(), first.ready()]);
      await first.ready();
      await second.createConversation({
        id: 'c1',
        userId: 'dl_u',
        createdAt: clock().toISOString(),
      });
      expect((await first.getConversation('c1'))?.userId).toBe('dl_u');
      const { rows } = await pool.query('SELECT version FROM webchat_schema_migrations');
      expect(rows).toEqual([{ version: 1 }]);
    } finally {
      await pool.end();
    }
  });
});

import Database from 'better-sqlite3';
import { SqliteWebChatStore } from '../../../adapters/webchat/sqlite-store';
import { openWebChatStore } from '../../../adapters/webchat/store';
import { SqliteBackend } from '../../../src/store/sqlite/backend';
import { runWebChatStoreContract } from './store-contract';

const clock = () => new Date('2026-11-27T02:00:00.000Z');

runWebChatStoreContract('sqlite', async () => {
  const backend = SqliteBackend.open({ path: ':memory:', clock });
  return { chats: openWebChatStore(backend.engine, clock), close: () => backend.close() };
});

describe('web chat tables on SQLite', () => {
  test('opening twice (a restart) applies its migration once and keeps the data', async () => {
    const backend = SqliteBackend.open({ path: ':memory:', clock });
    const db = backend.engine.db;
    const first = SqliteWebChatStore.open(backend.engine, clock);
    await first.createConversation({ id: 'c1', userId: 'dl_u', createdAt: clock().toISOString() });
    const again = SqliteWebChatStore.open(backend.engine, clock);
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

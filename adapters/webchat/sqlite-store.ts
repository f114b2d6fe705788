import type Database from 'better-sqlite3';
import { CodedError } from '../../src/errors';
import type { SqliteEngine } from '../../src/store/backend';
import { type Migration, migrate } from '../../src/store/sqlite/migrations';
import {
  type ActivityRow,
  type ConversationRow,
  clamp,
  fromActivityRow,
  fromConversationRow,
  fromUploadRow,
  type UploadRow,
} from './rows';
import type {
  ChatActivity,
  ChatConversation,
  ChatUpload,
  NewChatActivity,
  WebChatStore,
} from './store';

/** The web chat tables' own migrations (table `webchat_schema_migrations`). */
const WEBCHAT_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'web chat conversations, activity history and uploads',
    // IF NOT EXISTS: databases from before version 7 of the core schema already have them.
    sql: `
      CREATE TABLE IF NOT EXISTS chat_conversations (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        user_name TEXT,
        created_at TEXT NOT NULL,
        last_seq INTEGER NOT NULL DEFAULT 0
      );

      CREATE TABLE IF NOT EXISTS chat_activities (
        conversation_id TEXT NOT NULL REFERENCES chat_conversations (id),
        seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        dedupe_key TEXT,
        data TEXT NOT NULL,
        PRIMARY KEY (conversation_id, seq)
      );
      CREATE UNIQUE INDEX IF NOT EXISTS chat_activities_key ON chat_activities (conversation_id, dedupe_key)
        WHERE dedupe_key IS NOT NULL;

      CREATE TABLE IF NOT EXISTS chat_uploads (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES chat_conversations (id),
        mime_type TEXT NOT NULL,
        created_at TEXT NOT NULL,
        bytes BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS chat_uploads_conversation ON chat_uploads (conversation_id);
    `,
  },
];

/**
 * The web chat port on SQLite: conversations, their activity history (watermark =
 * per-conversation sequence) and uploaded files, in the service's database file.
 */
export class SqliteWebChatStore implements WebChatStore {
  private readonly db: Database.Database;
  /** Writes go into the connection's group commit, with the service's other writes. */
  private readonly write: SqliteEngine['write'];
  private readonly statement: SqliteEngine['statement'];

  private constructor(engine: SqliteEngine) {
    this.db = engine.db;
    this.write = engine.write;
    this.statement = engine.statement;
  }

  /** Opens the port on the service's database, creating or migrating its tables. */
  static open(engine: SqliteEngine, clock: () => Date): SqliteWebChatStore {
    migrate(engine.db, clock, WEBCHAT_MIGRATIONS, 'webchat_schema_migrations');
    return new SqliteWebChatStore(engine);
  }

  /** At once: the tables were created or migrated when the port was opened. */
  async ready(): Promise<void> {}

  async createConversation(c: ChatConversation): Promise<void> {
    const insert = this.statement(
      'INSERT INTO chat_conversations (id, user_id, user_name, created_at) VALUES (?, ?, ?, ?)',
    );
    try {
      await this.write(() => insert.run(c.id, c.userId, c.userName ?? null, c.createdAt));
    } catch (err) {
      if (constraintCode(err) === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new CodedError('duplicate', `conversation ${c.id} already exists`, {
          entity: 'conversation',
        });
      }
      throw err;
    }
  }

  async getConversation(id: string): Promise<ChatConversation | null> {
    const row = this.statement(
      'SELECT id, user_id, user_name, created_at FROM chat_conversations WHERE id = ?',
    ).get(id) as ConversationRow | undefined;
    return row ? fromConversationRow(row) : null;
  }

  async append(conversationId: string, activities: NewChatActivity[], at: Date): Promise<number[]> {
    const run = this.db.transaction(() => {
      const conv = this.statement('SELECT last_seq FROM chat_conversations WHERE id = ?').get(
        conversationId,
      ) as { last_seq: number } | undefined;
      if (!conv) throw new CodedError('not_found', `no conversation ${conversationId}`);
      let seq = conv.last_seq;
      const existing = this.statement(
        'SELECT seq FROM chat_activities WHERE conversation_id = ? AND dedupe_key = ?',
      );
      const insert = this.statement(
        'INSERT INTO chat_activities (conversation_id, seq, at, dedupe_key, data) VALUES (?, ?, ?, ?, ?)',
      );
      const watermarks: number[] = [];
      for (const a of activities) {
        if (a.key !== undefined) {
          const seen = existing.get(conversationId, a.key) as { seq: number } | undefined;
          if (seen) {
            watermarks.push(seen.seq);
            continue;
          }
        }
        seq += 1;
        insert.run(
          conversationId,
          seq,
          at.toISOString(),
          a.key ?? null,
          JSON.stringify(a.activity),
        );
        watermarks.push(seq);
      }
      this.statement('UPDATE chat_conversations SET last_seq = ? WHERE id = ?').run(
        seq,
        conversationId,
      );
      return watermarks;
    });
    // In a write transaction (the group commit's, BEGIN IMMEDIATE): two processes appending to
    // one conversation never take the same number.
    return this.write(() => run());
  }

  async list(
    conversationId: string,
    { after, limit }: { after: number; limit: number },
  ): Promise<ChatActivity[]> {
    const rows = this.statement(
      `SELECT seq, at, data FROM chat_activities WHERE conversation_id = ? AND seq > ?
         ORDER BY seq LIMIT ?`,
    ).all(conversationId, Math.max(0, Math.trunc(after)), clamp(limit)) as ActivityRow[];
    return rows.map((r) => fromActivityRow(conversationId, r));
  }

  async lastWatermark(conversationId: string): Promise<number> {
    const row = this.statement('SELECT last_seq FROM chat_conversations WHERE id = ?').get(
      conversationId,
    ) as { last_seq: number } | undefined;
    return row?.last_seq ?? 0;
  }

  async putUpload(u: ChatUpload): Promise<void> {
    if (!(await this.getConversation(u.conversationId))) {
      throw new CodedError('not_found', `no conversation ${u.conversationId}`);
    }
    const insert = this.statement(
      'INSERT INTO chat_uploads (id, conversation_id, mime_type, created_at, bytes) VALUES (?, ?, ?, ?, ?)',
    );
    try {
      await this.write(() =>
        insert.run(u.id, u.conversationId, u.mimeType, u.createdAt, Buffer.from(u.bytes)),
      );
    } catch (err) {
      if (constraintCode(err) === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new CodedError('duplicate', `upload ${u.id} already exists`, { entity: 'upload' });
      }
      throw err;
    }
  }

  async getUpload(id: string): Promise<ChatUpload | null> {
    const row = this.statement(
      'SELECT id, conversation_id, mime_type, created_at, bytes FROM chat_uploads WHERE id = ?',
    ).get(id) as UploadRow | undefined;
    return row ? fromUploadRow(row) : null;
  }

  async countUploads(conversationId: string): Promise<number> {
    const row = this.statement(
      'SELECT COUNT(*) AS n FROM chat_uploads WHERE conversation_id = ?',
    ).get(conversationId) as { n: number };
    return row.n;
  }
}

function constraintCode(err: unknown): unknown {
  return (err as { code?: unknown } | null)?.code;
}

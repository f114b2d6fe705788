import type pg from 'pg';
import { CodedError } from '../../src/errors';
import type { PostgresEngine } from '../../src/store/backend';
import { isUniqueViolation, type Param, query, transaction } from '../../src/store/postgres/db';
import { migratePg, type PgMigration } from '../../src/store/postgres/migrations';
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

/** The web chat tables' own migrations on PostgreSQL (table `webchat_schema_migrations`). */
const WEBCHAT_PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'web chat conversations, activity history and uploads',
    sql: `
      CREATE TABLE chat_conversations (
        id TEXT COLLATE "C" PRIMARY KEY,
        user_id TEXT COLLATE "C" NOT NULL,
        user_name TEXT,
        created_at TEXT COLLATE "C" NOT NULL,
        last_seq INTEGER NOT NULL DEFAULT 0
      );

      CREATE TABLE chat_activities (
        conversation_id TEXT COLLATE "C" NOT NULL REFERENCES chat_conversations (id),
        seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        dedupe_key TEXT COLLATE "C",
        data TEXT NOT NULL,
        PRIMARY KEY (conversation_id, seq)
      );
      CREATE UNIQUE INDEX chat_activities_key ON chat_activities (conversation_id, dedupe_key)
        WHERE dedupe_key IS NOT NULL;

      CREATE TABLE chat_uploads (
        id TEXT COLLATE "C" PRIMARY KEY,
        conversation_id TEXT COLLATE "C" NOT NULL REFERENCES chat_conversations (id),
        mime_type TEXT NOT NULL,
        created_at TEXT NOT NULL,
        bytes BYTEA NOT NULL
      );
      CREATE INDEX chat_uploads_conversation ON chat_uploads (conversation_id);
    `,
  },
];

const MIGRATIONS_TABLE = 'webchat_schema_migrations';

/** SQLSTATE of a foreign-key violation. */
const FOREIGN_KEY_VIOLATION = '23503';

/**
 * The web chat port on PostgreSQL: the same tables and behaviour as the SQLite one
 * (`SqliteWebChatStore`), on the service's pool. Its tables are made on first use (or by {@link ready}); appends lock the
 * conversation's row, so appenders in any number of service instances number one after another.
 */
export class PgWebChatStore implements WebChatStore {
  private readonly pool: pg.Pool;
  /** The migration under way or done; null before the first call and after a failed one. */
  private migrating: Promise<void> | null = null;

  private constructor(
    engine: PostgresEngine,
    private readonly clock: () => Date,
  ) {
    this.pool = engine.pool;
  }

  /** Opens the port on the service's pool; nothing is read or written until the first call. */
  static open(engine: PostgresEngine, clock: () => Date): PgWebChatStore {
    return new PgWebChatStore(engine, clock);
  }

  ready(): Promise<void> {
    this.migrating ??= migratePg(
      this.pool,
      this.clock,
      WEBCHAT_PG_MIGRATIONS,
      MIGRATIONS_TABLE,
    ).then(
      () => undefined,
      (err: unknown) => {
        // Tried again on the next call (the database may be back by then).
        this.migrating = null;
        throw err;
      },
    );
    return this.migrating;
  }

  async createConversation(c: ChatConversation): Promise<void> {
    await this.ready();
    try {
      await query(
        this.pool,
        'INSERT INTO chat_conversations (id, user_id, user_name, created_at) VALUES ($1, $2, $3, $4)',
        [c.id, c.userId, c.userName ?? null, c.createdAt],
      );
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new CodedError('duplicate', `conversation ${c.id} already exists`, {
          entity: 'conversation',
        });
      }
      throw err;
    }
  }

  async getConversation(id: string): Promise<ChatConversation | null> {
    await this.ready();
    const { rows } = await query<ConversationRow>(
      this.pool,
      'SELECT id, user_id, user_name, created_at FROM chat_conversations WHERE id = $1',
      [id],
    );
    const row = rows[0];
    return row ? fromConversationRow(row) : null;
  }

  async append(conversationId: string, activities: NewChatActivity[], at: Date): Promise<number[]> {
    await this.ready();
    return transaction(this.pool, async (tx) => {
      // Locks the conversation's row until commit: a second appender (here or in another
      // instance) waits, then reads the number this one left.
      const conv = await query<{ last_seq: number }>(
        tx,
        'SELECT last_seq FROM chat_conversations WHERE id = $1 FOR UPDATE',
        [conversationId],
      );
      const row = conv.rows[0];
      if (!row) throw new CodedError('not_found', `no conversation ${conversationId}`);
      const start = row.last_seq;
      const keys = [...new Set(activities.flatMap((a) => (a.key === undefined ? [] : [a.key])))];
      // The keys this conversation has already, and those added by this append.
      const seen = new Map<string, number>();
      if (keys.length > 0) {
        const existing = await query<{ dedupe_key: string; seq: number }>(
          tx,
          `SELECT dedupe_key, seq FROM chat_activities
            WHERE conversation_id = $1 AND dedupe_key = ANY($2::text[])`,
          [conversationId, keys],
        );
        for (const e of existing.rows) seen.set(e.dedupe_key, e.seq);
      }
      let seq = start;
      const values: Param[] = [];
      const tuples: string[] = [];
      const watermarks: number[] = [];
      for (const a of activities) {
        if (a.key !== undefined) {
          const before = seen.get(a.key);
          if (before !== undefined) {
            watermarks.push(before);
            continue;
          }
        }
        seq += 1;
        const n = values.length;
        tuples.push(`($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5})`);
        values.push(
          conversationId,
          seq,
          at.toISOString(),
          a.key ?? null,
          JSON.stringify(a.activity),
        );
        if (a.key !== undefined) seen.set(a.key, seq);
        watermarks.push(seq);
      }
      if (seq > start) {
        await query(
          tx,
          `INSERT INTO chat_activities (conversation_id, seq, at, dedupe_key, data)
           VALUES ${tuples.join(', ')}`,
          values,
        );
        await query(tx, 'UPDATE chat_conversations SET last_seq = $1 WHERE id = $2', [
          seq,
          conversationId,
        ]);
      }
      return watermarks;
    });
  }

  async list(
    conversationId: string,
    { after, limit }: { after: number; limit: number },
  ): Promise<ChatActivity[]> {
    await this.ready();
    const { rows } = await query<ActivityRow>(
      this.pool,
      `SELECT seq, at, data FROM chat_activities WHERE conversation_id = $1 AND seq > $2
         ORDER BY seq LIMIT $3`,
      [conversationId, Math.max(0, Math.trunc(after)), clamp(limit)],
    );
    return rows.map((r) => fromActivityRow(conversationId, r));
  }

  async lastWatermark(conversationId: string): Promise<number> {
    await this.ready();
    const { rows } = await query<{ last_seq: number }>(
      this.pool,
      'SELECT last_seq FROM chat_conversations WHERE id = $1',
      [conversationId],
    );
    return rows[0]?.last_seq ?? 0;
  }

  async putUpload(u: ChatUpload): Promise<void> {
    await this.ready();
    let inserted: number;
    try {
      // Nothing is inserted for an unknown conversation (then it is not_found, as on SQLite,
      // whether or not the id is used).
      const r = await query(
        this.pool,
        `INSERT INTO chat_uploads (id, conversation_id, mime_type, created_at, bytes)
         SELECT $1::text, $2::text, $3::text, $4::text, $5::bytea
          WHERE EXISTS (SELECT 1 FROM chat_conversations WHERE id = $2::text)`,
        [u.id, u.conversationId, u.mimeType, u.createdAt, Buffer.from(u.bytes)],
      );
      inserted = r.rowCount ?? 0;
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new CodedError('duplicate', `upload ${u.id} already exists`, { entity: 'upload' });
      }
      if ((err as { code?: unknown } | null)?.code === FOREIGN_KEY_VIOLATION) inserted = 0;
      else throw err;
    }
    if (inserted === 0) throw new CodedError('not_found', `no conversation ${u.conversationId}`);
  }

  async getUpload(id: string): Promise<ChatUpload | null> {
    await this.ready();
    const { rows } = await query<UploadRow>(
      this.pool,
      'SELECT id, conversation_id, mime_type, created_at, bytes FROM chat_uploads WHERE id = $1',
      [id],
    );
    const row = rows[0];
    return row ? fromUploadRow(row) : null;
  }

  async countUploads(conversationId: string): Promise<number> {
    await this.ready();
    const { rows } = await query<{ n: number }>(
      this.pool,
      'SELECT COUNT(*)::int AS n FROM chat_uploads WHERE conversation_id = $1',
      [conversationId],
    );
    return rows[0]?.n ?? 0;
  }
}

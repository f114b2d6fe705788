import type Database from 'better-sqlite3';
import { CodedError } from '../../errors';
import type { ChatActivity, ChatConversation, ChatUpload, NewChatActivity } from '../port';

/**
 * The web chat part of the SQLite store: conversations, their activity history (watermark =
 * per-conversation sequence) and uploaded files. Used by SqliteStore; one role per file.
 */
export class SqliteChat {
  constructor(private readonly db: Database.Database) {}

  createConversation(c: ChatConversation): void {
    try {
      this.db
        .prepare(
          'INSERT INTO chat_conversations (id, user_id, user_name, created_at) VALUES (?, ?, ?, ?)',
        )
        .run(c.id, c.userId, c.userName ?? null, c.createdAt);
    } catch (err) {
      if (constraintCode(err) === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new CodedError('duplicate', `conversation ${c.id} already exists`, {
          entity: 'conversation',
        });
      }
      throw err;
    }
  }

  getConversation(id: string): ChatConversation | null {
    const row = this.db
      .prepare('SELECT id, user_id, user_name, created_at FROM chat_conversations WHERE id = ?')
      .get(id) as
      | { id: string; user_id: string; user_name: string | null; created_at: string }
      | undefined;
    if (!row) return null;
    const c: ChatConversation = { id: row.id, userId: row.user_id, createdAt: row.created_at };
    if (row.user_name !== null) c.userName = row.user_name;
    return c;
  }

  append(conversationId: string, activities: NewChatActivity[], at: Date): number[] {
    const run = this.db.transaction(() => {
      const conv = this.db
        .prepare('SELECT last_seq FROM chat_conversations WHERE id = ?')
        .get(conversationId) as { last_seq: number } | undefined;
      if (!conv) throw new CodedError('not_found', `no conversation ${conversationId}`);
      let seq = conv.last_seq;
      const existing = this.db.prepare(
        'SELECT seq FROM chat_activities WHERE conversation_id = ? AND dedupe_key = ?',
      );
      const insert = this.db.prepare(
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
      this.db
        .prepare('UPDATE chat_conversations SET last_seq = ? WHERE id = ?')
        .run(seq, conversationId);
      return watermarks;
    });
    // IMMEDIATE: two processes appending to one conversation never take the same number.
    return run.immediate();
  }

  list(conversationId: string, after: number, limit: number): ChatActivity[] {
    const rows = this.db
      .prepare(
        `SELECT seq, at, data FROM chat_activities WHERE conversation_id = ? AND seq > ?
         ORDER BY seq LIMIT ?`,
      )
      .all(conversationId, Math.max(0, Math.trunc(after)), clamp(limit)) as {
      seq: number;
      at: string;
      data: string;
    }[];
    return rows.map((r) => ({
      conversationId,
      watermark: r.seq,
      at: r.at,
      activity: JSON.parse(r.data) as Record<string, unknown>,
    }));
  }

  lastWatermark(conversationId: string): number {
    const row = this.db
      .prepare('SELECT last_seq FROM chat_conversations WHERE id = ?')
      .get(conversationId) as { last_seq: number } | undefined;
    return row?.last_seq ?? 0;
  }

  putUpload(u: ChatUpload): void {
    if (!this.getConversation(u.conversationId)) {
      throw new CodedError('not_found', `no conversation ${u.conversationId}`);
    }
    try {
      this.db
        .prepare(
          'INSERT INTO chat_uploads (id, conversation_id, mime_type, created_at, bytes) VALUES (?, ?, ?, ?, ?)',
        )
        .run(u.id, u.conversationId, u.mimeType, u.createdAt, Buffer.from(u.bytes));
    } catch (err) {
      if (constraintCode(err) === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new CodedError('duplicate', `upload ${u.id} already exists`, { entity: 'upload' });
      }
      throw err;
    }
  }

  getUpload(id: string): ChatUpload | null {
    const row = this.db
      .prepare(
        'SELECT id, conversation_id, mime_type, created_at, bytes FROM chat_uploads WHERE id = ?',
      )
      .get(id) as
      | {
          id: string;
          conversation_id: string;
          mime_type: string;
          created_at: string;
          bytes: Buffer;
        }
      | undefined;
    if (!row) return null;
    return {
      id: row.id,
      conversationId: row.conversation_id,
      mimeType: row.mime_type,
      createdAt: row.created_at,
      bytes: new Uint8Array(row.bytes),
    };
  }

  countUploads(conversationId: string): number {
    const row = this.db
      .prepare('SELECT COUNT(*) AS n FROM chat_uploads WHERE conversation_id = ?')
      .get(conversationId) as { n: number };
    return row.n;
  }
}

function clamp(limit: number): number {
  return Math.min(Math.max(Math.trunc(limit), 1), 1000);
}

function constraintCode(err: unknown): unknown {
  return (err as { code?: unknown } | null)?.code;
}

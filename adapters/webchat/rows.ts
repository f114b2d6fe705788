import type { ChatActivity, ChatConversation, ChatUpload } from './store';

// The web chat tables' rows and what they hold, the same on SQLite and PostgreSQL.

/** A row of `chat_conversations` (its `last_seq` aside). */
export interface ConversationRow {
  id: string;
  user_id: string;
  user_name: string | null;
  created_at: string;
}

/** A row of `chat_activities` as a list reads it. */
export interface ActivityRow {
  seq: number;
  at: string;
  data: string;
}

/** A row of `chat_uploads` (`bytes`: a BLOB in SQLite, a BYTEA in PostgreSQL, both a Buffer). */
export interface UploadRow {
  id: string;
  conversation_id: string;
  mime_type: string;
  created_at: string;
  bytes: Buffer;
}

/** The conversation a row holds (`userName` only when stored). */
export function fromConversationRow(row: ConversationRow): ChatConversation {
  const c: ChatConversation = { id: row.id, userId: row.user_id, createdAt: row.created_at };
  if (row.user_name !== null) c.userName = row.user_name;
  return c;
}

/** The activity a row of conversation `conversationId` holds; its sequence is the watermark. */
export function fromActivityRow(conversationId: string, row: ActivityRow): ChatActivity {
  return {
    conversationId,
    watermark: row.seq,
    at: row.at,
    activity: JSON.parse(row.data) as Record<string, unknown>,
  };
}

/** The upload a row holds. */
export function fromUploadRow(row: UploadRow): ChatUpload {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    mimeType: row.mime_type,
    createdAt: row.created_at,
    bytes: new Uint8Array(row.bytes),
  };
}

/** A list's page size within 1–1000. */
export function clamp(limit: number): number {
  return Math.min(Math.max(Math.trunc(limit), 1), 1000);
}

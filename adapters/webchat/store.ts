import type { StoreEngine } from '../../src/store/backend';
import { PgWebChatStore } from './postgres-store';
import { SqliteWebChatStore } from './sqlite-store';

/**
 * The web chat's own storage port: Direct Line conversations, their activity history (the
 * watermark is a per-conversation sequence) and uploaded photos. The adapter opens it on the
 * service's database ({@link openWebChatStore}); nothing outside the adapter uses these tables.
 *
 * @example
 * const chats = openWebChatStore(backend.engine, clock);
 * await chats.createConversation({ id, userId: 'dl_x', createdAt: now.toISOString() });
 * const [watermark] = await chats.append(id, [{ activity, key: 'reply:1' }], now);
 */
export interface WebChatStore {
  /**
   * Resolves once the store's tables exist (its migrations applied); the channel awaits it before
   * the service listens. Rejects when they cannot be made (it is tried again on the next call).
   */
  ready(): Promise<void>;
  /**
   * Starts a web chat (Direct Line) conversation. Throws a CodedError `duplicate` when the id
   * exists.
   */
  createConversation(conversation: ChatConversation): Promise<void>;
  getConversation(id: string): Promise<ChatConversation | null>;
  /**
   * Appends activities to a conversation's history, in order, and returns the watermark of each
   * (a per-conversation sequence number from 1). An activity whose `key` the conversation already
   * has is not added again: its existing watermark is returned. Throws `not_found` for an unknown
   * conversation.
   */
  append(conversationId: string, activities: NewChatActivity[], at: Date): Promise<number[]>;
  /** Activities with a watermark above `after`, oldest first, at most `limit` (1–1000). */
  list(conversationId: string, options: { after: number; limit: number }): Promise<ChatActivity[]>;
  /** The conversation's newest watermark (0 when it has no activity or does not exist). */
  lastWatermark(conversationId: string): Promise<number>;
  /** Keeps an uploaded file. Throws `not_found` for an unknown conversation, `duplicate` for a used id. */
  putUpload(upload: ChatUpload): Promise<void>;
  getUpload(id: string): Promise<ChatUpload | null>;
  /** How many files a conversation has uploaded. */
  countUploads(conversationId: string): Promise<number>;
}

/** A web chat conversation: who it belongs to (the user id its tokens carry). */
export interface ChatConversation {
  id: string;
  userId: string;
  userName?: string;
  createdAt: string;
}

/** An activity to append; `key` makes the append idempotent within the conversation. */
export interface NewChatActivity {
  activity: Record<string, unknown>;
  key?: string;
}

/** A stored activity with its place in the conversation. */
export interface ChatActivity {
  conversationId: string;
  watermark: number;
  at: string;
  activity: Record<string, unknown>;
}

/** A file a web chat user uploaded (a photo for a report). */
export interface ChatUpload {
  id: string;
  conversationId: string;
  mimeType: string;
  bytes: Uint8Array;
  createdAt: string;
}

/**
 * Opens the web chat port on the service's database: on SQLite its tables are made now, on
 * PostgreSQL on the first call (await {@link WebChatStore.ready} before serving).
 */
export function openWebChatStore(engine: StoreEngine, clock: () => Date): WebChatStore {
  return engine.kind === 'sqlite'
    ? SqliteWebChatStore.open(engine, clock)
    : PgWebChatStore.open(engine, clock);
}

import type { Case, CaseDeadlines, CaseEvent, CaseKind, CaseStatus } from '../cases/types';

/**
 * The storage port. The SQLite store (default) and the MongoDB store implement it, and both run the
 * same contract test suite (tests/store/contract.ts). Every method is async so a networked store
 * fits; every multi-step change goes through `commit`, which is all-or-nothing.
 */
export interface Store {
  /**
   * Applies every change in one transaction, or none of them. Throws a CodedError with code
   * `conflict` (a case changed since `expectedVersion`) or `duplicate` (the id already exists).
   */
  commit(changes: ChangeSet): Promise<void>;

  getCase(trackingId: string): Promise<Case | null>;
  caseExists(trackingId: string): Promise<boolean>;
  listCases(filter?: CaseFilter): Promise<Case[]>;
  /** The history of a case, oldest first. */
  listCaseEvents(trackingId: string): Promise<CaseEvent[]>;

  getSession(key: ConversationKey): Promise<Session | null>;

  /**
   * Records that an inbound channel message arrived. Returns `false` when it was seen before, so
   * a redelivered message has no second effect.
   */
  recordInbound(channel: string, messageId: string, at: Date): Promise<boolean>;
  /**
   * Like `recordInbound`, and keeps `work` (the raw message) with the record, in the same write,
   * until `finishInbound`: work accepted but not finished when the process died is found again
   * by `claimUnfinishedInbound` at the next start.
   */
  recordInboundWork(channel: string, messageId: string, at: Date, work: unknown): Promise<boolean>;
  /** Drops the kept work of an inbound message: it was handled. */
  finishInbound(channel: string, messageId: string): Promise<void>;
  /**
   * Inbound messages of a channel whose work was kept and not finished, oldest first, each
   * counted as one more attempt (`attempts` includes this one), so a message that keeps killing
   * the process can be given up. Unreadable work comes back as `null`.
   */
  claimUnfinishedInbound(
    channel: string,
    limit: number,
  ): Promise<{ messageId: string; receivedAt: string; work: unknown; attempts: number }[]>;
  /** The inbound record with the result stored by `commit` (e.g. the replies sent), if any. */
  getInbound(channel: string, messageId: string): Promise<InboundRecord | null>;
  /** Forgets inbound ids received before `before`. Returns how many were removed. */
  purgeInbound(before: Date): Promise<number>;

  /** Adds messages to the outbox on their own (a duplicate idempotency key is ignored). */
  enqueue(messages: NewOutboxMessage[], now: Date): Promise<void>;
  /**
   * Leases up to `limit` due messages (pending with nextAttemptAt ≤ now, or sending with an
   * expired lease) for the given channels. A leased message is not handed out again until
   * `leaseMs` has passed, so two dispatchers never send the same message at once. A message is
   * not handed out while an earlier one with the same `orderingKey` is being sent or waits for a
   * retry (one scheduled for later with `notBefore` does not count), so one recipient's messages
   * arrive in the order they were queued. Taking over an expired lease
   * counts one `uncertain` attempt: the holder may have reached the channel before it died.
   */
  claimOutbox(options: {
    channels: string[];
    now: Date;
    limit: number;
    leaseMs: number;
  }): Promise<OutboxMessage[]>;
  /**
   * Records the outcome of one delivery attempt of a leased message. Returns `false` (and changes
   * nothing) when the lease was lost — it expired and another dispatcher took the message.
   * Throws `not_found` for an unknown id.
   */
  settleOutbox(lease: { id: string; leaseToken: string }, outcome: OutboxOutcome): Promise<boolean>;
  getOutbox(id: string): Promise<OutboxMessage | null>;
  /**
   * Queues dead or undeliverable messages again (an operator's resend): pending, due at `now`,
   * with a fresh time budget and no uncertain attempts. `ids` picks messages (any that are dead
   * or undeliverable); without ids, every message in `status`. Returns how many were queued.
   */
  retryOutbox(
    filter: { ids?: string[]; status?: 'dead' | 'undeliverable' },
    now: Date,
  ): Promise<number>;
  /** How many outbox messages wait, are being sent, or failed (sent ones are not counted). */
  countOutbox(): Promise<OutboxCounts>;
  listOutbox(filter?: {
    status?: OutboxStatus;
    channel?: string;
    limit?: number;
  }): Promise<OutboxMessage[]>;

  /**
   * Starts a web chat (Direct Line) conversation. Throws a CodedError `duplicate` when the id
   * exists.
   */
  createChatConversation(conversation: ChatConversation): Promise<void>;
  getChatConversation(id: string): Promise<ChatConversation | null>;
  /**
   * Appends activities to a conversation's history, in order, and returns the watermark of each
   * (a per-conversation sequence number from 1). An activity whose `key` the conversation already
   * has is not added again: its existing watermark is returned. Throws `not_found` for an unknown
   * conversation.
   */
  appendChatActivities(
    conversationId: string,
    activities: NewChatActivity[],
    at: Date,
  ): Promise<number[]>;
  /** Activities with a watermark above `after`, oldest first, at most `limit` (1–1000). */
  listChatActivities(
    conversationId: string,
    options: { after: number; limit: number },
  ): Promise<ChatActivity[]>;
  /** The conversation's newest watermark (0 when it has no activity or does not exist). */
  lastChatWatermark(conversationId: string): Promise<number>;
  /** Keeps an uploaded file. Throws `not_found` for an unknown conversation, `duplicate` for a used id. */
  putChatUpload(upload: ChatUpload): Promise<void>;
  getChatUpload(id: string): Promise<ChatUpload | null>;
  /** How many files a conversation has uploaded. */
  countChatUploads(conversationId: string): Promise<number>;

  /** Throws when the store cannot answer or cannot write: a tiny real write (used by /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Everything one turn or one case action changes, written atomically. */
export interface ChangeSet {
  /** New cases (`expectedVersion: null`) or updates guarded by the version read before the change. */
  cases?: { case: Case; expectedVersion: number | null }[];
  events?: CaseEvent[];
  outbox?: NewOutboxMessage[];
  /** Dialog sessions to save (`session`) or delete (`null`). */
  sessions?: { key: ConversationKey; session: Session | null }[];
  /** The result of handling an inbound message (recorded as seen if it was not already). */
  inbound?: { channel: string; messageId: string; at: Date; result: unknown };
  /** When set, these timestamps are used for the writes instead of the store's own clock. */
  now?: Date;
}

export interface CaseFilter {
  agencyId?: string;
  status?: CaseStatus[];
  kind?: CaseKind;
  reporter?: { channel: string; channelUserId: string };
  /** Only cases whose given deadline is set and has passed at `at` (deadline < at). */
  deadlinePassed?: { deadline: keyof CaseDeadlines; at: Date };
  /** Newest first; default 100, at most 1000. */
  limit?: number;
}

export interface ConversationKey {
  channel: string;
  conversationId: string;
}

/** Dialog state for one conversation. `data` is owned by the bot core. */
export interface Session {
  key: ConversationKey;
  data: Record<string, unknown>;
  updatedAt: string;
}

export interface InboundRecord {
  channel: string;
  messageId: string;
  receivedAt: string;
  result: unknown;
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'dead' | 'undeliverable';

/** Outbox messages per status, but `sent` (which only grows). */
export type OutboxCounts = Record<Exclude<OutboxStatus, 'sent'>, number>;

export interface NewOutboxMessage {
  /** One event is delivered once: a second message with the same key is dropped. */
  idempotencyKey: string;
  /** The sender that delivers it (a channel name such as `telegram`, or `slack`). */
  channel: string;
  /** Channel-specific address: chat id, Slack channel id, conversation id… */
  recipient: string;
  payload: Record<string, unknown>;
  trackingId?: string;
  /** Do not deliver before this time (default: now). */
  notBefore?: Date;
  /**
   * Messages with the same key (within a channel) are delivered one at a time, in the order they
   * were queued. Default: the recipient.
   */
  orderingKey?: string;
}

export interface OutboxMessage extends Omit<NewOutboxMessage, 'notBefore' | 'orderingKey'> {
  id: string;
  orderingKey: string;
  status: OutboxStatus;
  /** Delivery attempts started (leases taken). */
  attempts: number;
  /**
   * Parts of the message already delivered (a sender that makes several calls for one message,
   * such as a long reply split in pieces, starts after them next time).
   */
  progress: number;
  /** Attempts whose outcome is unknown (timed out or abandoned mid-call): they may have arrived. */
  uncertain: number;
  /** Start of the current delivery effort (queued, or resent by an operator): the time budget's start. */
  retryingSince: string;
  nextAttemptAt: string;
  leaseUntil?: string;
  /** Identifies the current lease (set while `sending`). */
  leaseToken?: string;
  lastError?: string;
  createdAt: string;
  updatedAt: string;
  sentAt?: string;
}

export type OutboxOutcome =
  | { status: 'sent'; at: Date }
  | {
      status: 'retry';
      at: Date;
      nextAttemptAt: Date;
      error: string;
      /** Parts delivered so far (kept when absent). */
      progress?: number;
      /** The attempt may have reached the channel (counted in `uncertain`). */
      uncertain?: boolean;
    }
  | { status: 'dead' | 'undeliverable'; at: Date; error: string; progress?: number };

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

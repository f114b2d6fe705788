/**
 * The outbox's storage: messages queued with the change that caused them (see
 * {@link import('../store/change-set').ChangeSet}), leased to one dispatcher at a time, settled
 * with the outcome of each attempt.
 *
 * @example
 * const [m] = await outbox.claim({ channels: ['telegram'], now, limit: 1, leaseMs: 50_000 });
 * if (m) await outbox.settle(m, { status: 'sent', at: now });
 */
export interface OutboxStore {
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
  claim(options: {
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
  settle(lease: { id: string; leaseToken: string }, outcome: OutboxOutcome): Promise<boolean>;
  /**
   * Records that the channel reported a message it had accepted as undeliverable after the fact
   * (a delivery receipt such as WhatsApp's `failed` status): a `sent` message, or one still
   * `sending` (the receipt came before the result was settled), becomes `undeliverable` with
   * `error`. A lease it had is dropped, so the send's own result can no longer settle it. Returns
   * false (and changes nothing) for a message in any other status; throws `not_found` for an
   * unknown id.
   */
  markUndeliverable(id: string, error: string, now: Date): Promise<boolean>;
  get(id: string): Promise<OutboxMessage | null>;
  /**
   * Queues dead or undeliverable messages again (an operator's resend): pending, due at `now`,
   * with a fresh time budget and no uncertain attempts. `ids` picks messages (any that are dead
   * or undeliverable); without ids, every message in `status`. Returns how many were queued.
   */
  retry(filter: { ids?: string[]; status?: 'dead' | 'undeliverable' }, now: Date): Promise<number>;
  /** How many outbox messages wait, are being sent, or failed (sent ones are not counted). */
  count(): Promise<OutboxCounts>;
  list(filter?: {
    status?: OutboxStatus;
    channel?: string;
    limit?: number;
  }): Promise<OutboxMessage[]>;
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'dead' | 'undeliverable';

/** Outbox messages per status, but `sent` (which only grows). */
export type OutboxCounts = Record<Exclude<OutboxStatus, 'sent'>, number>;

export interface NewOutboxMessage {
  /** One event is delivered once: a second message with the same key is dropped. */
  idempotencyKey: string;
  /** The sender that delivers it (a channel name such as `telegram`, or `slack`). */
  channel: string;
  /**
   * The address messages are routed and ordered by: a conversation id, an agency id (desks)…
   * A channel that needs more to reach the recipient finds it in the payload's typed recipient.
   */
  recipient: string;
  /**
   * What to deliver, stored as JSON. Producers build it with `notify` and senders read it with
   * `readNotification` (src/core/notifications.ts): a typed notification and its recipient.
   */
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

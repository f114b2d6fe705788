import type { OutboxMessage } from './port';

/**
 * What a channel's sender reports after one delivery attempt.
 * - `sent`: delivered.
 * - `retry`: a temporary failure (5xx, network, rate limit); `retryAfterMs` when the channel said
 *   how long to wait (Telegram `retry_after`, Slack `Retry-After`).
 * - `undeliverable`: a permanent failure (bot blocked, chat not found); never retried.
 */
export type SendResult =
  | { status: 'sent' }
  | {
      status: 'retry';
      error: string;
      retryAfterMs?: number;
      /** The call may have reached the channel (cut off after the request went out). */
      uncertain?: boolean;
      /** Parts of the message delivered before the failure (see `OutboxMessage.progress`). */
      progress?: number;
    }
  | { status: 'undeliverable'; error: string; progress?: number };

/** What a send gets besides the message. */
export interface SendOptions {
  /**
   * Aborted when the send has taken too long: stop the call (pass it to fetch or the client)
   * and return or throw soon after, so the message is never sent twice at once.
   */
  signal: AbortSignal;
}

/**
 * Delivers outbox messages of one channel. A thrown error counts as a temporary failure (one
 * whose outcome is unknown when the signal had aborted).
 *
 * @example
 * const smsSender: OutboxSender = {
 *   async send(m) {
 *     const read = readNotification(m);
 *     if (!read.ok) return { status: 'undeliverable', error: read.error };
 *     const shown = citizenMessageOf(read.notification);
 *     if (!shown) return unsupported('sms', read.notification);
 *     await sms.send(m.recipient, shown.replies.map((r) => r.text).join('\n'));
 *     return { status: 'sent' };
 *   },
 * };
 */
export interface OutboxSender {
  send(message: OutboxMessage, options: SendOptions): Promise<SendResult>;
}

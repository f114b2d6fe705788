import type { OutboxMessage } from '../store/port';

/**
 * What a channel's sender reports after one delivery attempt.
 * - `sent`: delivered.
 * - `retry`: a temporary failure (5xx, network, rate limit); `retryAfterMs` when the channel said
 *   how long to wait (Telegram `retry_after`, Slack `Retry-After`).
 * - `undeliverable`: a permanent failure (bot blocked, chat not found); never retried.
 */
export type SendResult =
  | { status: 'sent' }
  | { status: 'retry'; error: string; retryAfterMs?: number }
  | { status: 'undeliverable'; error: string };

/**
 * Delivers outbox messages of one channel. A thrown error counts as a temporary failure.
 *
 * @example
 * const telegramSender: OutboxSender = {
 *   async send(m) { await api.sendMessage(m.recipient, String(m.payload.text)); return { status: 'sent' }; },
 * };
 */
export interface OutboxSender {
  send(message: OutboxMessage): Promise<SendResult>;
}

import type { OutboxMessage, OutboxStatus } from '../../outbox/port';

// The outbox's rows and conditions, the same in SQLite and PostgreSQL.

/** A row of the `outbox` table. */
export interface OutboxRow {
  id: string;
  idempotency_key: string;
  channel: string;
  recipient: string;
  payload: string;
  tracking_id: string | null;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  lease_token: string | null;
  order_key: string;
  progress: number;
  uncertain: number;
  since_at: number;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

/**
 * SQL condition: row `p` is an open message (pending or sending) that holds back later messages
 * of its ordering key. A message scheduled for later and never tried yet does not. `now` is the
 * placeholder of the current instant (epoch ms): `?` in SQLite, `$n` in PostgreSQL.
 */
export function holdsBack(now = '?'): string {
  return `p.status IN ('pending', 'sending')
  AND (p.status = 'sending' OR p.attempts > 0 OR p.next_attempt_at <= ${now})`;
}

/** A list's page size within 1–1000 (default 100). */
export function clampLimit(limit: number | undefined): number {
  return Math.min(Math.max(Math.trunc(limit ?? 100), 1), 1000);
}

/** The message a row holds. */
export function fromOutboxRow(row: OutboxRow): OutboxMessage {
  const m: OutboxMessage = {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    channel: row.channel,
    recipient: row.recipient,
    orderingKey: row.order_key,
    payload: JSON.parse(row.payload),
    status: row.status,
    attempts: row.attempts,
    progress: row.progress,
    uncertain: row.uncertain,
    retryingSince: new Date(row.since_at).toISOString(),
    nextAttemptAt: new Date(row.next_attempt_at).toISOString(),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.tracking_id) m.trackingId = row.tracking_id;
  if (row.lease_until !== null) m.leaseUntil = new Date(row.lease_until).toISOString();
  if (row.lease_token) m.leaseToken = row.lease_token;
  if (row.last_error) m.lastError = row.last_error;
  if (row.sent_at) m.sentAt = row.sent_at;
  return m;
}

import type {
  NewOutboxMessage,
  OutboxCounts,
  OutboxMessage,
  OutboxOutcome,
  OutboxStatus,
} from '../../outbox/port';

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

/** A parameter of the outbox's SQL. */
export type OutboxParam = string | number | null;

/** SQL with `?` placeholders and its parameters (PostgreSQL runs it through `numbered`). */
export interface OutboxStatement {
  sql: string;
  params: OutboxParam[];
}

/** Queues a message unless its idempotency key is taken: values {@link outboxValues}. */
export const INSERT_OUTBOX = `INSERT INTO outbox (id, idempotency_key, channel, recipient, payload, tracking_id, status,
  attempts, next_attempt_at, lease_until, lease_token, created_at, updated_at, order_key, since_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (idempotency_key) DO NOTHING`;

/**
 * A row when an earlier message of the ordering key is still open and holds a new one back:
 * values `(channel, order_key, now epoch ms)`.
 */
export const HELD_BACK = `SELECT 1 FROM outbox p WHERE p.channel = ? AND p.order_key = ? AND ${holdsBack()} LIMIT 1`;

/**
 * The row a new message is stored as at `now`: pending, or with `lease` already `sending` on
 * its first attempt under that lease (token and end in epoch ms).
 */
export function newOutboxRow(
  id: string,
  m: NewOutboxMessage,
  now: Date,
  lease: { token: string; until: number } | null,
): OutboxRow {
  const at = now.toISOString();
  return {
    id,
    idempotency_key: m.idempotencyKey,
    channel: m.channel,
    recipient: m.recipient,
    payload: JSON.stringify(m.payload),
    tracking_id: m.trackingId ?? null,
    status: lease ? 'sending' : 'pending',
    attempts: lease ? 1 : 0,
    next_attempt_at: (m.notBefore ?? now).getTime(),
    lease_until: lease ? lease.until : null,
    lease_token: lease ? lease.token : null,
    order_key: m.orderingKey ?? m.recipient,
    progress: 0,
    uncertain: 0,
    since_at: now.getTime(),
    last_error: null,
    created_at: at,
    updated_at: at,
    sent_at: null,
  };
}

/** A new row's values in the order {@link INSERT_OUTBOX} takes them. */
export function outboxValues(row: OutboxRow): OutboxParam[] {
  return [
    row.id,
    row.idempotency_key,
    row.channel,
    row.recipient,
    row.payload,
    row.tracking_id,
    row.status,
    row.attempts,
    row.next_attempt_at,
    row.lease_until,
    row.lease_token,
    row.created_at,
    row.updated_at,
    row.order_key,
    row.since_at,
  ];
}

/**
 * The update that records an attempt's outcome on the message `lease` holds. It changes no row
 * when the lease is no longer held (expired and taken over, or settled already).
 */
export function settleStatement(
  lease: { id: string; leaseToken: string },
  outcome: OutboxOutcome,
): OutboxStatement {
  const at = outcome.at.toISOString();
  const held = `WHERE id = ? AND status = 'sending' AND lease_token = ?`;
  if (outcome.status === 'sent') {
    return {
      sql: `UPDATE outbox SET status = 'sent', lease_until = NULL, lease_token = NULL, sent_at = ?,
        updated_at = ? ${held}`,
      params: [at, at, lease.id, lease.leaseToken],
    };
  }
  if (outcome.status === 'retry') {
    return {
      sql: `UPDATE outbox SET status = 'pending', lease_until = NULL, lease_token = NULL, next_attempt_at = ?,
        last_error = ?, updated_at = ?, progress = coalesce(?, progress), uncertain = uncertain + ? ${held}`,
      params: [
        outcome.nextAttemptAt.getTime(),
        outcome.error,
        at,
        outcome.progress ?? null,
        outcome.uncertain ? 1 : 0,
        lease.id,
        lease.leaseToken,
      ],
    };
  }
  return {
    sql: `UPDATE outbox SET status = ?, lease_until = NULL, lease_token = NULL, last_error = ?, updated_at = ?,
      progress = coalesce(?, progress) ${held}`,
    params: [
      outcome.status,
      outcome.error,
      at,
      outcome.progress ?? null,
      lease.id,
      lease.leaseToken,
    ],
  };
}

/**
 * The update of {@link import('../../outbox/port').OutboxStore.markUndeliverable}: a sent (or
 * still sending) message becomes undeliverable, its lease dropped. It changes no row otherwise.
 */
export function markUndeliverableStatement(id: string, error: string, now: Date): OutboxStatement {
  return {
    sql: `UPDATE outbox SET status = 'undeliverable', lease_until = NULL, lease_token = NULL,
      last_error = ?, updated_at = ? WHERE id = ? AND status IN ('sent', 'sending')`,
    params: [error, now.toISOString(), id],
  };
}

/**
 * The query of a list: messages in `status` and `channel` (each when given), oldest first, at
 * most {@link clampLimit} of them. `tiebreak` orders messages created in one instant: the
 * engine's insertion order (`rowid` in SQLite, `seq` in PostgreSQL).
 *
 * @example
 * const { sql, params } = listStatement({ status: 'dead' }, 'rowid');
 * db.prepare(sql).all(...params);
 */
export function listStatement(
  filter: { status?: OutboxStatus; channel?: string; limit?: number },
  tiebreak: 'rowid' | 'seq',
): OutboxStatement {
  const where: string[] = [];
  const params: OutboxParam[] = [];
  if (filter.status) {
    where.push('status = ?');
    params.push(filter.status);
  }
  if (filter.channel) {
    where.push('channel = ?');
    params.push(filter.channel);
  }
  params.push(clampLimit(filter.limit));
  return {
    sql: `SELECT * FROM outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at, ${tiebreak} LIMIT ?`,
    params,
  };
}

/**
 * The outbox's counts ({@link OutboxCounts}: every status but `sent`), with `n` telling how many
 * messages are in a status.
 */
export function outboxCounts(n: (status: keyof OutboxCounts) => number): OutboxCounts {
  return {
    pending: n('pending'),
    sending: n('sending'),
    dead: n('dead'),
    undeliverable: n('undeliverable'),
  };
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

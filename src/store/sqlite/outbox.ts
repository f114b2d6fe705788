import { randomUUID } from 'node:crypto';
import type { RunResult } from 'better-sqlite3';
import { CodedError } from '../../errors';
import type {
  NewOutboxMessage,
  OutboxCounts,
  OutboxMessage,
  OutboxOutcome,
  OutboxStatus,
  OutboxStore,
} from '../../outbox/port';
import { clampLimit, fromOutboxRow, holdsBack, type OutboxRow } from '../sql/outbox';
import type { Statements } from './statements';

/** The outbox in SQLite: leases with tokens, per-ordering-key order, counts by status. */
export class SqliteOutbox implements OutboxStore {
  constructor(private readonly sql: Statements) {}

  /**
   * Queues messages (a duplicate idempotency key is ignored) and returns those leased to the
   * caller at once, as a claim would lease them (one attempt, a lease token): with `lease`, a
   * message of one of its channels that is due and has no earlier message of its ordering key
   * still open is stored as `sending` in the same insert, so the dispatcher sends it without a
   * claim (see `ChangeSet.lease`). `left` counts the messages of those channels that could not be
   * leased (they wait for a claim). In a transaction.
   */
  insert(
    messages: NewOutboxMessage[],
    now: Date,
    lease?: { channels: readonly string[]; leaseMs: number },
  ): { leased: OutboxMessage[]; left: number } {
    const insert = this.sql.get(
      `INSERT INTO outbox (id, idempotency_key, channel, recipient, payload, tracking_id, status, attempts,
         next_attempt_at, lease_until, lease_token, created_at, updated_at, order_key, since_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (idempotency_key) DO NOTHING`,
    );
    // An earlier message of the same ordering key still open holds a new one back, as in a claim.
    const heldBack = this.sql.get(
      `SELECT 1 FROM outbox p WHERE p.channel = ? AND p.order_key = ? AND ${holdsBack()} LIMIT 1`,
    );
    const at = now.toISOString();
    const nowMs = now.getTime();
    const leaseUntil = lease ? nowMs + lease.leaseMs : null;
    const leased: OutboxMessage[] = [];
    let left = 0;
    for (const m of messages) {
      const id = randomUUID();
      const due = m.notBefore ?? now;
      const orderingKey = m.orderingKey ?? m.recipient;
      const mine = lease?.channels.includes(m.channel) === true;
      const leaseToken =
        mine && due.getTime() <= nowMs && heldBack.get(m.channel, orderingKey, nowMs) === undefined
          ? randomUUID()
          : null;
      const json = JSON.stringify(m.payload);
      const r = insert.run(
        id,
        m.idempotencyKey,
        m.channel,
        m.recipient,
        json,
        m.trackingId ?? null,
        leaseToken ? 'sending' : 'pending',
        leaseToken ? 1 : 0,
        due.getTime(),
        leaseToken ? leaseUntil : null,
        leaseToken,
        at,
        at,
        orderingKey,
        nowMs,
      );
      if (r.changes !== 1) continue; // queued before
      if (!leaseToken) {
        if (mine) left++;
        continue;
      }
      // What a read of the row would give.
      const message: OutboxMessage = {
        id,
        idempotencyKey: m.idempotencyKey,
        channel: m.channel,
        recipient: m.recipient,
        orderingKey,
        payload: JSON.parse(json),
        status: 'sending',
        attempts: 1,
        progress: 0,
        uncertain: 0,
        retryingSince: at,
        nextAttemptAt: due.toISOString(),
        leaseUntil: new Date(leaseUntil as number).toISOString(),
        leaseToken,
        createdAt: at,
        updatedAt: at,
      };
      if (m.trackingId) message.trackingId = m.trackingId;
      leased.push(message);
    }
    return { leased, left };
  }

  async enqueue(messages: NewOutboxMessage[], now: Date): Promise<void> {
    await this.sql.write(() => this.insert(messages, now));
  }

  async claim(options: {
    channels: string[];
    now: Date;
    limit: number;
    leaseMs: number;
  }): Promise<OutboxMessage[]> {
    if (options.channels.length === 0 || options.limit <= 0) return [];
    const nowMs = options.now.getTime();
    const marks = options.channels.map(() => '?').join(', ');
    const claim = this.sql.db.transaction(() => {
      const rows = this.sql
        .get(
          `SELECT o.* FROM outbox o WHERE o.channel IN (${marks}) AND (
             (o.status = 'pending' AND o.next_attempt_at <= ?) OR (o.status = 'sending' AND o.lease_until <= ?))
             AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.channel = o.channel AND p.order_key = o.order_key
               AND p.rowid < o.rowid AND ${holdsBack()})
           ORDER BY o.next_attempt_at, o.rowid LIMIT ?`,
        )
        .all(...options.channels, nowMs, nowMs, nowMs, options.limit) as OutboxRow[];
      const lease = this.sql.get(
        `UPDATE outbox SET status = 'sending', attempts = attempts + 1, uncertain = ?, lease_until = ?,
           lease_token = ?, updated_at = ? WHERE id = ?`,
      );
      return rows.map((row) => {
        const leased: OutboxRow = {
          ...row,
          status: 'sending',
          attempts: row.attempts + 1,
          // The holder of an expired lease died or hung mid-send: it may have delivered.
          uncertain: row.uncertain + (row.status === 'sending' ? 1 : 0),
          lease_until: nowMs + options.leaseMs,
          lease_token: randomUUID(),
          updated_at: options.now.toISOString(),
        };
        lease.run(
          leased.uncertain,
          leased.lease_until,
          leased.lease_token,
          leased.updated_at,
          row.id,
        );
        return fromOutboxRow(leased);
      });
    });
    // In a write transaction (the group commit's, BEGIN IMMEDIATE): the write lock is taken
    // before reading, so two processes cannot lease the same rows.
    return this.sql.write(() => claim());
  }

  async settle(
    lease: { id: string; leaseToken: string },
    outcome: OutboxOutcome,
  ): Promise<boolean> {
    return this.sql.write(() => this.settleNow(lease, outcome));
  }

  private settleNow(lease: { id: string; leaseToken: string }, outcome: OutboxOutcome): boolean {
    const at = outcome.at.toISOString();
    const held = `WHERE id = ? AND status = 'sending' AND lease_token = ?`;
    let r: RunResult;
    if (outcome.status === 'sent') {
      r = this.sql
        .get(
          `UPDATE outbox SET status = 'sent', lease_until = NULL, lease_token = NULL, sent_at = ?, updated_at = ? ${held}`,
        )
        .run(at, at, lease.id, lease.leaseToken);
    } else if (outcome.status === 'retry') {
      r = this.sql
        .get(
          `UPDATE outbox SET status = 'pending', lease_until = NULL, lease_token = NULL, next_attempt_at = ?,
             last_error = ?, updated_at = ?, progress = coalesce(?, progress), uncertain = uncertain + ? ${held}`,
        )
        .run(
          outcome.nextAttemptAt.getTime(),
          outcome.error,
          at,
          outcome.progress ?? null,
          outcome.uncertain ? 1 : 0,
          lease.id,
          lease.leaseToken,
        );
    } else {
      r = this.sql
        .get(
          `UPDATE outbox SET status = ?, lease_until = NULL, lease_token = NULL, last_error = ?, updated_at = ?,
             progress = coalesce(?, progress) ${held}`,
        )
        .run(
          outcome.status,
          outcome.error,
          at,
          outcome.progress ?? null,
          lease.id,
          lease.leaseToken,
        );
    }
    if (r.changes === 1) return true;
    if (!this.sql.get('SELECT 1 FROM outbox WHERE id = ?').get(lease.id)) {
      throw new CodedError('not_found', `no outbox message ${lease.id}`);
    }
    return false;
  }

  async get(id: string): Promise<OutboxMessage | null> {
    const row = this.sql.get('SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRow | undefined;
    return row ? fromOutboxRow(row) : null;
  }

  async retry(
    filter: { ids?: string[]; status?: 'dead' | 'undeliverable' },
    now: Date,
  ): Promise<number> {
    const where = filter.ids
      ? `id IN (${filter.ids.map(() => '?').join(', ')}) AND status IN ('dead', 'undeliverable')`
      : 'status = ?';
    const params = filter.ids ?? [filter.status ?? 'dead'];
    if (filter.ids?.length === 0) return 0;
    const update = this.sql.get(
      `UPDATE outbox SET status = 'pending', next_attempt_at = ?, since_at = ?, uncertain = 0,
         updated_at = ? WHERE ${where}`,
    );
    return this.sql.write(
      () => update.run(now.getTime(), now.getTime(), now.toISOString(), ...params).changes,
    );
  }

  async count(): Promise<OutboxCounts> {
    // One index range per status (outbox_due starts with status): never a scan of sent messages.
    const count = this.sql.get('SELECT count(*) AS n FROM outbox WHERE status = ?');
    const n = (status: OutboxStatus) => (count.get(status) as { n: number }).n;
    return {
      pending: n('pending'),
      sending: n('sending'),
      dead: n('dead'),
      undeliverable: n('undeliverable'),
    };
  }

  async list(
    filter: { status?: OutboxStatus; channel?: string; limit?: number } = {},
  ): Promise<OutboxMessage[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.status) {
      where.push('status = ?');
      params.push(filter.status);
    }
    if (filter.channel) {
      where.push('channel = ?');
      params.push(filter.channel);
    }
    const sql = `SELECT * FROM outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at, rowid LIMIT ?`;
    return (this.sql.get(sql).all(...params, clampLimit(filter.limit)) as OutboxRow[]).map(
      fromOutboxRow,
    );
  }
}

import { randomUUID } from 'node:crypto';
import { CodedError } from '../../errors';
import type {
  NewOutboxMessage,
  OutboxCounts,
  OutboxMessage,
  OutboxOutcome,
  OutboxStatus,
  OutboxStore,
} from '../../outbox/port';
import {
  fromOutboxRow,
  HELD_BACK,
  holdsBack,
  INSERT_OUTBOX,
  listStatement,
  markUndeliverableStatement,
  newOutboxRow,
  type OutboxRow,
  outboxCounts,
  outboxValues,
  settleStatement,
} from '../sql/outbox';
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
    const insert = this.sql.get(INSERT_OUTBOX);
    // An earlier message of the same ordering key still open holds a new one back, as in a claim.
    const heldBack = this.sql.get(HELD_BACK);
    const nowMs = now.getTime();
    const leaseUntil = lease ? nowMs + lease.leaseMs : null;
    const leased: OutboxMessage[] = [];
    let left = 0;
    for (const m of messages) {
      const due = m.notBefore ?? now;
      const orderingKey = m.orderingKey ?? m.recipient;
      const mine = lease?.channels.includes(m.channel) === true;
      const leaseToken =
        mine && due.getTime() <= nowMs && heldBack.get(m.channel, orderingKey, nowMs) === undefined
          ? randomUUID()
          : null;
      const row = newOutboxRow(
        randomUUID(),
        m,
        now,
        leaseToken ? { token: leaseToken, until: leaseUntil as number } : null,
      );
      const r = insert.run(...outboxValues(row));
      if (r.changes !== 1) continue; // queued before
      if (!leaseToken) {
        if (mine) left++;
        continue;
      }
      // What a read of the row gives.
      leased.push(fromOutboxRow(row));
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
    const { sql, params } = settleStatement(lease, outcome);
    if (this.sql.get(sql).run(...params).changes === 1) return true;
    if (!this.sql.get('SELECT 1 FROM outbox WHERE id = ?').get(lease.id)) {
      throw new CodedError('not_found', `no outbox message ${lease.id}`);
    }
    return false;
  }

  async markUndeliverable(id: string, error: string, now: Date): Promise<boolean> {
    const { sql, params } = markUndeliverableStatement(id, error, now);
    return this.sql.write(() => {
      if (this.sql.get(sql).run(...params).changes === 1) return true;
      if (!this.sql.get('SELECT 1 FROM outbox WHERE id = ?').get(id)) {
        throw new CodedError('not_found', `no outbox message ${id}`);
      }
      return false;
    });
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
    return outboxCounts((status) => (count.get(status) as { n: number }).n);
  }

  async list(
    filter: { status?: OutboxStatus; channel?: string; limit?: number } = {},
  ): Promise<OutboxMessage[]> {
    const { sql, params } = listStatement(filter, 'rowid');
    return (this.sql.get(sql).all(...params) as OutboxRow[]).map(fromOutboxRow);
  }
}

import { randomUUID } from 'node:crypto';
import type pg from 'pg';
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
import { numbered, type Queryable, query, transaction } from './db';

// The shared statements with their placeholders numbered once.
const SQL = {
  insert: `${numbered(INSERT_OUTBOX)}\n  RETURNING *`,
  heldBack: numbered(HELD_BACK),
};

/**
 * The outbox in PostgreSQL, shared by every instance on the database: leases with tokens taken
 * with `FOR UPDATE SKIP LOCKED` (two instances never lease one message), per-ordering-key order,
 * counts by status.
 *
 * Order within an ordering key needs the key's messages to be numbered (`seq`) in the order they
 * become visible. A sequence number is taken at insert, not at commit, so a transaction that
 * queues messages first takes a transaction-scoped advisory lock on each of their ordering keys
 * (in sorted order, so two transactions never wait for each other crosswise): the next writer
 * for a key waits until the previous one committed, and sees its rows.
 */
export class PgOutbox implements OutboxStore {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Queues messages (a duplicate idempotency key is ignored) in the caller's transaction and
   * returns those leased to the caller at once (see `ChangeSet.lease`), as the SQLite store does.
   */
  async insert(
    tx: Queryable,
    messages: NewOutboxMessage[],
    now: Date,
    lease?: { channels: readonly string[]; leaseMs: number },
  ): Promise<{ leased: OutboxMessage[]; left: number }> {
    if (messages.length === 0) return { leased: [], left: 0 };
    const keys = [
      ...new Set(messages.map((m) => JSON.stringify([m.channel, m.orderingKey ?? m.recipient]))),
    ];
    await query(
      tx,
      `SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k ORDER BY k COLLATE "C"`,
      [keys.sort()],
    );
    const nowMs = now.getTime();
    const leaseUntil = lease ? nowMs + lease.leaseMs : null;
    const leased: OutboxMessage[] = [];
    let left = 0;
    for (const m of messages) {
      const due = m.notBefore ?? now;
      const orderingKey = m.orderingKey ?? m.recipient;
      const mine = lease?.channels.includes(m.channel) === true;
      let leaseToken: string | null = null;
      if (mine && due.getTime() <= nowMs) {
        // An earlier message of the same ordering key still open holds a new one back.
        const held = await query(tx, SQL.heldBack, [m.channel, orderingKey, nowMs]);
        if (held.rowCount === 0) leaseToken = randomUUID();
      }
      const r = await query<OutboxRow>(
        tx,
        SQL.insert,
        outboxValues(
          newOutboxRow(
            randomUUID(),
            m,
            now,
            leaseToken ? { token: leaseToken, until: leaseUntil as number } : null,
          ),
        ),
      );
      const row = r.rows[0];
      if (!row) continue; // queued before
      if (!leaseToken) {
        if (mine) left++;
        continue;
      }
      leased.push(fromOutboxRow(row));
    }
    return { leased, left };
  }

  async enqueue(messages: NewOutboxMessage[], now: Date): Promise<void> {
    await transaction(this.pool, (tx) => this.insert(tx, messages, now));
  }

  async claim(options: {
    channels: string[];
    now: Date;
    limit: number;
    leaseMs: number;
  }): Promise<OutboxMessage[]> {
    if (options.channels.length === 0 || options.limit <= 0) return [];
    const nowMs = options.now.getTime();
    return transaction(this.pool, async (tx) => {
      // Rows another instance is leasing right now are skipped, not waited for.
      const { rows } = await query<OutboxRow>(
        tx,
        `SELECT o.* FROM outbox o WHERE o.channel = ANY($1::text[]) AND (
           (o.status = 'pending' AND o.next_attempt_at <= $2) OR (o.status = 'sending' AND o.lease_until <= $2))
           AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.channel = o.channel AND p.order_key = o.order_key
             AND p.seq < o.seq AND ${holdsBack('$2')})
         ORDER BY o.next_attempt_at, o.seq LIMIT $3
         FOR UPDATE OF o SKIP LOCKED`,
        [options.channels, nowMs, options.limit],
      );
      if (rows.length === 0) return [];
      const updatedAt = options.now.toISOString();
      const leaseUntil = nowMs + options.leaseMs;
      const leased = rows.map((row) => ({
        ...row,
        status: 'sending' as const,
        attempts: row.attempts + 1,
        // The holder of an expired lease died or hung mid-send: it may have delivered.
        uncertain: row.uncertain + (row.status === 'sending' ? 1 : 0),
        lease_until: leaseUntil,
        lease_token: randomUUID(),
        updated_at: updatedAt,
      }));
      await query(
        tx,
        `UPDATE outbox o SET status = 'sending', attempts = o.attempts + 1, uncertain = l.uncertain,
           lease_until = $1, lease_token = l.token, updated_at = $2
         FROM unnest($3::text[], $4::text[], $5::int[]) AS l (id, token, uncertain)
         WHERE o.id = l.id`,
        [
          leaseUntil,
          updatedAt,
          leased.map((r) => r.id),
          leased.map((r) => r.lease_token),
          leased.map((r) => r.uncertain),
        ],
      );
      return leased.map(fromOutboxRow);
    });
  }

  async settle(
    lease: { id: string; leaseToken: string },
    outcome: OutboxOutcome,
  ): Promise<boolean> {
    const { sql, params } = settleStatement(lease, outcome);
    const r = await query(this.pool, numbered(sql), params);
    if (r.rowCount === 1) return true;
    const found = await query(this.pool, 'SELECT 1 FROM outbox WHERE id = $1', [lease.id]);
    if (found.rowCount === 0) throw new CodedError('not_found', `no outbox message ${lease.id}`);
    return false;
  }

  async markUndeliverable(id: string, error: string, now: Date): Promise<boolean> {
    const { sql, params } = markUndeliverableStatement(id, error, now);
    const r = await query(this.pool, numbered(sql), params);
    if (r.rowCount === 1) return true;
    const found = await query(this.pool, 'SELECT 1 FROM outbox WHERE id = $1', [id]);
    if (found.rowCount === 0) throw new CodedError('not_found', `no outbox message ${id}`);
    return false;
  }

  async get(id: string): Promise<OutboxMessage | null> {
    const { rows } = await query<OutboxRow>(this.pool, 'SELECT * FROM outbox WHERE id = $1', [id]);
    return rows[0] ? fromOutboxRow(rows[0]) : null;
  }

  async retry(
    filter: { ids?: string[]; status?: 'dead' | 'undeliverable' },
    now: Date,
  ): Promise<number> {
    if (filter.ids?.length === 0) return 0;
    const where = filter.ids
      ? `id = ANY($4::text[]) AND status IN ('dead', 'undeliverable')`
      : 'status = $4';
    const r = await query(
      this.pool,
      `UPDATE outbox SET status = 'pending', next_attempt_at = $1, since_at = $2, uncertain = 0,
         updated_at = $3 WHERE ${where}`,
      [now.getTime(), now.getTime(), now.toISOString(), filter.ids ?? filter.status ?? 'dead'],
    );
    return r.rowCount ?? 0;
  }

  async count(): Promise<OutboxCounts> {
    // One index range per status (outbox_due starts with status): never a scan of sent messages.
    const { rows } = await query<{ status: OutboxStatus; n: number }>(
      this.pool,
      `SELECT s.status, (SELECT count(*) FROM outbox o WHERE o.status = s.status) AS n
       FROM unnest(ARRAY['pending', 'sending', 'dead', 'undeliverable']) AS s (status)`,
    );
    return outboxCounts((status) => rows.find((r) => r.status === status)?.n ?? 0);
  }

  async list(
    filter: { status?: OutboxStatus; channel?: string; limit?: number } = {},
  ): Promise<OutboxMessage[]> {
    const { sql, params } = listStatement(filter, 'seq');
    const { rows } = await query<OutboxRow>(this.pool, numbered(sql), params);
    return rows.map(fromOutboxRow);
  }
}

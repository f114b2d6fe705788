import type pg from 'pg';
import type {
  ConversationKey,
  ConversationLedger,
  InboundRecord,
  Session,
  UnfinishedWork,
  WorkHold,
  WorkQueue,
} from '../../core/ledger';
import {
  alreadyHandled,
  FINISH_WORK,
  fromInboundRow,
  fromQueuedRow,
  fromSessionRow,
  fromUnfinishedRow,
  type InboundRow,
  PURGE_INBOUND,
  RECORD_INBOUND,
  RECORD_WORK,
  SELECT_INBOUND,
  SELECT_QUEUED_WORK,
  SELECT_SESSION,
  type SessionRow,
  STORE_RESULT,
  sessionConflict,
  sessionWrite,
  type UnfinishedRow,
  workColumns,
} from '../sql/ledger';
import { numbered, type Queryable, query, transaction } from './db';

// The shared statements with their placeholders numbered once.
const SQL = {
  selectSession: numbered(SELECT_SESSION),
  storeResult: numbered(STORE_RESULT),
  recordInbound: numbered(RECORD_INBOUND),
  recordWork: numbered(RECORD_WORK),
  finishWork: numbered(FINISH_WORK),
  selectInbound: numbered(SELECT_INBOUND),
  purgeInbound: numbered(PURGE_INBOUND),
  queuedWork: numbered(SELECT_QUEUED_WORK),
};

const numberedCache = new Map<string, string>();

/** `numbered(sql)`, computed once per statement text. */
function numberedOnce(sql: string): string {
  let text = numberedCache.get(sql);
  if (text === undefined) {
    text = numbered(sql);
    numberedCache.set(sql, text);
  }
  return text;
}

/** Sessions and the inbound ledger (idempotency, results, held work) in PostgreSQL. */
export class PgLedger implements ConversationLedger {
  constructor(private readonly pool: pg.Pool) {}

  async getSession(key: ConversationKey): Promise<Session | null> {
    const { rows } = await query<SessionRow>(this.pool, SQL.selectSession, [
      key.channel,
      key.conversationId,
    ]);
    const row = rows[0];
    return row ? fromSessionRow(key, row) : null;
  }

  /**
   * Saves or deletes a session, guarded by `expectedVersion` when given (see
   * `ChangeSet.sessions`): throws `conflict` (entity `session`) when it lost. In a transaction.
   */
  async writeSession(
    tx: Queryable,
    key: ConversationKey,
    session: Session | null,
    expectedVersion?: number | null,
  ): Promise<void> {
    const w = sessionWrite(key, session, expectedVersion);
    const r = await query(tx, numberedOnce(w.sql), w.params);
    if (w.changes !== null && r.rowCount !== w.changes) throw sessionConflict(key);
  }

  /**
   * Stores the result of handling an inbound message (recording it as seen), once: throws
   * `duplicate` (entity `inbound`) when the message has a result already. In a transaction.
   */
  async writeResult(
    tx: Queryable,
    channel: string,
    messageId: string,
    at: Date,
    result: unknown,
  ): Promise<void> {
    const stored = await query(tx, SQL.storeResult, [
      channel,
      messageId,
      at.toISOString(),
      JSON.stringify(result ?? null),
    ]);
    if (stored.rowCount === 0) throw alreadyHandled(channel, messageId);
  }

  async record(channel: string, messageId: string, at: Date): Promise<boolean> {
    const r = await query(this.pool, SQL.recordInbound, [channel, messageId, at.toISOString()]);
    return r.rowCount === 1;
  }

  async recordWork(
    channel: string,
    messageId: string,
    at: Date,
    work: unknown,
    hold: WorkHold & { now: Date } & WorkQueue,
  ): Promise<boolean> {
    const r = await query(
      this.pool,
      SQL.recordWork,
      workColumns(channel, messageId, at, work, hold),
    );
    return r.rowCount === 1;
  }

  async finish(channel: string, messageId: string): Promise<void> {
    await this.finishIn(this.pool, channel, messageId);
  }

  /** Drops kept work (in the caller's transaction, or on its own). */
  async finishIn(db: Queryable, channel: string, messageId: string): Promise<void> {
    await query(db, SQL.finishWork, [channel, messageId]);
  }

  async claimUnfinished(
    channel: string,
    options: WorkHold & { now: Date; limit: number; ownToo?: boolean },
  ): Promise<UnfinishedWork[]> {
    const now = options.now.getTime();
    // Rows another instance is claiming right now are skipped, not waited for.
    const rows = await transaction(this.pool, async (tx) => {
      const found = await query<UnfinishedRow & { seq: number }>(
        tx,
        `SELECT seq, message_id, received_at, work, work_attempts FROM inbound
         WHERE channel = $1 AND work IS NOT NULL
           AND (owner IS NULL OR (owner = $2 AND $5) OR lease_until IS NULL OR lease_until <= $3)
         ORDER BY received_at, seq LIMIT $4
         FOR UPDATE SKIP LOCKED`,
        [channel, options.owner, now, options.limit, options.ownToo !== false],
      );
      if (found.rows.length > 0) {
        await query(
          tx,
          `UPDATE inbound SET work_attempts = work_attempts + 1, owner = $1, lease_until = $2
           WHERE channel = $3 AND message_id = ANY($4::text[])`,
          [options.owner, now + options.leaseMs, channel, found.rows.map((r) => r.message_id)],
        );
      }
      return found.rows;
    });
    return rows.map(fromUnfinishedRow);
  }

  async queuedWork(channel: string, key: string, limit: number): Promise<UnfinishedWork[]> {
    const { rows } = await query<UnfinishedRow>(this.pool, SQL.queuedWork, [channel, key, limit]);
    return rows.map(fromQueuedRow);
  }

  async get(channel: string, messageId: string): Promise<InboundRecord | null> {
    const { rows } = await query<InboundRow>(this.pool, SQL.selectInbound, [channel, messageId]);
    const row = rows[0];
    return row ? fromInboundRow(channel, messageId, row) : null;
  }

  async purge(before: Date): Promise<number> {
    const r = await query(this.pool, SQL.purgeInbound, [before.toISOString()]);
    return r.rowCount ?? 0;
  }
}

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
import type { Statements } from './statements';

/** Sessions and the inbound ledger (idempotency, results, held work) in SQLite. */
export class SqliteLedger implements ConversationLedger {
  constructor(private readonly sql: Statements) {}

  async getSession(key: ConversationKey): Promise<Session | null> {
    const row = this.sql.get(SELECT_SESSION).get(key.channel, key.conversationId) as
      | SessionRow
      | undefined;
    return row ? fromSessionRow(key, row) : null;
  }

  /**
   * Saves or deletes a session, guarded by `expectedVersion` when given (see
   * `ChangeSet.sessions`): throws `conflict` (entity `session`) when it lost. In a transaction.
   */
  writeSession(
    key: ConversationKey,
    session: Session | null,
    expectedVersion?: number | null,
  ): void {
    const w = sessionWrite(key, session, expectedVersion);
    const r = this.sql.get(w.sql).run(...w.params);
    if (w.changes !== null && r.changes !== w.changes) throw sessionConflict(key);
  }

  /**
   * Stores the result of handling an inbound message (recording it as seen), once: throws
   * `duplicate` (entity `inbound`) when the message has a result already. In a transaction.
   */
  writeResult(channel: string, messageId: string, at: Date, result: unknown): void {
    const stored = this.sql
      .get(STORE_RESULT)
      .run(channel, messageId, at.toISOString(), JSON.stringify(result ?? null));
    if (stored.changes === 0) throw alreadyHandled(channel, messageId);
  }

  async record(channel: string, messageId: string, at: Date): Promise<boolean> {
    return this.sql.write(
      () => this.sql.get(RECORD_INBOUND).run(channel, messageId, at.toISOString()).changes === 1,
    );
  }

  async recordWork(
    channel: string,
    messageId: string,
    at: Date,
    work: unknown,
    hold: WorkHold & { now: Date } & WorkQueue,
  ): Promise<boolean> {
    const insert = this.sql.get(RECORD_WORK);
    const row = workColumns(channel, messageId, at, work, hold);
    return this.sql.write(() => insert.run(...row).changes === 1);
  }

  async finish(channel: string, messageId: string): Promise<void> {
    await this.sql.write(() => this.finishNow(channel, messageId));
  }

  /** Drops kept work. In a transaction. */
  finishNow(channel: string, messageId: string): void {
    this.sql.get(FINISH_WORK).run(channel, messageId);
  }

  async claimUnfinished(
    channel: string,
    options: WorkHold & { now: Date; limit: number; ownToo?: boolean },
  ): Promise<UnfinishedWork[]> {
    const now = options.now.getTime();
    const own = options.ownToo !== false;
    const claim = this.sql.db.transaction(() => {
      const found = this.sql
        .get(
          `SELECT rowid, message_id, received_at, work, work_attempts FROM inbound
           WHERE channel = ? AND work IS NOT NULL
             AND (owner IS NULL OR ${own ? 'owner = ? OR ' : ''}lease_until IS NULL OR lease_until <= ?)
           ORDER BY received_at, rowid LIMIT ?`,
        )
        .all(
          ...[channel, ...(own ? [options.owner] : []), now, options.limit],
        ) as (UnfinishedRow & { rowid: number })[];
      const hold = this.sql.get(
        'UPDATE inbound SET work_attempts = work_attempts + 1, owner = ?, lease_until = ? WHERE rowid = ?',
      );
      for (const r of found) hold.run(options.owner, now + options.leaseMs, r.rowid);
      return found;
    });
    // In a write transaction (the group commit's, BEGIN IMMEDIATE): the write lock is taken
    // before reading, so two processes cannot claim the same rows.
    return (await this.sql.write(() => claim())).map(fromUnfinishedRow);
  }

  async queuedWork(channel: string, key: string, limit: number): Promise<UnfinishedWork[]> {
    const rows = this.sql.get(SELECT_QUEUED_WORK).all(channel, key, limit) as UnfinishedRow[];
    return rows.map(fromQueuedRow);
  }

  async get(channel: string, messageId: string): Promise<InboundRecord | null> {
    const row = this.sql.get(SELECT_INBOUND).get(channel, messageId) as InboundRow | undefined;
    return row ? fromInboundRow(channel, messageId, row) : null;
  }

  async purge(before: Date): Promise<number> {
    const remove = this.sql.get(PURGE_INBOUND);
    return this.sql.write(() => remove.run(before.toISOString()).changes);
  }
}

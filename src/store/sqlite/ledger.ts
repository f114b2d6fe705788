import type {
  ConversationKey,
  ConversationLedger,
  InboundRecord,
  Session,
  UnfinishedWork,
  WorkHold,
} from '../../core/ledger';
import { CodedError } from '../../errors';
import type { Statements } from './statements';

/** Sessions and the inbound ledger (idempotency, results, held work) in SQLite. */
export class SqliteLedger implements ConversationLedger {
  constructor(private readonly sql: Statements) {}

  async getSession(key: ConversationKey): Promise<Session | null> {
    const row = this.sql
      .get('SELECT updated_at, data FROM sessions WHERE channel = ? AND conversation_id = ?')
      .get(key.channel, key.conversationId) as { updated_at: string; data: string } | undefined;
    return row ? { key, data: JSON.parse(row.data), updatedAt: row.updated_at } : null;
  }

  /** Saves or deletes a session. In a transaction. */
  writeSession(key: ConversationKey, session: Session | null): void {
    if (session) {
      this.sql
        .get(
          `INSERT INTO sessions (channel, conversation_id, updated_at, data) VALUES (?, ?, ?, ?)
           ON CONFLICT (channel, conversation_id) DO UPDATE SET updated_at = excluded.updated_at, data = excluded.data`,
        )
        .run(key.channel, key.conversationId, session.updatedAt, JSON.stringify(session.data));
    } else {
      this.sql
        .get('DELETE FROM sessions WHERE channel = ? AND conversation_id = ?')
        .run(key.channel, key.conversationId);
    }
  }

  /**
   * Stores the result of handling an inbound message (recording it as seen), once: throws
   * `duplicate` (entity `inbound`) when the message has a result already. In a transaction.
   */
  writeResult(channel: string, messageId: string, at: Date, result: unknown): void {
    const stored = this.sql
      .get(
        `INSERT INTO inbound (channel, message_id, received_at, result) VALUES (?, ?, ?, ?)
         ON CONFLICT (channel, message_id) DO UPDATE SET result = excluded.result
         WHERE inbound.result IS NULL`,
      )
      .run(channel, messageId, at.toISOString(), JSON.stringify(result ?? null));
    if (stored.changes === 0) {
      throw new CodedError('duplicate', `message ${channel}/${messageId} was handled already`, {
        entity: 'inbound',
      });
    }
  }

  async record(channel: string, messageId: string, at: Date): Promise<boolean> {
    return this.sql.write(
      () =>
        this.sql
          .get(
            `INSERT INTO inbound (channel, message_id, received_at) VALUES (?, ?, ?)
             ON CONFLICT (channel, message_id) DO NOTHING`,
          )
          .run(channel, messageId, at.toISOString()).changes === 1,
    );
  }

  async recordWork(
    channel: string,
    messageId: string,
    at: Date,
    work: unknown,
    hold: WorkHold & { now: Date },
  ): Promise<boolean> {
    const insert = this.sql.get(
      `INSERT INTO inbound (channel, message_id, received_at, work, owner, lease_until)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (channel, message_id) DO NOTHING`,
    );
    const row = [
      channel,
      messageId,
      at.toISOString(),
      JSON.stringify(work ?? null),
      hold.owner,
      hold.now.getTime() + hold.leaseMs,
    ];
    return this.sql.write(() => insert.run(...row).changes === 1);
  }

  async finish(channel: string, messageId: string): Promise<void> {
    await this.sql.write(() => this.finishNow(channel, messageId));
  }

  /** Drops kept work. In a transaction. */
  finishNow(channel: string, messageId: string): void {
    this.sql
      .get(
        'UPDATE inbound SET work = NULL, owner = NULL, lease_until = NULL WHERE channel = ? AND message_id = ?',
      )
      .run(channel, messageId);
  }

  async claimUnfinished(
    channel: string,
    options: WorkHold & { now: Date; limit: number },
  ): Promise<UnfinishedWork[]> {
    const now = options.now.getTime();
    const claim = this.sql.db.transaction(() => {
      const found = this.sql
        .get(
          `SELECT rowid, message_id, received_at, work, work_attempts FROM inbound
           WHERE channel = ? AND work IS NOT NULL
             AND (owner IS NULL OR owner = ? OR lease_until IS NULL OR lease_until <= ?)
           ORDER BY received_at, rowid LIMIT ?`,
        )
        .all(channel, options.owner, now, options.limit) as {
        rowid: number;
        message_id: string;
        received_at: string;
        work: string;
        work_attempts: number;
      }[];
      const hold = this.sql.get(
        'UPDATE inbound SET work_attempts = work_attempts + 1, owner = ?, lease_until = ? WHERE rowid = ?',
      );
      for (const r of found) hold.run(options.owner, now + options.leaseMs, r.rowid);
      return found;
    });
    // In a write transaction (the group commit's, BEGIN IMMEDIATE): the write lock is taken
    // before reading, so two processes cannot claim the same rows.
    return (await this.sql.write(() => claim())).map((r) => ({
      messageId: r.message_id,
      receivedAt: r.received_at,
      work: readJson(r.work),
      attempts: r.work_attempts + 1,
    }));
  }

  async get(channel: string, messageId: string): Promise<InboundRecord | null> {
    const row = this.sql
      .get('SELECT received_at, result FROM inbound WHERE channel = ? AND message_id = ?')
      .get(channel, messageId) as { received_at: string; result: string | null } | undefined;
    if (!row) return null;
    return {
      channel,
      messageId,
      receivedAt: row.received_at,
      result: row.result === null ? null : JSON.parse(row.result),
    };
  }

  async purge(before: Date): Promise<number> {
    const remove = this.sql.get('DELETE FROM inbound WHERE received_at < ?');
    return this.sql.write(() => remove.run(before.toISOString()).changes);
  }
}

/** Parsed JSON, or null when it cannot be read (the caller gives it up). */
function readJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

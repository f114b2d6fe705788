import type pg from 'pg';
import type {
  ConversationKey,
  ConversationLedger,
  InboundRecord,
  Session,
  UnfinishedWork,
  WorkHold,
} from '../../core/ledger';
import { CodedError } from '../../errors';
import { type Queryable, query, transaction } from './db';

/** Sessions and the inbound ledger (idempotency, results, held work) in PostgreSQL. */
export class PgLedger implements ConversationLedger {
  constructor(private readonly pool: pg.Pool) {}

  async getSession(key: ConversationKey): Promise<Session | null> {
    const { rows } = await query<{ updated_at: string; data: string }>(
      this.pool,
      'SELECT updated_at, data FROM sessions WHERE channel = $1 AND conversation_id = $2',
      [key.channel, key.conversationId],
    );
    const row = rows[0];
    return row ? { key, data: JSON.parse(row.data), updatedAt: row.updated_at } : null;
  }

  /** Saves or deletes a session. In a transaction. */
  async writeSession(tx: Queryable, key: ConversationKey, session: Session | null): Promise<void> {
    if (session) {
      await query(
        tx,
        `INSERT INTO sessions (channel, conversation_id, updated_at, data) VALUES ($1, $2, $3, $4)
         ON CONFLICT (channel, conversation_id) DO UPDATE SET updated_at = excluded.updated_at, data = excluded.data`,
        [key.channel, key.conversationId, session.updatedAt, JSON.stringify(session.data)],
      );
    } else {
      await query(tx, 'DELETE FROM sessions WHERE channel = $1 AND conversation_id = $2', [
        key.channel,
        key.conversationId,
      ]);
    }
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
    const stored = await query(
      tx,
      `INSERT INTO inbound (channel, message_id, received_at, result) VALUES ($1, $2, $3, $4)
       ON CONFLICT (channel, message_id) DO UPDATE SET result = excluded.result
       WHERE inbound.result IS NULL`,
      [channel, messageId, at.toISOString(), JSON.stringify(result ?? null)],
    );
    if (stored.rowCount === 0) {
      throw new CodedError('duplicate', `message ${channel}/${messageId} was handled already`, {
        entity: 'inbound',
      });
    }
  }

  async record(channel: string, messageId: string, at: Date): Promise<boolean> {
    const r = await query(
      this.pool,
      `INSERT INTO inbound (channel, message_id, received_at) VALUES ($1, $2, $3)
       ON CONFLICT (channel, message_id) DO NOTHING`,
      [channel, messageId, at.toISOString()],
    );
    return r.rowCount === 1;
  }

  async recordWork(
    channel: string,
    messageId: string,
    at: Date,
    work: unknown,
    hold: WorkHold & { now: Date },
  ): Promise<boolean> {
    const r = await query(
      this.pool,
      `INSERT INTO inbound (channel, message_id, received_at, work, owner, lease_until)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (channel, message_id) DO NOTHING`,
      [
        channel,
        messageId,
        at.toISOString(),
        JSON.stringify(work ?? null),
        hold.owner,
        hold.now.getTime() + hold.leaseMs,
      ],
    );
    return r.rowCount === 1;
  }

  async finish(channel: string, messageId: string): Promise<void> {
    await this.finishIn(this.pool, channel, messageId);
  }

  /** Drops kept work (in the caller's transaction, or on its own). */
  async finishIn(db: Queryable, channel: string, messageId: string): Promise<void> {
    await query(
      db,
      'UPDATE inbound SET work = NULL, owner = NULL, lease_until = NULL WHERE channel = $1 AND message_id = $2',
      [channel, messageId],
    );
  }

  async claimUnfinished(
    channel: string,
    options: WorkHold & { now: Date; limit: number },
  ): Promise<UnfinishedWork[]> {
    const now = options.now.getTime();
    // Rows another instance is claiming right now are skipped, not waited for.
    const rows = await transaction(this.pool, async (tx) => {
      const found = await query<{
        seq: number;
        message_id: string;
        received_at: string;
        work: string;
        work_attempts: number;
      }>(
        tx,
        `SELECT seq, message_id, received_at, work, work_attempts FROM inbound
         WHERE channel = $1 AND work IS NOT NULL
           AND (owner IS NULL OR owner = $2 OR lease_until IS NULL OR lease_until <= $3)
         ORDER BY received_at, seq LIMIT $4
         FOR UPDATE SKIP LOCKED`,
        [channel, options.owner, now, options.limit],
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
    return rows.map((r) => ({
      messageId: r.message_id,
      receivedAt: r.received_at,
      work: readJson(r.work),
      attempts: r.work_attempts + 1,
    }));
  }

  async get(channel: string, messageId: string): Promise<InboundRecord | null> {
    const { rows } = await query<{ received_at: string; result: string | null }>(
      this.pool,
      'SELECT received_at, result FROM inbound WHERE channel = $1 AND message_id = $2',
      [channel, messageId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      channel,
      messageId,
      receivedAt: row.received_at,
      result: row.result === null ? null : JSON.parse(row.result),
    };
  }

  async purge(before: Date): Promise<number> {
    const r = await query(this.pool, 'DELETE FROM inbound WHERE received_at < $1', [
      before.toISOString(),
    ]);
    return r.rowCount ?? 0;
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

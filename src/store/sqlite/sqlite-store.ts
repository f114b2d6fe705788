import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Case, CaseDeadlines, CaseEvent } from '../../cases/types';
import { CodedError } from '../../errors';
import { ensureDir } from '../../fs';
import type {
  CaseFilter,
  ChangeSet,
  ChatActivity,
  ChatConversation,
  ChatUpload,
  ConversationKey,
  InboundRecord,
  NewChatActivity,
  NewOutboxMessage,
  OutboxCounts,
  OutboxMessage,
  OutboxOutcome,
  OutboxStatus,
  Session,
  Store,
} from '../port';
import { SqliteChat } from './chat';
import { migrate } from './migrations';

export interface SqliteStoreOptions {
  /** A file path, or `:memory:`. The file's directory is created if missing. */
  path: string;
  /** Time used for bookkeeping columns when a change set does not bring its own. */
  clock?: () => Date;
}

interface OutboxRow {
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
 * The embedded default store: one SQLite file in WAL mode through better-sqlite3, schema migrated
 * at open. Calls are synchronous underneath; the async port lets MongoDB share the interface.
 *
 * @example
 * const store = SqliteStore.open({ path: 'data/suara.db' });
 * await store.commit({ cases: [{ case: c, expectedVersion: null }], events: [created] });
 */
export class SqliteStore implements Store {
  private readonly clock: () => Date;
  private readonly chat: SqliteChat;

  private constructor(
    private readonly db: Database.Database,
    clock: () => Date,
  ) {
    this.clock = clock;
    this.chat = new SqliteChat(db);
  }

  static open(options: SqliteStoreOptions): SqliteStore {
    const clock = options.clock ?? (() => new Date());
    if (options.path !== ':memory:') ensureDir(dirname(options.path));
    const db = new Database(options.path);
    try {
      db.pragma('journal_mode = WAL');
      // FULL: a commit that returned survives a crash of the process and of the machine.
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      migrate(db, clock);
    } catch (err) {
      db.close();
      throw err;
    }
    return new SqliteStore(db, clock);
  }

  /** The SQLite journal mode in effect (`wal` for files, `memory` for `:memory:`). */
  journalMode(): string {
    return String(this.db.pragma('journal_mode', { simple: true }));
  }

  async commit(changes: ChangeSet): Promise<void> {
    const now = changes.now ?? this.clock();
    this.db.transaction(() => {
      for (const { case: c, expectedVersion } of changes.cases ?? [])
        this.writeCase(c, expectedVersion);
      const insertEvent = this.db.prepare(
        'INSERT INTO case_events (tracking_id, seq, at, data) VALUES (?, ?, ?, ?)',
      );
      for (const e of changes.events ?? []) {
        try {
          insertEvent.run(e.trackingId, e.seq, e.at, JSON.stringify(e));
        } catch (err) {
          throw translateConstraint(err, 'event', `event ${e.trackingId}#${e.seq}`);
        }
      }
      for (const { key, session } of changes.sessions ?? []) {
        if (session) {
          this.db
            .prepare(
              `INSERT INTO sessions (channel, conversation_id, updated_at, data) VALUES (?, ?, ?, ?)
               ON CONFLICT (channel, conversation_id) DO UPDATE SET updated_at = excluded.updated_at, data = excluded.data`,
            )
            .run(key.channel, key.conversationId, session.updatedAt, JSON.stringify(session.data));
        } else {
          this.db
            .prepare('DELETE FROM sessions WHERE channel = ? AND conversation_id = ?')
            .run(key.channel, key.conversationId);
        }
      }
      if (changes.inbound) {
        const { channel, messageId, at, result } = changes.inbound;
        this.db
          .prepare(
            `INSERT INTO inbound (channel, message_id, received_at, result) VALUES (?, ?, ?, ?)
             ON CONFLICT (channel, message_id) DO UPDATE SET result = excluded.result`,
          )
          .run(channel, messageId, at.toISOString(), JSON.stringify(result ?? null));
      }
      this.insertOutbox(changes.outbox ?? [], now);
    })();
  }

  private writeCase(c: Case, expectedVersion: number | null): void {
    const cols = [
      c.kind,
      c.status,
      c.agencyId,
      c.category,
      c.priority,
      c.reporter.channel,
      c.reporter.channelUserId,
      c.createdAt,
      c.updatedAt,
      c.version,
      JSON.stringify(c),
    ];
    if (expectedVersion === null) {
      try {
        this.db
          .prepare(
            `INSERT INTO cases (kind, status, agency_id, category, priority, reporter_channel, reporter_user,
               created_at, updated_at, version, data, tracking_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(...cols, c.trackingId);
      } catch (err) {
        throw translateConstraint(err, 'case', `case ${c.trackingId}`);
      }
      return;
    }
    const r = this.db
      .prepare(
        `UPDATE cases SET kind = ?, status = ?, agency_id = ?, category = ?, priority = ?, reporter_channel = ?,
           reporter_user = ?, created_at = ?, updated_at = ?, version = ?, data = ?
         WHERE tracking_id = ? AND version = ?`,
      )
      .run(...cols, c.trackingId, expectedVersion);
    if (r.changes === 0) {
      throw new CodedError(
        'conflict',
        `case ${c.trackingId} changed since version ${expectedVersion} (or does not exist)`,
      );
    }
  }

  private insertOutbox(messages: NewOutboxMessage[], now: Date): void {
    const insert = this.db.prepare(
      `INSERT INTO outbox (id, idempotency_key, channel, recipient, payload, tracking_id, status, attempts,
         next_attempt_at, created_at, updated_at, order_key, since_at)
       VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?, ?)
       ON CONFLICT (idempotency_key) DO NOTHING`,
    );
    for (const m of messages) {
      insert.run(
        randomUUID(),
        m.idempotencyKey,
        m.channel,
        m.recipient,
        JSON.stringify(m.payload),
        m.trackingId ?? null,
        (m.notBefore ?? now).getTime(),
        now.toISOString(),
        now.toISOString(),
        m.orderingKey ?? m.recipient,
        now.getTime(),
      );
    }
  }

  async getCase(trackingId: string): Promise<Case | null> {
    const row = this.db.prepare('SELECT data FROM cases WHERE tracking_id = ?').get(trackingId) as
      | { data: string }
      | undefined;
    return row ? (JSON.parse(row.data) as Case) : null;
  }

  async caseExists(trackingId: string): Promise<boolean> {
    return (
      this.db.prepare('SELECT 1 FROM cases WHERE tracking_id = ?').get(trackingId) !== undefined
    );
  }

  async listCases(filter: CaseFilter = {}): Promise<Case[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.agencyId) {
      where.push('agency_id = ?');
      params.push(filter.agencyId);
    }
    if (filter.status?.length) {
      where.push(`status IN (${filter.status.map(() => '?').join(', ')})`);
      params.push(...filter.status);
    }
    if (filter.kind) {
      where.push('kind = ?');
      params.push(filter.kind);
    }
    if (filter.reporter) {
      where.push('reporter_channel = ? AND reporter_user = ?');
      params.push(filter.reporter.channel, filter.reporter.channelUserId);
    }
    if (filter.deadlinePassed) {
      const path = DEADLINE_PATHS[filter.deadlinePassed.deadline];
      where.push(`json_extract(data, '${path}') < ?`);
      params.push(filter.deadlinePassed.at.toISOString());
    }
    const limit = clampLimit(filter.limit);
    const sql = `SELECT data FROM cases ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at DESC, tracking_id LIMIT ?`;
    return (this.db.prepare(sql).all(...params, limit) as { data: string }[]).map(
      (r) => JSON.parse(r.data) as Case,
    );
  }

  async listCaseEvents(trackingId: string): Promise<CaseEvent[]> {
    return (
      this.db
        .prepare('SELECT data FROM case_events WHERE tracking_id = ? ORDER BY seq')
        .all(trackingId) as { data: string }[]
    ).map((r) => JSON.parse(r.data) as CaseEvent);
  }

  async getSession(key: ConversationKey): Promise<Session | null> {
    const row = this.db
      .prepare('SELECT updated_at, data FROM sessions WHERE channel = ? AND conversation_id = ?')
      .get(key.channel, key.conversationId) as { updated_at: string; data: string } | undefined;
    return row ? { key, data: JSON.parse(row.data), updatedAt: row.updated_at } : null;
  }

  async recordInbound(channel: string, messageId: string, at: Date): Promise<boolean> {
    return this.insertInbound(channel, messageId, at, null);
  }

  async recordInboundWork(
    channel: string,
    messageId: string,
    at: Date,
    work: unknown,
  ): Promise<boolean> {
    return this.insertInbound(channel, messageId, at, JSON.stringify(work ?? null));
  }

  /** Records an inbound id (with its kept work, or null); false when it was there already. */
  private insertInbound(channel: string, messageId: string, at: Date, work: string | null) {
    const r = this.db
      .prepare(
        `INSERT INTO inbound (channel, message_id, received_at, work) VALUES (?, ?, ?, ?)
         ON CONFLICT (channel, message_id) DO NOTHING`,
      )
      .run(channel, messageId, at.toISOString(), work);
    return r.changes === 1;
  }

  async finishInbound(channel: string, messageId: string): Promise<void> {
    this.db
      .prepare('UPDATE inbound SET work = NULL WHERE channel = ? AND message_id = ?')
      .run(channel, messageId);
  }

  async claimUnfinishedInbound(
    channel: string,
    limit: number,
  ): Promise<{ messageId: string; receivedAt: string; work: unknown; attempts: number }[]> {
    const rows = this.db.transaction(() => {
      const found = this.db
        .prepare(
          `SELECT rowid, message_id, received_at, work, work_attempts FROM inbound
           WHERE channel = ? AND work IS NOT NULL ORDER BY received_at, rowid LIMIT ?`,
        )
        .all(channel, limit) as {
        rowid: number;
        message_id: string;
        received_at: string;
        work: string;
        work_attempts: number;
      }[];
      const count = this.db.prepare(
        'UPDATE inbound SET work_attempts = work_attempts + 1 WHERE rowid = ?',
      );
      for (const r of found) count.run(r.rowid);
      return found;
    })();
    return rows.map((r) => {
      let work: unknown = null;
      try {
        work = JSON.parse(r.work);
      } catch {
        // unreadable: the caller gives it up
      }
      return {
        messageId: r.message_id,
        receivedAt: r.received_at,
        work,
        attempts: r.work_attempts + 1,
      };
    });
  }

  async getInbound(channel: string, messageId: string): Promise<InboundRecord | null> {
    const row = this.db
      .prepare('SELECT received_at, result FROM inbound WHERE channel = ? AND message_id = ?')
      .get(channel, messageId) as { received_at: string; result: string | null } | undefined;
    if (!row) return null;
    return {
      channel,
      messageId,
      receivedAt: row.received_at,
      result: row.result === null ? null : JSON.parse(row.result),
    };
  }

  async purgeInbound(before: Date): Promise<number> {
    return this.db.prepare('DELETE FROM inbound WHERE received_at < ?').run(before.toISOString())
      .changes;
  }

  async enqueue(messages: NewOutboxMessage[], now: Date): Promise<void> {
    this.db.transaction(() => this.insertOutbox(messages, now))();
  }

  async claimOutbox(options: {
    channels: string[];
    now: Date;
    limit: number;
    leaseMs: number;
  }): Promise<OutboxMessage[]> {
    if (options.channels.length === 0 || options.limit <= 0) return [];
    const nowMs = options.now.getTime();
    const marks = options.channels.map(() => '?').join(', ');
    const claim = this.db.transaction(() => {
      const rows = this.db
        .prepare(
          `SELECT o.* FROM outbox o WHERE o.channel IN (${marks}) AND (
             (o.status = 'pending' AND o.next_attempt_at <= ?) OR (o.status = 'sending' AND o.lease_until <= ?))
             AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.channel = o.channel AND p.order_key = o.order_key
               AND p.status IN ('pending', 'sending') AND p.rowid < o.rowid
               -- a message scheduled for later (never tried yet) does not hold the others back
               AND (p.status = 'sending' OR p.attempts > 0 OR p.next_attempt_at <= ?))
           ORDER BY o.next_attempt_at, o.rowid LIMIT ?`,
        )
        .all(...options.channels, nowMs, nowMs, nowMs, options.limit) as OutboxRow[];
      const lease = this.db.prepare(
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
    // IMMEDIATE: take the write lock before reading, so two processes cannot lease the same rows.
    return claim.immediate();
  }

  async settleOutbox(
    lease: { id: string; leaseToken: string },
    outcome: OutboxOutcome,
  ): Promise<boolean> {
    const at = outcome.at.toISOString();
    const held = `WHERE id = ? AND status = 'sending' AND lease_token = ?`;
    let r: Database.RunResult;
    if (outcome.status === 'sent') {
      r = this.db
        .prepare(
          `UPDATE outbox SET status = 'sent', lease_until = NULL, lease_token = NULL, sent_at = ?, updated_at = ? ${held}`,
        )
        .run(at, at, lease.id, lease.leaseToken);
    } else if (outcome.status === 'retry') {
      r = this.db
        .prepare(
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
      r = this.db
        .prepare(
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
    if (!this.db.prepare('SELECT 1 FROM outbox WHERE id = ?').get(lease.id)) {
      throw new CodedError('not_found', `no outbox message ${lease.id}`);
    }
    return false;
  }

  async getOutbox(id: string): Promise<OutboxMessage | null> {
    const row = this.db.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as
      | OutboxRow
      | undefined;
    return row ? fromOutboxRow(row) : null;
  }

  async retryOutbox(
    filter: { ids?: string[]; status?: 'dead' | 'undeliverable' },
    now: Date,
  ): Promise<number> {
    const where = filter.ids
      ? `id IN (${filter.ids.map(() => '?').join(', ')}) AND status IN ('dead', 'undeliverable')`
      : 'status = ?';
    const params = filter.ids ?? [filter.status ?? 'dead'];
    if (filter.ids?.length === 0) return 0;
    return this.db
      .prepare(
        `UPDATE outbox SET status = 'pending', next_attempt_at = ?, since_at = ?, uncertain = 0,
           updated_at = ? WHERE ${where}`,
      )
      .run(now.getTime(), now.getTime(), now.toISOString(), ...params).changes;
  }

  async countOutbox(): Promise<OutboxCounts> {
    // One index range per status (outbox_due starts with status): never a scan of sent messages.
    const count = this.db.prepare('SELECT count(*) AS n FROM outbox WHERE status = ?');
    const n = (status: OutboxStatus) => (count.get(status) as { n: number }).n;
    return {
      pending: n('pending'),
      sending: n('sending'),
      dead: n('dead'),
      undeliverable: n('undeliverable'),
    };
  }

  async listOutbox(
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
    return (this.db.prepare(sql).all(...params, clampLimit(filter.limit)) as OutboxRow[]).map(
      fromOutboxRow,
    );
  }

  async createChatConversation(conversation: ChatConversation): Promise<void> {
    this.chat.createConversation(conversation);
  }

  async getChatConversation(id: string): Promise<ChatConversation | null> {
    return this.chat.getConversation(id);
  }

  async appendChatActivities(
    conversationId: string,
    activities: NewChatActivity[],
    at: Date,
  ): Promise<number[]> {
    return this.chat.append(conversationId, activities, at);
  }

  async listChatActivities(
    conversationId: string,
    options: { after: number; limit: number },
  ): Promise<ChatActivity[]> {
    return this.chat.list(conversationId, options.after, options.limit);
  }

  async lastChatWatermark(conversationId: string): Promise<number> {
    return this.chat.lastWatermark(conversationId);
  }

  async putChatUpload(upload: ChatUpload): Promise<void> {
    this.chat.putUpload(upload);
  }

  async getChatUpload(id: string): Promise<ChatUpload | null> {
    return this.chat.getUpload(id);
  }

  async countChatUploads(conversationId: string): Promise<number> {
    return this.chat.countUploads(conversationId);
  }

  /**
   * A tiny real write: one row upserted in an immediate transaction, committed and synced like any
   * other. Throws when the database cannot be written (read-only, out of space, I/O errors) or
   * read. About one fsync: cheap enough for a readiness check every second.
   */
  async ping(): Promise<void> {
    const at = this.clock().toISOString();
    this.db
      .transaction(() => {
        this.db
          .prepare(
            `INSERT INTO health (id, checked_at) VALUES (1, ?)
             ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`,
          )
          .run(at);
      })
      .immediate();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** JSON paths of the deadlines (a fixed map: never interpolate caller input into SQL). */
const DEADLINE_PATHS: Record<keyof CaseDeadlines, string> = {
  verifyBy: '$.deadlines.verifyBy',
  followUpBy: '$.deadlines.followUpBy',
  autoCloseAt: '$.deadlines.autoCloseAt',
};

function clampLimit(limit: number | undefined): number {
  return Math.min(Math.max(Math.trunc(limit ?? 100), 1), 1000);
}

function translateConstraint(err: unknown, entity: 'case' | 'event', what: string): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return new CodedError('duplicate', `${what} already exists`, { entity });
  }
  return err;
}

function fromOutboxRow(row: OutboxRow): OutboxMessage {
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

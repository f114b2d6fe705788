import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ensureDir } from '../../fs';
import type { Backend, StoreEngine } from '../backend';
import type { ChangeSet } from '../change-set';
import { InProcessPubSub } from '../pubsub';
import { InProcessRateLimits } from '../rate-limit';
import { SqlCaseQueries, type SqlParam } from '../sql/case-queries';
import { SqlStatsQueries, TALLY } from '../sql/stats';
import { SqliteCases } from './cases';
import { SqliteChannelStore } from './channel-store';
import { SqliteLedger } from './ledger';
import { migrate } from './migrations';
import { SqliteOutbox } from './outbox';
import { Statements } from './statements';

export interface SqliteBackendOptions {
  /** A file path, or `:memory:`. The file's directory is created if missing. */
  path: string;
  /** Time used for bookkeeping columns when a change set does not bring its own. */
  clock?: () => Date;
}

/**
 * The embedded default: every port on one SQLite file in WAL mode through better-sqlite3, schema
 * migrated at open. Calls are synchronous underneath; the async ports let networked stores share
 * them. Pub/sub and rate limits live in the process (one process uses the file).
 *
 * @example
 * const backend = SqliteBackend.open({ path: 'data/suara.db' });
 * await backend.commit({ cases: [{ case: c, expectedVersion: null }], events: [created] });
 */
export class SqliteBackend implements Backend {
  readonly shared = false;
  readonly cases: SqliteCases;
  readonly queries: SqlCaseQueries;
  readonly stats: SqlStatsQueries;
  readonly ledger: SqliteLedger;
  readonly outbox: SqliteOutbox;
  readonly channelStore: SqliteChannelStore;
  readonly pubsub = new InProcessPubSub();
  readonly rateLimits: InProcessRateLimits;
  readonly engine: StoreEngine;
  private readonly sql: Statements;

  private constructor(
    private readonly db: Database.Database,
    private readonly clock: () => Date,
    walFile: string | undefined,
  ) {
    this.sql = new Statements(db, walFile ? { walFile } : {});
    this.cases = new SqliteCases(this.sql);
    const read = async <R>(sql: string, params: readonly SqlParam[]) =>
      this.sql.get(sql).all(...params) as R[];
    this.queries = new SqlCaseQueries(read);
    this.stats = new SqlStatsQueries(read);
    this.ledger = new SqliteLedger(this.sql);
    this.outbox = new SqliteOutbox(this.sql);
    this.channelStore = new SqliteChannelStore(this.sql, clock);
    this.rateLimits = new InProcessRateLimits(clock);
    this.engine = {
      kind: 'sqlite',
      db,
      write: (op) => this.sql.write(op),
      statement: (text) => this.sql.get(text),
    };
  }

  static open(options: SqliteBackendOptions): SqliteBackend {
    const clock = options.clock ?? (() => new Date());
    if (options.path !== ':memory:') ensureDir(dirname(options.path));
    const db = new Database(options.path);
    try {
      db.pragma('journal_mode = WAL');
      // A write settles only once the WAL is synced (GroupCommit syncs it off the event loop,
      // one sync for many commits): what a settled write wrote survives a crash of the process
      // and of the machine, as with FULL. NORMAL leaves that sync to GroupCommit; SQLite still
      // syncs around checkpoints.
      db.pragma(`synchronous = ${options.path === ':memory:' ? 'FULL' : 'NORMAL'}`);
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      migrate(db, clock);
    } catch (err) {
      db.close();
      throw err;
    }
    return new SqliteBackend(
      db,
      clock,
      options.path === ':memory:' ? undefined : `${options.path}-wal`,
    );
  }

  /** The SQLite journal mode in effect (`wal` for files, `memory` for `:memory:`). */
  journalMode(): string {
    return String(this.db.pragma('journal_mode', { simple: true }));
  }

  async commit(changes: ChangeSet): Promise<void> {
    const now = changes.now ?? this.clock();
    const leased = await this.sql.write(() => {
      for (const { case: c, expectedVersion } of changes.cases ?? []) {
        this.cases.write(c, expectedVersion);
      }
      for (const e of changes.events ?? []) this.cases.writeEvent(e);
      for (const { key, session, expectedVersion } of changes.sessions ?? []) {
        this.ledger.writeSession(key, session, expectedVersion);
      }
      if (changes.inbound) {
        const { channel, messageId, at, result } = changes.inbound;
        this.ledger.writeResult(channel, messageId, at, result);
      }
      for (const w of changes.finishWork ?? []) this.ledger.finishNow(w.channel, w.messageId);
      for (const t of changes.tallies ?? []) this.sql.get(TALLY).run(t.name, t.week);
      return this.outbox.insert(changes.outbox ?? [], now, changes.lease);
    });
    // Durable now: the dispatcher may send them.
    changes.lease?.took(leased.leased, leased.left);
  }

  /**
   * A tiny real write: one row upserted in an immediate transaction, committed and synced like any
   * other. Throws when the database cannot be written (read-only, out of space, I/O errors) or
   * read. About one fsync: cheap enough for a readiness check every second.
   */
  async ping(): Promise<void> {
    const at = this.clock().toISOString();
    const upsert = this.sql.get(
      `INSERT INTO health (id, checked_at) VALUES (1, ?)
       ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`,
    );
    await this.sql.write(() => upsert.run(at));
  }

  /** Commits the writes still queued and waits until they are durable, then closes. */
  async close(): Promise<void> {
    if (!this.db.open) return;
    await this.sql.group.drain();
    this.sql.group.close();
    if (this.db.open) this.db.close();
  }
}

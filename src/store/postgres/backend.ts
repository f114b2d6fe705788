import type pg from 'pg';
import type { Backend, PostgresEngine } from '../backend';
import type { ChangeSet } from '../change-set';
import { InProcessRateLimits } from '../rate-limit';
import { SqlCaseQueries, type SqlParam } from '../sql/case-queries';
import { SqlStatsQueries, TALLY } from '../sql/stats';
import { PgCases } from './cases';
import { PgChannelStore } from './channel-store';
import { numbered, openPool, type PostgresOptions, query, transaction } from './db';
import { PgLedger } from './ledger';
import { migratePg } from './migrations';
import { PgOutbox } from './outbox';
import { PgPubSub } from './pubsub';

export interface PgBackendOptions extends PostgresOptions {
  /** Time used for bookkeeping columns when a change set does not bring its own. */
  clock?: () => Date;
}

/**
 * Every port on one PostgreSQL database through a node-postgres pool, schema migrated at open
 * under an advisory lock; pub/sub between instances with LISTEN/NOTIFY. Each change set is one transaction (`synchronous_commit` as the server
 * has it: durable at commit by default).
 *
 * @example
 * const backend = await PgBackend.open({ url: 'postgres://postgres@127.0.0.1:5432/suara' });
 * await backend.commit({ cases: [{ case: c, expectedVersion: null }], events: [created] });
 */
export class PgBackend implements Backend {
  readonly shared = true;
  readonly cases: PgCases;
  readonly queries: SqlCaseQueries;
  readonly stats: SqlStatsQueries;
  readonly ledger: PgLedger;
  readonly outbox: PgOutbox;
  readonly channelStore: PgChannelStore;
  readonly rateLimits: InProcessRateLimits;
  readonly engine: PostgresEngine;
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    readonly pubsub: PgPubSub,
    private readonly clock: () => Date,
  ) {
    this.engine = { kind: 'postgres', pool };
    this.cases = new PgCases(pool);
    const read = async <R>(sql: string, params: readonly SqlParam[]) => {
      const result = await query(pool, numbered(sql), params);
      return result.rows as R[];
    };
    this.queries = new SqlCaseQueries(read);
    this.stats = new SqlStatsQueries(read);
    this.ledger = new PgLedger(pool);
    this.outbox = new PgOutbox(pool);
    this.channelStore = new PgChannelStore(pool, clock);
    this.rateLimits = new InProcessRateLimits(clock);
  }

  /** Connects, migrates (once across instances starting together) and opens every port. */
  static async open(options: PgBackendOptions): Promise<PgBackend> {
    const clock = options.clock ?? (() => new Date());
    const pool = openPool(options);
    let pubsub: PgPubSub | undefined;
    try {
      await migratePg(pool, clock);
      pubsub = await PgPubSub.start(options);
    } catch (err) {
      await pool.end();
      throw err;
    }
    return new PgBackend(pool, pubsub, clock);
  }

  async commit(changes: ChangeSet): Promise<void> {
    const now = changes.now ?? this.clock();
    const leased = await transaction(this.pool, async (tx) => {
      for (const { case: c, expectedVersion } of changes.cases ?? []) {
        await this.cases.write(tx, c, expectedVersion);
      }
      for (const e of changes.events ?? []) await this.cases.writeEvent(tx, e);
      for (const { key, session, expectedVersion } of changes.sessions ?? []) {
        await this.ledger.writeSession(tx, key, session, expectedVersion);
      }
      if (changes.inbound) {
        const { channel, messageId, at, result } = changes.inbound;
        await this.ledger.writeResult(tx, channel, messageId, at, result);
      }
      for (const w of changes.finishWork ?? []) {
        await this.ledger.finishIn(tx, w.channel, w.messageId);
      }
      for (const t of changes.tallies ?? []) await query(tx, PG_TALLY, [t.name, t.week]);
      return this.outbox.insert(tx, changes.outbox ?? [], now, changes.lease);
    });
    // Committed: the dispatcher may send them.
    changes.lease?.took(leased.leased, leased.left);
  }

  /** A tiny real write (one row upserted): throws when the database cannot be reached or written. */
  async ping(): Promise<void> {
    await query(
      this.pool,
      `INSERT INTO health (id, checked_at) VALUES (1, $1)
       ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`,
      [this.clock().toISOString()],
    );
  }

  /** Waits for the queries in flight, then closes every connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pubsub.close();
    await this.pool.end();
  }
}

const PG_TALLY = numbered(TALLY);

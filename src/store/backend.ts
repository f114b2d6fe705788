import type Database from 'better-sqlite3';
import type pg from 'pg';
import type { CaseQueries } from '../cases/queries';
import type { CaseRepository } from '../cases/repository';
import type { ConversationLedger } from '../core/ledger';
import type { OutboxStore } from '../outbox/port';
import type { StatsQueries } from '../stats/port';
import type { ChangeSet } from './change-set';
import type { ChannelStore } from './channel-store';
import type { PubSub } from './pubsub';
import type { RateLimitStore } from './rate-limit';

/**
 * The database engine underneath, for a module that keeps tables of its own (the web chat
 * adapter's conversations) and opens its port on the same database.
 */
export type StoreEngine = SqliteEngine | PostgresEngine;

/** SQLite: one connection, writes in its group commit. */
export interface SqliteEngine {
  kind: 'sqlite';
  db: Database.Database;
  /** Runs a write in the connection's next group commit; resolves once it is durable. */
  write<T>(op: () => T): Promise<T>;
  /** A prepared statement, prepared once per SQL text. */
  statement(sql: string): Database.Statement;
}

/** PostgreSQL: the service's connection pool (every connection on the service's schema). */
export interface PostgresEngine {
  kind: 'postgres';
  pool: pg.Pool;
}

/**
 * Every storage port, opened together on one database by {@link import('./open').openBackend}.
 * Each module reads and writes through its own small port; `commit` writes one change set (a case,
 * its event, its messages, the dialog session, the inbound result) in one transaction.
 *
 * @example
 * const backend = openBackend(config.database, clock);
 * await backend.commit({ cases: [{ case: c, expectedVersion: null }], events: [created] });
 * const page = await backend.queries.list({ agencyIds: ['dinas-pupr'] });
 * await backend.close();
 */
export interface Backend {
  /**
   * Applies every change in one transaction, or none of them. Throws a CodedError with code
   * `conflict` (a case changed since `expectedVersion`) or `duplicate` (the id already exists).
   */
  commit(changes: ChangeSet): Promise<void>;
  cases: CaseRepository;
  queries: CaseQueries;
  /** The statistics' sums (see src/stats/port.ts). */
  stats: StatsQueries;
  ledger: ConversationLedger;
  outbox: OutboxStore;
  channelStore: ChannelStore;
  pubsub: PubSub;
  rateLimits: RateLimitStore;
  engine: StoreEngine;
  /**
   * True when several instances may run on this store at once (PostgreSQL): adapters then
   * coordinate through it (a chat's turns under a lock) instead of in memory.
   */
  readonly shared: boolean;
  /** Throws when the store cannot answer or cannot write: a tiny real write (used by /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

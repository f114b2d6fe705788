import type pg from 'pg';
import { type Migration, migrationsTable, pendingMigrations } from '../sql/migrations';
import { contribution, STATS_CASE_COLUMNS, statsChanged, statsTables } from '../sql/stats';
import { numbered, query, transaction } from './db';

/** One versioned schema change of a PostgreSQL module: the same shape as SQLite's. */
export type PgMigration = Migration;

/**
 * The service's tables on PostgreSQL: the same tables and columns as the SQLite store, so both
 * stores answer the same contract. Instants are ISO-8601 text (they sort as time) or epoch
 * milliseconds (bigint); every text column that is sorted or compared is `COLLATE "C"`, so order
 * never depends on the database's locale. Never edit a released migration: add a new one.
 */
export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'cases, events, sessions, inbound ledger, outbox, channel data, health',
    sql: `
      CREATE TABLE cases (
        tracking_id TEXT COLLATE "C" PRIMARY KEY,
        kind TEXT COLLATE "C" NOT NULL,
        status TEXT COLLATE "C" NOT NULL,
        agency_id TEXT COLLATE "C" NOT NULL,
        category TEXT COLLATE "C" NOT NULL,
        priority TEXT NOT NULL,
        reporter_channel TEXT COLLATE "C" NOT NULL,
        reporter_user TEXT COLLATE "C" NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL,
        updated_at TEXT COLLATE "C" NOT NULL,
        version INTEGER NOT NULL,
        due_at TEXT COLLATE "C",
        auto_close_at TEXT COLLATE "C",
        data TEXT NOT NULL
      );
      CREATE INDEX cases_agency_status ON cases (agency_id, status, created_at);
      CREATE INDEX cases_reporter ON cases (reporter_channel, reporter_user, created_at);
      CREATE INDEX cases_status ON cases (status, created_at);
      CREATE INDEX cases_created ON cases (created_at, tracking_id);
      CREATE INDEX cases_agency_due ON cases (agency_id, due_at) WHERE due_at IS NOT NULL;
      CREATE INDEX cases_auto_close ON cases (status, auto_close_at) WHERE auto_close_at IS NOT NULL;

      CREATE TABLE case_events (
        tracking_id TEXT COLLATE "C" NOT NULL REFERENCES cases (tracking_id),
        seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (tracking_id, seq)
      );

      CREATE TABLE sessions (
        channel TEXT COLLATE "C" NOT NULL,
        conversation_id TEXT COLLATE "C" NOT NULL,
        updated_at TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (channel, conversation_id)
      );

      CREATE TABLE inbound (
        seq BIGINT GENERATED ALWAYS AS IDENTITY,
        channel TEXT COLLATE "C" NOT NULL,
        message_id TEXT COLLATE "C" NOT NULL,
        received_at TEXT COLLATE "C" NOT NULL,
        result TEXT,
        work TEXT,
        work_attempts INTEGER NOT NULL DEFAULT 0,
        owner TEXT,
        lease_until BIGINT,
        PRIMARY KEY (channel, message_id)
      );
      CREATE INDEX inbound_received ON inbound (received_at);
      CREATE INDEX inbound_unfinished ON inbound (channel, received_at) WHERE work IS NOT NULL;

      CREATE TABLE outbox (
        seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
        id TEXT COLLATE "C" PRIMARY KEY,
        idempotency_key TEXT COLLATE "C" NOT NULL UNIQUE,
        channel TEXT COLLATE "C" NOT NULL,
        recipient TEXT NOT NULL,
        payload TEXT NOT NULL,
        tracking_id TEXT,
        status TEXT COLLATE "C" NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at BIGINT NOT NULL,
        lease_until BIGINT,
        lease_token TEXT,
        last_error TEXT,
        order_key TEXT COLLATE "C" NOT NULL,
        progress INTEGER NOT NULL DEFAULT 0,
        uncertain INTEGER NOT NULL DEFAULT 0,
        since_at BIGINT NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL,
        updated_at TEXT NOT NULL,
        sent_at TEXT
      );
      CREATE INDEX outbox_due ON outbox (status, channel, next_attempt_at);
      CREATE INDEX outbox_open_order ON outbox (channel, order_key, seq)
        WHERE status IN ('pending', 'sending');

      CREATE TABLE channel_data (
        namespace TEXT COLLATE "C" NOT NULL,
        key TEXT COLLATE "C" NOT NULL,
        value TEXT NOT NULL,
        expires_at BIGINT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (namespace, key)
      );
      CREATE INDEX channel_data_expiry ON channel_data (expires_at) WHERE expires_at IS NOT NULL;

      CREATE TABLE health (id INTEGER PRIMARY KEY CHECK (id = 1), checked_at TEXT NOT NULL);
    `,
  },
  {
    version: 2,
    name: 'deadline order indexes, session versions, inbound work per conversation',
    // As SQLite's version 8: the staff queue pages by coalesce(due_at, '~') (cases without a
    // deadline last), per agency and across agencies, reading a page in index order; a turn saves
    // the session version it read; a conversation's accepted work is read in the channel's order.
    sql: `
      CREATE INDEX cases_agency_deadline ON cases (agency_id, (coalesce(due_at, '~')), tracking_id, status);
      CREATE INDEX cases_deadline ON cases ((coalesce(due_at, '~')), tracking_id, status);

      ALTER TABLE sessions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

      ALTER TABLE inbound ADD COLUMN work_key TEXT COLLATE "C";
      ALTER TABLE inbound ADD COLUMN work_order BIGINT;
      CREATE INDEX inbound_work_key ON inbound (channel, work_key, work_order) WHERE work IS NOT NULL;
    `,
  },
  {
    version: 3,
    name: 'case identity mode column',
    // As SQLite's version 9: public lists leave confidential cases out in the query itself.
    sql: `
      ALTER TABLE cases ADD COLUMN identity TEXT COLLATE "C" NOT NULL DEFAULT 'named';
      UPDATE cases SET identity = coalesce(data::jsonb ->> 'identity', 'named');
    `,
  },
  {
    version: 4,
    name: 'statistics summary tables kept by triggers',
    // As SQLite's version 10.
    sql: `
      ${STATS_CASE_COLUMNS}
      ${statsTables('postgres')}
      CREATE FUNCTION suara_stats_add() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${contribution('NEW', 1, 'postgres')}
        RETURN NULL;
      END $$;
      CREATE FUNCTION suara_stats_remove() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${contribution('OLD', -1, 'postgres')}
        RETURN NULL;
      END $$;
      CREATE FUNCTION suara_stats_move() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${contribution('OLD', -1, 'postgres')}
        ${contribution('NEW', 1, 'postgres')}
        RETURN NULL;
      END $$;
      CREATE TRIGGER cases_stats_insert AFTER INSERT ON cases
        FOR EACH ROW EXECUTE FUNCTION suara_stats_add();
      CREATE TRIGGER cases_stats_delete AFTER DELETE ON cases
        FOR EACH ROW EXECUTE FUNCTION suara_stats_remove();
      CREATE TRIGGER cases_stats_update AFTER UPDATE ON cases
        FOR EACH ROW WHEN (${statsChanged('IS DISTINCT FROM')}) EXECUTE FUNCTION suara_stats_move();
    `,
  },
];

/** The advisory lock key every Suara instance takes while it migrates (any fixed 64-bit number). */
const MIGRATION_LOCK = 0x5375617261; // "Suara"

/**
 * Applies the migrations not yet recorded in `table`, in one transaction that holds an advisory
 * lock: instances starting together wait for each other, and only the first applies anything.
 * Refuses a database written by a newer build before touching it. A module with tables of its
 * own (the web chat adapter) keeps its own list and table. Returns the versions applied now.
 *
 * @example
 * await migratePg(pool, () => new Date()); // [1] on a fresh database, [] after
 */
export async function migratePg(
  pool: pg.Pool,
  now: () => Date,
  migrations: readonly PgMigration[] = PG_MIGRATIONS,
  table = 'schema_migrations',
): Promise<number[]> {
  const sql = migrationsTable(table);
  return transaction(pool, async (tx) => {
    // Held until this transaction ends; the schema is created under it too (two instances
    // creating it at once would otherwise collide).
    await query(tx, 'SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await query(tx, `CREATE SCHEMA IF NOT EXISTS ${await currentSchema(tx)}`);
    await query(tx, sql.create);
    const applied = new Set(
      (await query<{ version: number }>(tx, sql.applied)).rows.map((r) => r.version),
    );
    const pending = pendingMigrations(applied, migrations, table);
    for (const m of pending) {
      await query(tx, m.sql);
      await query(tx, numbered(sql.record), [m.version, m.name, now().toISOString()]);
    }
    return pending.map((m) => m.version);
  });
}

/** The first schema of the connection's search path (where our tables go), quoted. */
async function currentSchema(tx: pg.PoolClient): Promise<string> {
  const { rows } = await query<{ schema: string }>(
    tx,
    "SELECT quote_ident(split_part(current_setting('search_path'), ',', 1)) AS schema",
  );
  return rows[0]?.schema ?? 'public';
}

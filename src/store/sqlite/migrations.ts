import type Database from 'better-sqlite3';
import { type Migration, migrationsTable, pendingMigrations } from '../sql/migrations';
import { contribution, STATS_CASE_COLUMNS, statsChanged, statsTables } from '../sql/stats';

export type { Migration } from '../sql/migrations';

/** Versioned schema changes, applied in order at start-up. Never edit a released one: add a new one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'cases, events, sessions, inbound, outbox',
    sql: `
      CREATE TABLE cases (
        tracking_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        agency_id TEXT NOT NULL,
        category TEXT NOT NULL,
        priority TEXT NOT NULL,
        reporter_channel TEXT NOT NULL,
        reporter_user TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        version INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX cases_agency_status ON cases (agency_id, status, created_at);
      CREATE INDEX cases_reporter ON cases (reporter_channel, reporter_user, created_at);
      CREATE INDEX cases_status ON cases (status, created_at);

      CREATE TABLE case_events (
        tracking_id TEXT NOT NULL REFERENCES cases (tracking_id),
        seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (tracking_id, seq)
      );

      CREATE TABLE sessions (
        channel TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (channel, conversation_id)
      );

      CREATE TABLE inbound (
        channel TEXT NOT NULL,
        message_id TEXT NOT NULL,
        received_at TEXT NOT NULL,
        result TEXT,
        PRIMARY KEY (channel, message_id)
      );
      CREATE INDEX inbound_received ON inbound (received_at);

      CREATE TABLE outbox (
        id TEXT PRIMARY KEY,
        idempotency_key TEXT NOT NULL UNIQUE,
        channel TEXT NOT NULL,
        recipient TEXT NOT NULL,
        payload TEXT NOT NULL,
        tracking_id TEXT,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        lease_until INTEGER,
        last_error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        sent_at TEXT
      );
      CREATE INDEX outbox_due ON outbox (status, channel, next_attempt_at);
    `,
  },
  {
    version: 2,
    name: 'outbox lease token',
    // A lease is identified by a token, so a late result from a dispatcher whose lease expired
    // cannot overwrite the result of the dispatcher that holds the message now.
    sql: 'ALTER TABLE outbox ADD COLUMN lease_token TEXT;',
  },
  {
    version: 3,
    name: 'web chat conversations, activity history and uploads',
    // Since version 7 the web chat adapter owns these tables (adapters/webchat/sqlite-store.ts
    // creates them when missing); this released migration stays as it was.
    sql: `
      CREATE TABLE chat_conversations (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        user_name TEXT,
        created_at TEXT NOT NULL,
        last_seq INTEGER NOT NULL DEFAULT 0
      );

      CREATE TABLE chat_activities (
        conversation_id TEXT NOT NULL REFERENCES chat_conversations (id),
        seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        dedupe_key TEXT,
        data TEXT NOT NULL,
        PRIMARY KEY (conversation_id, seq)
      );
      CREATE UNIQUE INDEX chat_activities_key ON chat_activities (conversation_id, dedupe_key)
        WHERE dedupe_key IS NOT NULL;

      CREATE TABLE chat_uploads (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES chat_conversations (id),
        mime_type TEXT NOT NULL,
        created_at TEXT NOT NULL,
        bytes BLOB NOT NULL
      );
      CREATE INDEX chat_uploads_conversation ON chat_uploads (conversation_id);
    `,
  },
  {
    version: 4,
    name: 'inbound work kept until finished',
    // The raw update of a message accepted but not yet handled, so a crash does not lose it.
    sql: `
      ALTER TABLE inbound ADD COLUMN work TEXT;
      ALTER TABLE inbound ADD COLUMN work_attempts INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX inbound_unfinished ON inbound (channel, received_at) WHERE work IS NOT NULL;
    `,
  },
  {
    version: 5,
    name: 'outbox order per recipient, progress, uncertain attempts, time budget',
    // order_key: one recipient's messages go one at a time, in order (replies included);
    // progress: parts of a message delivered; uncertain: attempts that may have arrived;
    // since_at: start of the delivery effort, for the give-up time budget.
    sql: `
      ALTER TABLE outbox ADD COLUMN order_key TEXT;
      ALTER TABLE outbox ADD COLUMN progress INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE outbox ADD COLUMN uncertain INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE outbox ADD COLUMN since_at INTEGER;
      UPDATE outbox SET order_key = recipient,
        since_at = CAST(strftime('%s', created_at) AS INTEGER) * 1000;
      CREATE INDEX outbox_open_order ON outbox (channel, order_key)
        WHERE status IN ('pending', 'sending');
    `,
  },
  {
    version: 6,
    name: 'health check row',
    // The readiness check writes this one row: a store that cannot write is not ready.
    sql: 'CREATE TABLE health (id INTEGER PRIMARY KEY CHECK (id = 1), checked_at TEXT NOT NULL);',
  },
  {
    version: 7,
    name: 'case read model columns, held inbound work, channel data',
    // due_at: the agency deadline now (verify or follow-up), auto_close_at: when a resolved case
    // closes, so SLA filters and counts run in SQL. owner/lease_until: which instance holds
    // accepted work. channel_data: each adapter's key-value space, filled from what lived
    // elsewhere before: Telegram's long button values and Slack's request ids (inbound rows under
    // made-up channel names), and the Slack message of each case (a field of the case).
    sql: `
      ALTER TABLE cases ADD COLUMN due_at TEXT;
      ALTER TABLE cases ADD COLUMN auto_close_at TEXT;
      UPDATE cases SET
        due_at = CASE
          WHEN status = 'received' THEN json_extract(data, '$.deadlines.verifyBy')
          WHEN status IN ('verified', 'in_progress', 'reopened') THEN json_extract(data, '$.deadlines.followUpBy')
        END,
        auto_close_at = json_extract(data, '$.deadlines.autoCloseAt');
      CREATE INDEX cases_agency_due ON cases (agency_id, due_at) WHERE due_at IS NOT NULL;
      CREATE INDEX cases_auto_close ON cases (status, auto_close_at) WHERE auto_close_at IS NOT NULL;
      CREATE INDEX cases_created ON cases (created_at);

      ALTER TABLE inbound ADD COLUMN owner TEXT;
      ALTER TABLE inbound ADD COLUMN lease_until INTEGER;

      CREATE TABLE channel_data (
        namespace TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        expires_at INTEGER,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (namespace, key)
      );
      CREATE INDEX channel_data_expiry ON channel_data (expires_at) WHERE expires_at IS NOT NULL;

      INSERT OR IGNORE INTO channel_data (namespace, key, value, expires_at, updated_at)
        SELECT 'telegram', 'callback:' || message_id, result, NULL, received_at
        FROM inbound WHERE channel = 'telegram-callback' AND result IS NOT NULL;
      INSERT OR IGNORE INTO channel_data (namespace, key, value, expires_at, updated_at)
        SELECT 'slack', 'request:' || message_id, 'true',
          CAST(strftime('%s', received_at) AS INTEGER) * 1000 + 30 * 86400000, received_at
        FROM inbound WHERE channel = 'slack-staff';
      DELETE FROM inbound WHERE channel IN ('telegram-callback', 'slack-staff');
      INSERT OR IGNORE INTO channel_data (namespace, key, value, expires_at, updated_at)
        SELECT 'slack', 'case-message:' || tracking_id, json_extract(data, '$.staffMessage'), NULL, updated_at
        FROM cases WHERE json_extract(data, '$.staffMessage') IS NOT NULL;
      UPDATE cases SET data = json_remove(data, '$.staffMessage')
        WHERE json_extract(data, '$.staffMessage') IS NOT NULL;
    `,
  },
  {
    version: 8,
    name: 'deadline order indexes, session versions, inbound work per conversation',
    // The staff queue pages by deadline (cases without one last: coalesce(due_at, '~')). An index
    // on that expression, per agency and across agencies, lets a page read its 20 rows in order
    // instead of sorting every open case of the agency (460 ms → 0.2 ms at 1M cases, bench scale).
    // status is in the index so the open-status filter needs no table read.
    // sessions.version: a turn saves the session it read, or fails (two instances, one chat).
    // work_key/work_order: a conversation's accepted work, read in the channel's order.
    sql: `
      CREATE INDEX cases_agency_deadline ON cases (agency_id, coalesce(due_at, '~'), tracking_id, status);
      CREATE INDEX cases_deadline ON cases (coalesce(due_at, '~'), tracking_id, status);

      ALTER TABLE sessions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

      ALTER TABLE inbound ADD COLUMN work_key TEXT;
      ALTER TABLE inbound ADD COLUMN work_order INTEGER;
      CREATE INDEX inbound_work_key ON inbound (channel, work_key, work_order) WHERE work IS NOT NULL;
    `,
  },
  {
    version: 9,
    name: 'case identity mode column',
    // Public lists (Open311 GeoReport) leave confidential cases out in the query itself.
    sql: `
      ALTER TABLE cases ADD COLUMN identity TEXT NOT NULL DEFAULT 'named';
      UPDATE cases SET identity = coalesce(json_extract(data, '$.identity'), 'named');
    `,
  },
  {
    version: 10,
    name: 'statistics summary tables kept by triggers',
    // Cases written before have no statistics (stat_week null) until the service fills them in
    // from their history (src/stats/backfill.ts); the triggers count them then.
    sql: `
      ${STATS_CASE_COLUMNS}
      ${statsTables('sqlite')}
      CREATE TRIGGER cases_stats_insert AFTER INSERT ON cases BEGIN
        ${contribution('NEW', 1, 'sqlite')}
      END;
      CREATE TRIGGER cases_stats_delete AFTER DELETE ON cases BEGIN
        ${contribution('OLD', -1, 'sqlite')}
      END;
      CREATE TRIGGER cases_stats_update AFTER UPDATE ON cases WHEN ${statsChanged('IS NOT')} BEGIN
        ${contribution('OLD', -1, 'sqlite')}
        ${contribution('NEW', 1, 'sqlite')}
      END;
    `,
  },
];

/**
 * Applies the migrations not yet recorded in `table`, in one immediate transaction (so two
 * processes starting on a fresh file do not both apply them). Refuses a database written by a
 * newer build before touching it. A module with tables of its own (the web chat adapter) keeps
 * its own list and table.
 */
export function migrate(
  db: Database.Database,
  now: () => Date,
  migrations: readonly Migration[] = MIGRATIONS,
  table = 'schema_migrations',
): number[] {
  const sql = migrationsTable(table);
  db.exec(sql.create);
  return db
    .transaction(() => {
      const applied = new Set(
        db
          .prepare(sql.applied)
          .all()
          .map((r) => (r as { version: number }).version),
      );
      const pending = pendingMigrations(applied, migrations, table);
      for (const m of pending) {
        db.exec(m.sql);
        db.prepare(sql.record).run(m.version, m.name, now().toISOString());
      }
      return pending.map((m) => m.version);
    })
    .immediate();
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Case } from '../../src/cases/types';
import { SqliteBackend } from '../../src/store/sqlite/backend';
import { MIGRATIONS, migrate } from '../../src/store/sqlite/migrations';
import { createdEvent, makeCase } from '../support/fixtures';
import { runBackendContracts } from './contract';

runBackendContracts('sqlite in memory', async (clock) =>
  SqliteBackend.open({ path: ':memory:', ...(clock ? { clock } : {}) }),
);

describe('SqliteBackend on a file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'suara-sqlite-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  runBackendContracts('sqlite file', async (clock) =>
    SqliteBackend.open({ path: join(dir, `c-${Math.random()}.db`), ...(clock ? { clock } : {}) }),
  );

  test('creates the missing directory, uses WAL, and applies every migration once', async () => {
    const path = join(dir, 'nested', 'deeper', 'suara.db');
    const backend = SqliteBackend.open({ path });
    expect(backend.journalMode()).toBe('wal');
    await backend.close();
    const reopened = SqliteBackend.open({ path }); // second open: nothing to apply, no error
    await reopened.close();
    const db = new Database(path, { readonly: true });
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
    db.close();
    expect(versions).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
  });

  test('data survives closing and reopening', async () => {
    const path = join(dir, 'suara.db');
    const c = makeCase();
    const first = SqliteBackend.open({ path });
    await first.commit({ cases: [{ case: c, expectedVersion: null }], events: [createdEvent(c)] });
    await first.close();
    const second = SqliteBackend.open({ path });
    expect(await second.cases.get(c.trackingId)).toEqual(c);
    await second.close();
  });

  test('refuses a database written by a newer schema', async () => {
    const path = join(dir, 'future.db');
    await SqliteBackend.open({ path }).close();
    const db = new Database(path);
    db.prepare(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')",
    ).run();
    db.close();
    expect(() => SqliteBackend.open({ path })).toThrow(/newer than this build/);
  });
});

describe('migration 7 on a database written by the previous version', () => {
  test('keeps button values, request ids and case messages, and fills the read-model columns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'suara-m7-'));
    try {
      const path = join(dir, 'old.db');
      const db = new Database(path);
      migrate(db, () => new Date(), MIGRATIONS.slice(0, 6));
      const worked = makeCase({
        trackingId: 'ADU-AAAAAA',
        status: 'in_progress',
        deadlines: { verifyBy: '2026-11-01T16:59:59.999Z', followUpBy: '2026-12-09T16:59:59.999Z' },
      });
      const row = (c: Case, extra: Record<string, unknown> = {}) => [
        c.trackingId,
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
        JSON.stringify({ ...c, ...extra }),
      ];
      const insert = db.prepare(
        `INSERT INTO cases (tracking_id, kind, status, agency_id, category, priority, reporter_channel,
           reporter_user, created_at, updated_at, version, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      insert.run(...row(worked, { staffMessage: { channel: 'C0PUPR', ts: '1.5' } }));
      const resolved = makeCase({
        trackingId: 'ADU-BBBBBB',
        status: 'resolved',
        deadlines: { autoCloseAt: '2026-12-01T16:59:59.999Z' },
      });
      insert.run(...row(resolved));
      const inbound = db.prepare(
        'INSERT INTO inbound (channel, message_id, received_at, result) VALUES (?, ?, ?, ?)',
      );
      inbound.run(
        'telegram-callback',
        '#abc',
        '2026-11-20T00:00:00.000Z',
        '"category:roads_drainage"',
      );
      inbound.run('slack-staff', 'trigger-1', '2026-11-20T00:00:00.000Z', null);
      inbound.run('telegram-update', '77', '2026-11-20T00:00:00.000Z', null);
      db.close();

      const clock = () => new Date('2026-11-27T02:00:00.000Z');
      const backend = SqliteBackend.open({ path, clock });
      try {
        const telegram = backend.channelStore.scope('telegram');
        const slack = backend.channelStore.scope('slack');
        expect(await telegram.get('callback:#abc')).toBe('category:roads_drainage');
        expect(await slack.putIfAbsent('request:trigger-1', true)).toBe(false);
        expect(await slack.get('case-message:ADU-AAAAAA')).toEqual({
          channel: 'C0PUPR',
          ts: '1.5',
        });
        // The case itself no longer carries the Slack reference.
        expect(await backend.cases.get('ADU-AAAAAA')).toEqual(worked);
        // Only the real inbound ids stay in the ledger.
        expect(await backend.ledger.get('telegram-update', '77')).not.toBeNull();
        expect(await backend.ledger.get('telegram-callback', '#abc')).toBeNull();
        // The agency deadline of the worked case is its follow-up; the resolved one closes.
        const window = {
          now: new Date('2026-12-08T00:00:00.000Z'),
          dueSoonUntil: new Date('2026-12-09T16:59:59.999Z'),
        };
        expect(await backend.queries.countSla({}, window)).toEqual({
          overdue: 0,
          due_soon: 1,
          on_time: 0,
        });
        const due = await backend.queries.list({ autoCloseDue: new Date('2026-12-02T00:00:00Z') });
        expect(due.cases.map((c) => c.trackingId)).toEqual(['ADU-BBBBBB']);
      } finally {
        await backend.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

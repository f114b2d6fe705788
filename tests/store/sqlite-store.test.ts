import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/store/sqlite/migrations';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { createdEvent, makeCase } from '../support/fixtures';
import { runStoreContract } from './contract';

runStoreContract('sqlite in memory', async () => SqliteStore.open({ path: ':memory:' }));

describe('SqliteStore on a file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'suara-sqlite-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  runStoreContract('sqlite file', async () =>
    SqliteStore.open({ path: join(dir, `c-${Math.random()}.db`) }),
  );

  test('creates the missing directory, uses WAL, and applies every migration once', async () => {
    const path = join(dir, 'nested', 'deeper', 'suara.db');
    const store = SqliteStore.open({ path });
    expect(store.journalMode()).toBe('wal');
    await store.close();
    const reopened = SqliteStore.open({ path }); // second open: nothing to apply, no error
    await reopened.close();
    const db = new Database(path, { readonly: true });
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
    db.close();
    expect(versions).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
  });

  test('data survives closing and reopening', async () => {
    const path = join(dir, 'suara.db');
    const c = makeCase();
    const first = SqliteStore.open({ path });
    await first.commit({ cases: [{ case: c, expectedVersion: null }], events: [createdEvent(c)] });
    await first.close();
    const second = SqliteStore.open({ path });
    expect(await second.getCase(c.trackingId)).toEqual(c);
    await second.close();
  });

  test('refuses a database written by a newer schema', async () => {
    const path = join(dir, 'future.db');
    await SqliteStore.open({ path }).close();
    const db = new Database(path);
    db.prepare(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')",
    ).run();
    db.close();
    expect(() => SqliteStore.open({ path })).toThrow(/newer than this build/);
  });
});

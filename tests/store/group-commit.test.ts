import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { isCodedError } from '../../src/errors';
import { SqliteBackend } from '../../src/store/sqlite/backend';
import { GroupCommit } from '../../src/store/sqlite/group-commit';
import { createdEvent, makeCase } from '../support/fixtures';

describe('group commit', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'suara-group-'));
    path = join(dir, 'g.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function open() {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    return db;
  }

  test('writes asked for together share one commit; none is visible before it, all after', async () => {
    const db = open();
    const other = new Database(path, { readonly: true });
    const group = new GroupCommit(db);
    const insert = db.prepare('INSERT INTO t (id, v) VALUES (?, ?)');
    const writes = Array.from({ length: 50 }, (_, i) => group.write(() => insert.run(i, `v${i}`)));
    // Asked for, not yet committed: another connection sees nothing.
    expect(other.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
    await Promise.all(writes);
    expect(other.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 50 });
    expect(group.stats).toEqual({ batches: 1, writes: 50, syncs: 0 });
    other.close();
    db.close();
  });

  test('with a WAL file, writes settle after a sync of it; writes asked for during a sync share the next commit', async () => {
    const db = open();
    db.pragma('synchronous = NORMAL');
    const group = new GroupCommit(db, { walFile: `${path}-wal` });
    const insert = db.prepare('INSERT INTO t (id, v) VALUES (?, ?)');
    let settled = 0;
    const writes: Promise<unknown>[] = [];
    // Ten rounds of the event loop, each asking for ten writes.
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 10; i++) {
        writes.push(group.write(() => insert.run(round * 10 + i, 'x')).then(() => settled++));
      }
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(writes);
    expect(settled).toBe(100);
    // One sync per commit; writes asked for while a sync runs wait for it and share the next
    // commit, so never more commits than rounds.
    expect(group.stats.batches).toBeGreaterThanOrEqual(1);
    expect(group.stats.batches).toBeLessThanOrEqual(10);
    expect(group.stats.syncs).toBe(group.stats.batches);
    await group.drain();
    group.close();
    db.close();
  });

  test('a write that throws is undone and fails alone; the others of its batch are written', async () => {
    const db = open();
    const group = new GroupCommit(db);
    const insert = db.prepare('INSERT INTO t (id, v) VALUES (?, ?)');
    const results = await Promise.allSettled([
      group.write(() => insert.run(1, 'a')),
      group.write(() => {
        insert.run(2, 'b'); // undone with its savepoint
        insert.run(1, 'dup'); // primary key violation
      }),
      group.write(() => insert.run(3, 'c')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.prepare('SELECT id, v FROM t ORDER BY id').all()).toEqual([
      { id: 1, v: 'a' },
      { id: 3, v: 'c' },
    ]);
    db.close();
  });

  test('a write alone in its batch that throws is undone whole, and the next batch works', async () => {
    const db = open();
    const group = new GroupCommit(db);
    const insert = db.prepare('INSERT INTO t (id, v) VALUES (?, ?)');
    await group.write(() => insert.run(1, 'a'));
    await expect(
      group.write(() => {
        insert.run(2, 'b'); // undone with the transaction
        insert.run(1, 'dup');
      }),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(db.inTransaction).toBe(false);
    await group.write(() => insert.run(3, 'c'));
    expect(db.prepare('SELECT id FROM t ORDER BY id').all()).toEqual([{ id: 1 }, { id: 3 }]);
    db.close();
  });

  test('a commit that fails fails every write of the batch and writes none of them', async () => {
    const db = open();
    // A deferred foreign key is checked at COMMIT: a write that breaks it passes its savepoint
    // and makes the batch's COMMIT itself fail, as a full disk or an I/O error would.
    db.pragma('foreign_keys = ON');
    db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
      CREATE TABLE child (id INTEGER PRIMARY KEY,
        parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)`);
    const group = new GroupCommit(db);
    const insert = db.prepare('INSERT INTO t (id, v) VALUES (?, ?)');
    const orphan = db.prepare('INSERT INTO child (id, parent) VALUES (1, 42)');
    const results = await Promise.allSettled([
      group.write(() => insert.run(1, 'x')),
      group.write(() => orphan.run()),
      group.write(() => insert.run(3, 'x')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(results[0]).toMatchObject({ reason: { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' } });
    expect(db.inTransaction).toBe(false);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM child').get()).toEqual({ n: 0 });
    // The next batch works again.
    await group.write(() => insert.run(9, 'ok'));
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
    db.close();
  });

  test('concurrent change sets of a backend: each case is visible after its commit; a conflict fails only its own', async () => {
    const backend = SqliteBackend.open({ path });
    const cases = Array.from({ length: 20 }, (_, i) =>
      makeCase({ trackingId: `ADU-${String(i).padStart(6, '0')}` }),
    );
    await backend.commit({ cases: [{ case: cases[0] ?? makeCase(), expectedVersion: null }] });
    const results = await Promise.allSettled([
      ...cases.slice(1).map((c) =>
        backend.commit({
          cases: [{ case: c, expectedVersion: null }],
          events: [createdEvent(c)],
          outbox: [
            { idempotencyKey: `k-${c.trackingId}`, channel: 't', recipient: '1', payload: {} },
          ],
        }),
      ),
      // Stale version: a conflict, in the same batch as the others.
      backend.commit({
        cases: [
          {
            case: { ...(cases[0] ?? makeCase()), status: 'verified', version: 2 },
            expectedVersion: 7,
          },
        ],
        outbox: [{ idempotencyKey: 'k-conflict', channel: 't', recipient: '1', payload: {} }],
      }),
    ]);
    expect(results.slice(0, 19).every((r) => r.status === 'fulfilled')).toBe(true);
    const last = results[19];
    expect(last?.status === 'rejected' && isCodedError(last.reason, 'conflict')).toBe(true);
    expect(await backend.queries.count({})).toBe(20);
    expect((await backend.outbox.count()).pending).toBe(19);
    expect(await backend.outbox.list({ limit: 100 })).not.toContainEqual(
      expect.objectContaining({ idempotencyKey: 'k-conflict' }),
    );
    await backend.close();
  });
});

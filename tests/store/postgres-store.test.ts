import request from 'supertest';
import { isCodedError } from '../../src/errors';
import { createApp, finishApp } from '../../src/http/app';
import { createLogger } from '../../src/logger';
import { PgBackend } from '../../src/store/postgres/backend';
import { openPool, query } from '../../src/store/postgres/db';
import { PG_MIGRATIONS } from '../../src/store/postgres/migrations';
import { createdEvent, makeCase } from '../support/fixtures';
import {
  describeIfPostgres,
  freshSchema,
  openTestPgBackend,
  POSTGRES_URL,
} from '../support/postgres';
import { TcpProxy } from '../support/tcp-proxy';
import { runBackendContracts } from './contract';

describeIfPostgres('PostgreSQL store', () => {
  runBackendContracts('postgres', (clock) => openTestPgBackend(clock));

  const now = new Date('2026-11-27T02:00:00.000Z');
  const msg = (key: string, recipient = `chat-${key}`) => ({
    idempotencyKey: key,
    channel: 'telegram',
    recipient,
    payload: { text: `pesan ${key}` },
  });

  describe('migrations', () => {
    test('instances starting together on a fresh database migrate once', async () => {
      const schema = freshSchema();
      const open = () => PgBackend.open({ url: POSTGRES_URL, schema, poolMax: 2 });
      const backends = await Promise.all([open(), open(), open()]);
      const pool = openPool({ url: POSTGRES_URL, schema, poolMax: 1 });
      try {
        const { rows } = await query<{ version: number }>(
          pool,
          'SELECT version FROM schema_migrations ORDER BY version',
        );
        expect(rows).toEqual(PG_MIGRATIONS.map((m) => ({ version: m.version })));
        // Each instance works on the same tables.
        await backends[0]?.commit({ cases: [{ case: makeCase(), expectedVersion: null }] });
        expect(await backends[2]?.cases.exists(makeCase().trackingId)).toBe(true);
      } finally {
        await pool.end();
        for (const b of backends) await b.close();
      }
    });

    test('a database from a newer build is refused before anything is touched', async () => {
      const schema = freshSchema();
      const first = await PgBackend.open({ url: POSTGRES_URL, schema, poolMax: 1 });
      await first.close();
      const pool = openPool({ url: POSTGRES_URL, schema, poolMax: 1 });
      await query(pool, "INSERT INTO schema_migrations VALUES (999, 'from the future', 'x')");
      await pool.end();
      await expect(PgBackend.open({ url: POSTGRES_URL, schema, poolMax: 1 })).rejects.toThrow(
        /schema version 999 .* newer than this build/,
      );
    });
  });

  describe('several instances on one database', () => {
    test('two instances claiming at once lease each message once, one per recipient at a time', async () => {
      const schema = freshSchema();
      const a = await PgBackend.open({ url: POSTGRES_URL, schema, poolMax: 4 });
      const b = await PgBackend.open({ url: POSTGRES_URL, schema, poolMax: 4 });
      try {
        // 40 recipients with 3 messages each, queued in order.
        for (let i = 0; i < 3; i++) {
          await a.outbox.enqueue(
            Array.from({ length: 40 }, (_, r) => msg(`m-${r}-${i}`, `chat-${r}`)),
            now,
          );
        }
        const leasedBy: string[] = [];
        const open = new Set<string>(); // recipients with a message being sent now
        const worker = async (backend: PgBackend) => {
          for (let round = 0; round < 200; round++) {
            const got = await backend.outbox.claim({
              channels: ['telegram'],
              now,
              limit: 7,
              leaseMs: 60_000,
            });
            if (got.length === 0 && leasedBy.length === 120) return;
            for (const m of got) {
              expect(open.has(m.recipient)).toBe(false);
              open.add(m.recipient);
              leasedBy.push(m.idempotencyKey);
            }
            for (const m of got) {
              open.delete(m.recipient);
              await backend.outbox.settle(
                { id: m.id, leaseToken: m.leaseToken ?? '' },
                { status: 'sent', at: now },
              );
            }
          }
        };
        await Promise.all([worker(a), worker(b), worker(a), worker(b)]);
        expect(leasedBy).toHaveLength(120);
        expect(new Set(leasedBy).size).toBe(120);
        // Each recipient's three messages went out in the order queued.
        for (let r = 0; r < 40; r++) {
          const mine = leasedBy.filter((k) => k.startsWith(`m-${r}-`));
          expect(mine).toEqual([`m-${r}-0`, `m-${r}-1`, `m-${r}-2`]);
        }
      } finally {
        await a.close();
        await b.close();
      }
    });

    test('a case written by two instances at once: one commit wins, the other gets a conflict', async () => {
      const schema = freshSchema();
      const a = await PgBackend.open({ url: POSTGRES_URL, schema, poolMax: 2 });
      const b = await PgBackend.open({ url: POSTGRES_URL, schema, poolMax: 2 });
      try {
        const c = makeCase();
        await a.commit({ cases: [{ case: c, expectedVersion: null }], events: [createdEvent(c)] });
        const next = { ...c, status: 'verified' as const, version: c.version + 1 };
        const results = await Promise.allSettled([
          a.commit({ cases: [{ case: next, expectedVersion: c.version }] }),
          b.commit({ cases: [{ case: next, expectedVersion: c.version }] }),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        expect(isCodedError(failed.reason, 'conflict')).toBe(true);
        expect((await b.cases.get(c.trackingId))?.version).toBe(c.version + 1);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });

  describe('losing the database at run time', () => {
    let proxy: TcpProxy;
    let backend: PgBackend;
    beforeEach(async () => {
      proxy = await TcpProxy.start(
        new URL(POSTGRES_URL).port ? Number(new URL(POSTGRES_URL).port) : 5432,
      );
      const url = new URL(POSTGRES_URL);
      url.host = `127.0.0.1:${proxy.port}`;
      backend = await PgBackend.open({
        url: url.toString(),
        schema: freshSchema(),
        poolMax: 2,
        connectTimeoutMs: 500,
      });
    });
    afterEach(async () => {
      await backend.close();
      await proxy.close();
    });

    test('calls fail as store_unavailable, nothing is half written, and the pool reconnects', async () => {
      const c = makeCase();
      await backend.ping();
      proxy.cut();
      const failed = await backend
        .commit({
          cases: [{ case: c, expectedVersion: null }],
          events: [createdEvent(c)],
          outbox: [msg('while-down')],
        })
        .catch((e: unknown) => e);
      expect(isCodedError(failed, 'store_unavailable')).toBe(true);
      await expect(backend.ping()).rejects.toMatchObject({ code: 'store_unavailable' });
      proxy.restore();
      await backend.ping();
      expect(await backend.cases.get(c.trackingId)).toBeNull();
      expect(await backend.outbox.list()).toEqual([]);
      await backend.commit({
        cases: [{ case: c, expectedVersion: null }],
        events: [createdEvent(c)],
      });
      expect(await backend.cases.events(c.trackingId)).toHaveLength(1);
    });

    test('readiness says unavailable while the database is gone; requests get a clear 503', async () => {
      const logger = createLogger('silent');
      const app = createApp({ backend, logger });
      app.get('/case/:id', async (req, res) => {
        res.json(await backend.cases.get(String(req.params.id)));
      });
      finishApp(app, logger);
      expect((await request(app).get('/readyz')).status).toBe(200);
      proxy.cut();
      await new Promise((r) => setTimeout(r, 1100)); // the readiness probe runs once a second
      const ready = await request(app).get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ status: 'unavailable', error: 'store not reachable' });
      const res = await request(app).get('/case/ADU-7K3M9Q');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body.error.code).toBe('unavailable');
      proxy.restore();
      await new Promise((r) => setTimeout(r, 1100));
      expect((await request(app).get('/readyz')).status).toBe(200);
    });
  });
});

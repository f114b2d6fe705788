import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { NewCaseInput } from '../../src/cases/new-case';
import { silentLogger } from '../../src/logger';
import { type RunningService, startService } from '../../src/service';
import { testConfig } from '../support/config';
import { manualClock } from '../support/fixtures';
import { testNlu } from '../support/nlu';

const config = testConfig();

describe('suara serve (in process)', () => {
  let service: RunningService;
  let releaseSlow: () => void = () => {};
  let slowStarted: () => void = () => {};
  const slowStartedP = new Promise<void>((r) => {
    slowStarted = r;
  });

  beforeAll(async () => {
    service = await startService(config, {
      logger: silentLogger,
      nlu: testNlu(),
      host: '127.0.0.1',
      mount: (app) => {
        app.get('/test/slow', async (_req, res) => {
          slowStarted();
          await new Promise<void>((r) => {
            releaseSlow = r;
          });
          res.json({ done: true });
        });
      },
    });
  });
  afterAll(() => service.stop());

  test('GET /healthz answers while the process is up', async () => {
    const res = await request(service.url).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  test('GET /readyz answers when the store does, with the outbox counts (dead letters)', async () => {
    const res = await request(service.url).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ready',
      outbox: { pending: 0, sending: 0, dead: 0, undeliverable: 0 },
    });
  });

  test('unknown routes get a JSON 404', async () => {
    const res = await request(service.url).get('/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  test('shutdown finishes the request in flight, then refuses connections and closes the store', async () => {
    const inflight = request(service.url)
      .get('/test/slow')
      .then((r) => r);
    await slowStartedP;
    const stopping = service.stop();
    await new Promise((r) => setTimeout(r, 50));
    releaseSlow();
    const res = await inflight;
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ done: true });
    await stopping;
    await expect(request(service.url).get('/healthz')).rejects.toThrow(/ECONNREFUSED/);
    await expect(service.backend.ping()).rejects.toThrow();
  });
});

describe('readiness', () => {
  test('/readyz is 503 when the store does not answer, /healthz stays 200', async () => {
    const service = await startService(config, {
      logger: silentLogger,
      host: '127.0.0.1',
      nlu: testNlu(),
    });
    try {
      service.backend.ping = async () => {
        throw new Error('disk gone');
      };
      expect((await request(service.url).get('/readyz')).status).toBe(503);
      expect((await request(service.url).get('/healthz')).status).toBe(200);
    } finally {
      await service.stop();
    }
  });
});

describe('readiness: a store that cannot write is not ready', () => {
  let dir: string;
  let clock: ReturnType<typeof manualClock>;
  let service: RunningService;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'suara-ready-'));
    clock = manualClock();
    service = await startService(
      testConfig({ database: { kind: 'sqlite', path: join(dir, 'suara.db') } }),
      { logger: silentLogger, host: '127.0.0.1', nlu: testNlu(), clock },
    );
  });
  afterEach(async () => {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('dead letters show in /readyz (they do not make the service unready)', async () => {
    const now = clock();
    await service.backend.outbox.enqueue(
      [{ idempotencyKey: 'lost', channel: 'nowhere', recipient: '1', payload: {} }],
      now,
    );
    const [m] = await service.backend.outbox.claim({
      channels: ['nowhere'],
      now,
      limit: 1,
      leaseMs: 1000,
    });
    await service.backend.outbox.settle(
      { id: m?.id as string, leaseToken: m?.leaseToken as string },
      { status: 'dead', at: now, error: 'gave up' },
    );
    clock.advance(1_000);
    const res = await ready();
    expect(res.status).toBe(200);
    expect(res.body.outbox).toEqual({ pending: 0, sending: 0, dead: 1, undeliverable: 0 });
  });

  /** The SQLite connection under the service's store (its pragmas simulate a failing disk). */
  const sqlite = () => {
    const engine = service.backend.engine;
    if (engine.kind !== 'sqlite') throw new Error('these tests run on SQLite');
    return engine.db;
  };
  const ready = () => request(service.url).get('/readyz');
  const CITIZEN = { type: 'citizen' as const, id: 'c1' };
  const longCase: NewCaseInput = {
    kind: 'complaint',
    // Longer than a page: the row needs new pages.
    text: 'jalan berlubang di depan rumah nomor 5 '.repeat(300),
    language: 'id',
    category: 'roads_drainage',
    reporter: { channel: 'test', channelUserId: 'c1' },
    identity: 'named',
  };

  test('disk full: after a write fails with SQLITE_FULL, /readyz is 503 until writes succeed again', async () => {
    expect((await ready()).status).toBe(200);
    const db = sqlite();
    // The database may not grow by a single page: as on a full disk.
    db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true }))}`);
    await expect(service.cases.open(longCase, CITIZEN)).rejects.toMatchObject({
      code: 'SQLITE_FULL',
    });
    const full = await ready();
    expect(full.status).toBe(503);
    expect(full.body).toMatchObject({ status: 'unavailable', error: 'store cannot write' });
    expect((await request(service.url).get('/healthz')).status).toBe(200);

    // The disk frees up. A write must succeed a while after the last failure (10 s).
    db.pragma('max_page_count = 1073741823');
    clock.advance(2_000);
    expect((await ready()).status).toBe(503);
    clock.advance(10_000);
    const again = await ready();
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'ready' });
    await expect(service.cases.open(longCase, CITIZEN)).resolves.toBeDefined();
  });

  test('read-only database: the probe write fails, /readyz is 503 until it can write again', async () => {
    expect((await ready()).status).toBe(200);
    sqlite().pragma('query_only = ON');
    clock.advance(1_000);
    const readOnly = await ready();
    expect(readOnly.status).toBe(503);
    expect(readOnly.body).toMatchObject({ status: 'unavailable', error: 'store cannot write' });
    sqlite().pragma('query_only = OFF');
    clock.advance(11_000);
    expect((await ready()).status).toBe(200);
  });

  test('/readyz polled many times a second writes at most once per second', async () => {
    const writes = () => (sqlite().prepare('SELECT total_changes() AS n').get() as { n: number }).n;
    const before = writes();
    for (let i = 0; i < 5; i++) expect((await ready()).status).toBe(200);
    expect(writes() - before).toBeLessThanOrEqual(1);
    clock.advance(1_000);
    expect((await ready()).status).toBe(200);
    expect(writes() - before).toBeLessThanOrEqual(2);
    expect(writes() - before).toBeGreaterThanOrEqual(1);
  });
});

describe('holiday coverage', () => {
  test('start-up warns when the holiday file has no entries for this year or the next', async () => {
    const warnings: object[] = [];
    const logger = { ...silentLogger, warn: (obj: object) => warnings.push(obj) };
    const at = (iso: string) => () => new Date(iso);
    const inside = await startService(config, {
      logger,
      nlu: testNlu(),
      host: '127.0.0.1',
      clock: at('2026-11-28T00:00:00Z'),
    });
    await inside.stop();
    expect(warnings).toEqual([]);
    const edge = await startService(config, {
      logger,
      nlu: testNlu(),
      host: '127.0.0.1',
      clock: at('2027-06-01T00:00:00Z'),
    });
    await edge.stop();
    expect(warnings).toEqual([{ missingYears: [2028] }]);
  });
});

describe('housekeeping', () => {
  test('inbound message ids older than the retention are forgotten by the background job', async () => {
    const now = new Date('2026-11-28T00:00:00Z');
    const started = Date.now();
    const service = await startService(config, {
      logger: silentLogger,
      nlu: testNlu(),
      host: '127.0.0.1',
      // Time goes on (each period of the job runs once).
      clock: () => new Date(now.getTime() + Date.now() - started),
      jobIntervalMs: 20,
    });
    try {
      const day = 24 * 3600_000;
      await service.backend.ledger.record('test', 'old', new Date(now.getTime() - 31 * day));
      await service.backend.ledger.record('test', 'recent', new Date(now.getTime() - 29 * day));
      for (let i = 0; i < 200 && (await service.backend.ledger.get('test', 'old')); i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(await service.backend.ledger.get('test', 'old')).toBeNull();
      expect(await service.backend.ledger.get('test', 'recent')).not.toBeNull();
    } finally {
      await service.stop();
    }
  });
});

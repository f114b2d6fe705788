import request from 'supertest';
import { silentLogger } from '../../src/logger';
import { type RunningService, startService } from '../../src/service';
import { testConfig } from '../support/config';
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

  test('GET /readyz answers when the store does', async () => {
    const res = await request(service.url).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready' });
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
    await expect(service.store.ping()).rejects.toThrow();
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
      service.store.ping = async () => {
        throw new Error('disk gone');
      };
      expect((await request(service.url).get('/readyz')).status).toBe(503);
      expect((await request(service.url).get('/healthz')).status).toBe(200);
    } finally {
      await service.stop();
    }
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
    const service = await startService(config, {
      logger: silentLogger,
      nlu: testNlu(),
      host: '127.0.0.1',
      clock: () => now,
      jobIntervalMs: 20,
    });
    try {
      const day = 24 * 3600_000;
      await service.store.recordInbound('test', 'old', new Date(now.getTime() - 31 * day));
      await service.store.recordInbound('test', 'recent', new Date(now.getTime() - 29 * day));
      for (let i = 0; i < 200 && (await service.store.getInbound('test', 'old')); i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(await service.store.getInbound('test', 'old')).toBeNull();
      expect(await service.store.getInbound('test', 'recent')).not.toBeNull();
    } finally {
      await service.stop();
    }
  });
});

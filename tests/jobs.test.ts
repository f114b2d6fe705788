import { holdSingleton, keyValueJobLease, startPeriodic } from '../src/jobs';
import { silentLogger } from '../src/logger';
import type { KeyValueStore } from '../src/store/channel-store';
import { PgBackend } from '../src/store/postgres/backend';
import { SqliteBackend } from '../src/store/sqlite/backend';
import { describeIfPostgres, freshSchema, POSTGRES_URL } from './support/postgres';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startPeriodic', () => {
  test('runs repeatedly, never overlapping, survives errors, and stop() waits for the run in flight', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const errors: object[] = [];
    const job = startPeriodic(
      'test',
      5,
      async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        runs++;
        await sleep(15);
        active--;
        if (runs === 1) throw new Error('first run fails');
      },
      { ...silentLogger, error: (obj) => errors.push(obj) },
    );
    for (let i = 0; i < 200 && runs < 3; i++) await sleep(5);
    await job.stop();
    const after = runs;
    expect(after).toBeGreaterThanOrEqual(3);
    expect(maxActive).toBe(1);
    expect(active).toBe(0);
    expect(errors).toEqual([expect.objectContaining({ job: 'test' })]);
    await sleep(30);
    expect(runs).toBe(after);
  });
});

describe('jobs shared by several instances (keyValueJobLease)', () => {
  /** Two instances' upkeep on one store for `ms`: which instance ran which period. */
  async function runTwo(stores: KeyValueStore[], ms: number, intervalMs: number) {
    const clock = () => new Date();
    const runs: { period: number; instance: number }[] = [];
    let active = 0;
    let maxActive = 0;
    const jobs = stores.map((kv, instance) =>
      startPeriodic(
        'upkeep',
        intervalMs,
        async () => {
          active++;
          maxActive = Math.max(maxActive, active);
          runs.push({ period: Math.floor(Date.now() / intervalMs), instance });
          await sleep(3);
          active--;
        },
        silentLogger,
        { lease: keyValueJobLease(kv, clock, `i${instance}`), clock },
      ),
    );
    const started = Date.now();
    await sleep(ms);
    for (const job of jobs) await job.stop();
    return { runs, maxActive, periods: Math.floor((Date.now() - started) / intervalMs) };
  }

  test('each period runs on one instance, once; never two runs at once', async () => {
    const backend = SqliteBackend.open({ path: ':memory:' });
    const kv = backend.channelStore.scope('jobs');
    const { runs, maxActive, periods } = await runTwo([kv, kv], 400, 40);
    const byPeriod = new Map<number, number>();
    for (const r of runs) byPeriod.set(r.period, (byPeriod.get(r.period) ?? 0) + 1);
    expect([...byPeriod.values()].every((n) => n === 1)).toBe(true);
    expect(runs.length).toBeGreaterThanOrEqual(periods - 2);
    expect(maxActive).toBe(1);
    await backend.close();
  });

  test('a run whose instance died holds the job only until its hold expires', async () => {
    let now = new Date('2026-12-01T00:00:00Z');
    const clock = () => now;
    const backend = SqliteBackend.open({ path: ':memory:', clock });
    const kv = backend.channelStore.scope('jobs');
    const a = keyValueJobLease(kv, clock, 'a');
    const b = keyValueJobLease(kv, clock, 'b');
    const period = Math.floor(now.getTime() / 60_000);
    expect(await a.take('upkeep', period, 60_000)).not.toBeNull(); // and a dies mid-run
    now = new Date(now.getTime() + 60_000);
    expect(await b.take('upkeep', period + 1, 60_000)).toBeNull(); // a's run may still go on
    now = new Date(now.getTime() + 61_000);
    const release = await b.take('upkeep', period + 2, 60_000);
    expect(release).not.toBeNull();
    await release?.();
    // A period already run is not run again, by anyone.
    expect(await a.take('upkeep', period + 2, 60_000)).toBeNull();
    expect(await a.take('upkeep', period + 3, 60_000)).not.toBeNull();
    await backend.close();
  });

  describeIfPostgres('on PostgreSQL', () => {
    test('two instances on one database: each period once, never at once', async () => {
      const schema = freshSchema();
      const one = await PgBackend.open({ url: POSTGRES_URL, schema, poolMax: 2 });
      const two = await PgBackend.open({ url: POSTGRES_URL, schema, poolMax: 2 });
      try {
        const { runs, maxActive, periods } = await runTwo(
          [one.channelStore.scope('jobs'), two.channelStore.scope('jobs')],
          600,
          60,
        );
        const periodsRun = runs.map((r) => r.period);
        expect(new Set(periodsRun).size).toBe(periodsRun.length);
        expect(runs.length).toBeGreaterThanOrEqual(periods - 2);
        expect(new Set(runs.map((r) => r.instance)).size).toBeGreaterThanOrEqual(1);
        expect(maxActive).toBe(1);
      } finally {
        await one.close();
        await two.close();
      }
    });
  });
});

describe('a duty that runs on one instance (holdSingleton)', () => {
  /** A duty that records where it runs. */
  const duty = (instance: string, log: string[]) => ({
    name: 'polling',
    start: () => void log.push(`start:${instance}`),
    stop: async () => void log.push(`stop:${instance}`),
  });

  test('one instance runs it; another takes over when it stops, or when its lease runs out', async () => {
    const backend = SqliteBackend.open({ path: ':memory:' });
    const kv = backend.channelStore.scope('jobs');
    const clock = () => new Date();
    const log: string[] = [];
    const options = (owner: string) => ({ owner, clock, logger: silentLogger, ttlMs: 120 });
    const a = await holdSingleton(kv, duty('a', log), options('a'));
    const b = await holdSingleton(kv, duty('b', log), options('b'));
    await sleep(200); // renewals go on: b never starts
    expect(log).toEqual(['start:a']);
    await a.stop();
    for (let i = 0; i < 100 && !log.includes('start:b'); i++) await sleep(10);
    expect(log).toEqual(['start:a', 'stop:a', 'start:b']);

    // c takes the duty, then loses its database connection.
    let reachable = true;
    const flaky = new Proxy(kv, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as (...args: unknown[]) => unknown;
        return (...args: unknown[]) =>
          reachable ? value.apply(target, args) : Promise.reject(new Error('no database'));
      },
    });
    await b.stop();
    const c = await holdSingleton(flaky, duty('c', log), options('c'));
    expect(log.at(-1)).toBe('start:c');
    reachable = false;
    const d = await holdSingleton(kv, duty('d', log), options('d'));
    // c cannot renew: it stops its duty once its lease may have run out, and d takes over.
    for (let i = 0; i < 100 && !log.includes('start:d'); i++) await sleep(10);
    expect(log.slice(-2).sort()).toEqual(['start:d', 'stop:c']);
    await c.stop();
    await d.stop();
    await backend.close();
  });
});

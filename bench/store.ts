// Store and outbox throughput on a SQLite file (WAL, synchronous=FULL), and deadline arithmetic.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addWorkingDays } from '../src/cases/calendar';
import { CaseService } from '../src/cases/service';
import { loadConfig } from '../src/config/env';
import { loadDomainFiles } from '../src/config/files';
import { silentLogger } from '../src/logger';
import { OutboxDispatcher } from '../src/outbox/dispatcher';
import { SqliteBackend } from '../src/store/sqlite/backend';

const root = join(__dirname, '..');

function rate(n: number, ms: number): string {
  return `${n} in ${ms.toFixed(0)} ms = ${((n / ms) * 1000).toFixed(0)}/s`;
}

export async function benchStore(n = 2000): Promise<void> {
  const loaded = loadConfig({
    SUARA_AGENCIES: join(root, 'intents/agencies.yaml'),
    SUARA_DEADLINES: join(root, 'intents/deadlines.yaml'),
    SUARA_HOLIDAYS: join(root, 'intents/holidays.yaml'),
  });
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const { directory, planner } = loadDomainFiles(loaded.config);
  const dir = mkdtempSync(join(tmpdir(), 'suara-bench-store-'));
  const backend = SqliteBackend.open({ path: join(dir, 'suara.db') });
  try {
    const clock = () => new Date();
    const cases = new CaseService({
      backend,
      directory,
      planner,
      clock,
      randomBytes,
      notify: ({ after, event }) => [
        {
          idempotencyKey: `${after.trackingId}#${event.seq}`,
          channel: 'bench',
          recipient: after.agencyId,
          payload: { status: after.status },
        },
      ],
    });
    const ids: string[] = [];
    let t = performance.now();
    for (let i = 0; i < n; i++) {
      const { case: c } = await cases.open(
        {
          kind: 'complaint',
          text: `Jalan berlubang di RT ${i % 20}, sudah dua bulan belum diperbaiki`,
          language: 'id',
          category: 'roads_drainage',
          reporter: { channel: 'telegram', channelUserId: String(1000 + (i % 300)) },
          identity: 'named',
        },
        { type: 'citizen', id: String(i) },
      );
      ids.push(c.trackingId);
    }
    console.log(
      `open case (id check + route + deadlines + case, event, outbox in one transaction): ${rate(n, performance.now() - t)}`,
    );

    t = performance.now();
    for (const id of ids) await cases.act(id, { type: 'verify' }, { type: 'staff', id: 'U1' });
    console.log(
      `transition (read, verify, write with version check): ${rate(n, performance.now() - t)}`,
    );

    t = performance.now();
    for (let i = 0; i < n; i++) await backend.cases.get(ids[i] as string);
    console.log(`getCase: ${rate(n, performance.now() - t)}`);

    const dispatcher = new OutboxDispatcher({
      outbox: backend.outbox,
      clock,
      logger: silentLogger,
      batchSize: 100,
    });
    dispatcher.register('bench', { send: async () => ({ status: 'sent' }) });
    t = performance.now();
    let sent = 0;
    for (;;) {
      const r = await dispatcher.runOnce();
      if (r.sent === 0) break;
      sent += r.sent;
    }
    console.log(
      `outbox dispatch to a no-op sender (lease + settle): ${rate(sent, performance.now() - t)}`,
    );

    const from = new Date('2026-12-20T03:00:00Z');
    const m = 100_000;
    t = performance.now();
    for (let i = 0; i < m; i++)
      addWorkingDays(planner.calendar, new Date(from.getTime() + i * 60_000), 5);
    console.log(`addWorkingDays(5) with the Jakarta calendar: ${rate(m, performance.now() - t)}`);
  } finally {
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteBackend } from '../../src/store/sqlite/backend';

/** Starts the writer, waits for `minCommitted` committed ids, then SIGKILLs it mid-write. */
function killWriterAfter(path: string, minCommitted: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--require', require.resolve('tsx/cjs'), join(__dirname, 'crash-writer.ts'), path],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    let killed = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`writer too slow; stderr: ${err}`));
    }, 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!killed && out.split('\n').length > minCommitted) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`writer ended on its own; stderr: ${err}`));
      // The last line may be cut; only complete lines were committed and reported.
      resolve(out.split('\n').filter((line) => /^ADU-[0-9A-Z]{6}$/.test(line)));
    });
  });
}

describe('SQLite crash safety', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'suara-crash-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a writer killed with SIGKILL leaves every committed case readable', async () => {
    const path = join(dir, 'suara.db');
    const committed = await killWriterAfter(path, 200);
    expect(committed.length).toBeGreaterThanOrEqual(200);

    const db = new Database(path);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();

    const backend = SqliteBackend.open({ path });
    try {
      for (const id of committed) {
        const c = await backend.cases.get(id);
        expect(c?.trackingId).toBe(id);
        expect(await backend.cases.events(id)).toHaveLength(1);
      }
      // Each case came with its outbox message in the same transaction: never one without the other.
      const { cases } = await backend.queries.list({}, { limit: 500 });
      const outbox = await backend.outbox.list({ limit: 1000 });
      expect(cases.length).toBeLessThan(1000);
      expect(outbox.map((m) => m.idempotencyKey).sort()).toEqual(
        cases.map((c) => `created:${c.trackingId}`).sort(),
      );
    } finally {
      await backend.close();
    }
  });
});

// Time from `node dist/src/cli/main.js serve` (what `npm start` runs) to the first 200 from /healthz,
// with no configuration but PORT, on a fresh SQLite file. Target: under 5 s.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..');

async function once(port: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'suara-bench-start-'));
  symlinkSync(join(root, 'intents'), join(dir, 'intents'));
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'dist/src/cli/main.js'), 'serve'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    for (let i = 0; i < 400; i++) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (res.ok) return performance.now() - started;
      } catch {
        // not yet
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('service did not answer /healthz within 10 s');
  } finally {
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchStartup(runs = 5): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once(39_100 + i));
  times.sort((a, b) => a - b);
  console.log(
    `startup to /healthz (npm start, fresh SQLite), ${runs} runs: median ${times[Math.floor(runs / 2)]?.toFixed(0)} ms, max ${times[runs - 1]?.toFixed(0)} ms (target < 5000 ms)`,
  );
}

// Time from `node dist/app/suara.js serve` (what `npm start` runs) to the first 200 from /healthz,
// with no configuration but PORT, on a fresh SQLite file. Target: under 5 s.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { saveJson, trainNlu } from '../src/nlu/load';

const root = join(__dirname, '..');

async function once(port: number, env: Record<string, string>): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'suara-bench-start-'));
  symlinkSync(join(root, 'intents'), join(dir, 'intents'));
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'dist/app/suara.js'), 'serve'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), LOG_LEVEL: 'warn', ...env },
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
  // As after `npm install`: the NLU model was trained by `prepare`.
  const model = join(mkdtempSync(join(tmpdir(), 'suara-bench-model-')), 'nlu-model.json');
  saveJson(model, trainNlu(join(root, 'intents')).toJSON());
  const report = async (label: string, env: Record<string, string>, n: number) => {
    const times: number[] = [];
    for (let i = 0; i < n; i++) times.push(await once(39_100 + i, env));
    times.sort((a, b) => a - b);
    console.log(
      `startup to /healthz, ${label}, ${n} runs: median ${times[Math.floor(n / 2)]?.toFixed(0)} ms, max ${times[n - 1]?.toFixed(0)} ms (target < 5000 ms)`,
    );
  };
  await report(
    'npm start after install (model built), fresh SQLite',
    { SUARA_NLU_MODEL: model },
    runs,
  );
  await report('first start with no model (trains it)', {}, 2);
  rmSync(dirname(model), { recursive: true, force: true });
}

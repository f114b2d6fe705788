// `npm run bench -- instances`: Telegram conversations per second through the webhook with 1, 2
// and 3 Suara instances on one PostgreSQL database (BENCH_POSTGRES_URL, default the local test
// server; a fresh database is created and dropped). Each instance is a real `suara serve`
// process; the load generator sends each new chat's "halo" to the instances in turn (as a load
// balancer would) and counts a conversation when its reply reaches the fake Bot API. The three
// set-ups take turns in rounds, so the machine's drift weighs on all alike. Besides the rate, the
// table gives the CPU time per conversation of the Suara processes (summed), of PostgreSQL (every
// `postgres` process) and of the load generator: on 2 cores these three share the machine, which
// is what bounds the gain of a second and third instance.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { saveJson, trainNlu } from '../src/nlu/load';
import { fmt, percentile, printTable } from './table';
import {
  CONCURRENCY,
  cpuMsOf,
  FakeBotApi,
  freePort,
  HOST,
  message,
  postUpdate,
  SECRET,
  stop,
  TOKEN,
  waitHealthy,
} from './webhook';

const root = join(__dirname, '..');
const ROUNDS = 3;
const ROUND_MS = 3000;
const TOKEN_SECRET = 'bench-webchat-token-secret-0123456789abcdef';

/** CPU time (ms) of every process whose command is `postgres` (the server and its backends). */
function postgresCpuMs(): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres')
        total += cpuMsOf(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/** One `suara serve` on the bench database. */
async function startInstance(databaseUrl: string, botApi: string, model: string, id: string) {
  const dir = mkdtempSync(join(tmpdir(), 'suara-bench-instance-'));
  symlinkSync(join(root, 'intents'), join(dir, 'intents'));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [join(root, 'dist/app/suara.js'), 'serve'], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_MAX: '10',
      SUARA_INSTANCE_ID: id,
      SUARA_NLU_MODEL: model,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: botApi,
      WEBCHAT_TOKEN_SECRET: TOKEN_SECRET,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://${HOST}:${port}`;
  try {
    await waitHealthy(`${url}/healthz`, child);
  } catch (err) {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url,
    child,
    async stop() {
      await stop(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Result {
  done: number;
  failed: number;
  seconds: number;
  latencies: number[];
  suaraCpuMs: number;
  postgresCpuMs: number;
  clientCpuMs: number;
}

/** A closed loop of new chats saying "halo", spread over `urls` in turn, for `ms`. */
async function run(
  urls: string[],
  children: ChildProcess[],
  bot: FakeBotApi,
  newChat: () => number,
  ms: number,
): Promise<Result> {
  const suaraCpu = () => children.reduce((sum, c) => sum + cpuMsOf(c.pid), 0);
  const suara0 = suaraCpu();
  const pg0 = postgresCpuMs();
  const client0 = process.cpuUsage();
  const latencies: number[] = [];
  let failed = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < started + ms) {
        const chat = newChat();
        const url = urls[next++ % urls.length] as string;
        const t = performance.now();
        try {
          const from = bot.sent(String(chat)).length;
          await postUpdate(url, message(chat, 'halo'));
          await bot.waitFor(String(chat), from, () => true);
          latencies.push(performance.now() - t);
        } catch {
          failed++;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const client = process.cpuUsage(client0);
  return {
    done: latencies.length,
    failed,
    seconds,
    latencies,
    suaraCpuMs: suaraCpu() - suara0,
    postgresCpuMs: postgresCpuMs() - pg0,
    clientCpuMs: (client.user + client.system) / 1000,
  };
}

function merge(a: Result | undefined, b: Result): Result {
  if (!a) return b;
  return {
    done: a.done + b.done,
    failed: a.failed + b.failed,
    seconds: a.seconds + b.seconds,
    latencies: [...a.latencies, ...b.latencies],
    suaraCpuMs: a.suaraCpuMs + b.suaraCpuMs,
    postgresCpuMs: a.postgresCpuMs + b.postgresCpuMs,
    clientCpuMs: a.clientCpuMs + b.clientCpuMs,
  };
}

export async function benchInstances(): Promise<void> {
  const base = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `suara_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  try {
    await admin.connect();
  } catch (err) {
    console.log(`\ninstances bench skipped: cannot connect to ${base} (${(err as Error).message})`);
    return;
  }
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const modelDir = mkdtempSync(join(tmpdir(), 'suara-bench-model-'));
  const model = join(modelDir, 'nlu-model.json');
  saveJson(model, trainNlu(join(root, 'intents')).toJSON());
  const bot = await new FakeBotApi().start();
  const instances: Awaited<ReturnType<typeof startInstance>>[] = [];
  console.log(
    `\ninstances bench: ${availableParallelism()} CPUs, PostgreSQL database ${name}; ` +
      `${CONCURRENCY} chats at once, ${ROUNDS} rounds of ${ROUND_MS / 1000} s per set-up`,
  );
  try {
    // Started one after the other: the first migrates, the others find the schema ready.
    for (const id of ['a', 'b', 'c']) {
      instances.push(await startInstance(url.toString(), bot.url, model, `bench-${id}`));
    }
    let chatSeq = 20_000_000;
    const newChat = () => ++chatSeq;
    // Warm-up: each instance's first turns load lazily built parts.
    for (const i of instances) await run([i.url], [i.child], bot, newChat, 1000);
    const results = new Map<number, Result>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const n of [1, 2, 3]) {
        const used = instances.slice(0, n);
        const r = await run(
          used.map((i) => i.url),
          instances.map((i) => i.child),
          bot,
          newChat,
          ROUND_MS,
        );
        results.set(n, merge(results.get(n), r));
      }
    }
    const one = results.get(1);
    const rate = (r: Result) => r.done / r.seconds;
    printTable(
      'Telegram "halo" through the webhook, several instances on one PostgreSQL',
      [
        'instances',
        'conv/s',
        'vs 1',
        'p50 ms',
        'p99 ms',
        'failed',
        'Suara CPU ms/conv',
        'PostgreSQL CPU ms/conv',
        'load gen CPU ms/conv',
        'CPU ms/conv in all',
      ],
      [1, 2, 3].map((n) => {
        const r = results.get(n) as Result;
        r.latencies.sort((x, y) => x - y);
        const per = (ms: number) => ms / Math.max(1, r.done);
        return [
          n,
          fmt(rate(r), 0),
          one ? fmt(rate(r) / rate(one), 2) : '-',
          fmt(percentile(r.latencies, 50), 1),
          fmt(percentile(r.latencies, 99), 1),
          r.failed,
          fmt(per(r.suaraCpuMs), 2),
          fmt(per(r.postgresCpuMs), 2),
          fmt(per(r.clientCpuMs), 2),
          fmt(per(r.suaraCpuMs + r.postgresCpuMs + r.clientCpuMs), 2),
        ];
      }),
    );
    const cores = availableParallelism();
    const r3 = results.get(3) as Result;
    const cpuPerConv = (r3.suaraCpuMs + r3.postgresCpuMs + r3.clientCpuMs) / Math.max(1, r3.done);
    console.log(
      `\nceiling on this machine: ${cores} cores × 1000 ms / ${fmt(cpuPerConv, 2)} ms of CPU per ` +
        `conversation (Suara + PostgreSQL + load generator) ≈ ${fmt((cores * 1000) / cpuPerConv, 0)} conv/s`,
    );
  } finally {
    for (const i of instances) await i.stop();
    await bot.close();
    rmSync(modelDir, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

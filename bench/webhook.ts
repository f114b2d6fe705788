// `npm run bench -- webhook`: conversations per second through the real service, against a bare
// express app measured in the same run (the machine's speed drifts, so only the ratio compares
// across runs). The loops take turns in 4 rounds of 2 s each, so a drift weighs on all of them
// alike. Everything on 127.0.0.1, about 45 s in all. Servers are pinned to CPU 0 and the load
// generator to the other CPUs (BENCH_PIN=0: not pinned). Besides the rate and latencies, the
// table gives the CPU time per conversation of the server process (hardly affected by what else
// runs) and of the load generator.
// `npm run bench -- webhook halo webchat` runs only the loops named (express, halo, complaint,
// webchat, webchat-message); BENCH_CPU_PROF=<dir> writes the service's CPU profile there; BENCH_NODE_OPTIONS is
// passed to the service as NODE_OPTIONS (e.g. `--require` a script that logs event-loop delay).
//
// - bare express: POST a Telegram-sized JSON body, answer 200 (the baseline), once with fetch (as
//   the other loops call the service) and once with node:http keep-alive, a client several times
//   cheaper: with fetch the baseline's rate is mostly the load generator's limit.
// - Telegram "halo": each virtual citizen is a new chat; POST /telegram/webhook → the reply
//   arriving at a fake Bot API (in this process).
// - Telegram complaint: every intake step until the tracking id arrives (cases/s).
// - Web chat "halo": start a Direct Line conversation, open its WebSocket, post → the bot's reply
//   on the socket.
// - Web chat message: each virtual visitor keeps its conversation and socket open and posts
//   "halo" → the bot's reply on the socket (the per-message path of an open widget).
//
// The service runs in its own process (`node dist/app/suara.js serve`, a fresh SQLite file,
// durable commits), as `npm start` runs it; the load generator and fakes run here.
import { type ChildProcess, execFileSync, type SpawnOptions, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import {
  Agent,
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { saveJson, trainNlu } from '../src/nlu/load';
import { fmt, percentile, printTable } from './table';

const root = join(__dirname, '..');
export const HOST = '127.0.0.1';
export const TOKEN = '123456:bench-token-abcdefghijklmnopqrstuvwxyz';
export const SECRET = 'bench-webhook-secret';
const DL_SECRET = 'bench-directline-secret-0123456789';
export const CONCURRENCY = 32;

/** One closed loop's outcome. */
interface LoopResult {
  label: string;
  unit: string;
  done: number;
  failed: number;
  seconds: number;
  latencies: number[];
  /** CPU time (user + system, ms) the server process and this load generator used. */
  serverCpuMs: number;
  clientCpuMs: number;
}

/**
 * CPU time (user + system, ms) a process used so far, from /proc (Linux; 10 ms resolution).
 * NaN where /proc is not there.
 */
export function cpuMsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (in parentheses, which may hold spaces): utime is the 14th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/**
 * Runs `once` from `CONCURRENCY` virtual users, each starting again when done, for `ms`; `server`
 * is the process under load (its CPU time is measured: unlike the rate, CPU per conversation
 * hardly depends on what else the machine is doing).
 */
async function closedLoop(
  label: string,
  unit: string,
  ms: number,
  server: ChildProcess,
  once: (user: number, round: number) => Promise<number>,
): Promise<LoopResult> {
  return measured(label, unit, server, async (started, done, fail) => {
    const until = started + ms;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, user) => {
        for (let round = 0; performance.now() < until; round++) {
          try {
            done(await once(user, round));
          } catch {
            fail();
          }
        }
      }),
    );
  });
}

/**
 * Runs `body` and gathers what a loop reports: the latencies it records (`done`), the failures
 * (`fail`), its duration, and the CPU time the server and this load generator used meanwhile.
 */
async function measured(
  label: string,
  unit: string,
  server: ChildProcess,
  body: (started: number, done: (ms: number) => void, fail: () => void) => Promise<void>,
): Promise<LoopResult> {
  const latencies: number[] = [];
  let failed = 0;
  const serverCpu = cpuMsOf(server.pid);
  const clientCpu = process.cpuUsage();
  const started = performance.now();
  await body(
    started,
    (ms) => latencies.push(ms),
    () => failed++,
  );
  const seconds = (performance.now() - started) / 1000;
  const client = process.cpuUsage(clientCpu);
  latencies.sort((x, y) => x - y);
  return {
    label,
    unit,
    done: latencies.length,
    failed,
    seconds,
    latencies,
    serverCpuMs: cpuMsOf(server.pid) - serverCpu,
    clientCpuMs: (client.user + client.system) / 1000,
  };
}

/**
 * An open loop: starts `once` at a fixed rate, whatever is still in flight, for `ms`. Unlike the
 * closed loop (which runs the server at saturation, where latency is queueing), this shows the
 * latency a citizen gets while the service carries a given load. Latency counts from when a
 * conversation was due to start, so a late start (a busy load generator) is not hidden.
 */
async function openLoop(
  label: string,
  unit: string,
  perSecond: number,
  ms: number,
  server: ChildProcess,
  once: (user: number, round: number) => Promise<number>,
): Promise<LoopResult> {
  return measured(label, unit, server, async (started, done, fail) => {
    const inFlight = new Set<Promise<void>>();
    const interval = 1000 / perSecond;
    let count = 0;
    for (;;) {
      const now = performance.now();
      if (now - started >= ms) break;
      // Everything due by now starts now (at most MAX_IN_FLIGHT at once; the rest fail).
      while (started + count * interval <= now) {
        const due = started + count * interval;
        count++;
        if (inFlight.size >= MAX_IN_FLIGHT) {
          fail();
          continue;
        }
        const run: Promise<void> = once(count, 0).then(
          () => done(performance.now() - due),
          () => fail(),
        );
        inFlight.add(run);
        void run.finally(() => inFlight.delete(run));
      }
      await new Promise((r) => setTimeout(r, Math.max(0, started + count * interval - now)));
    }
    await Promise.all(inFlight);
  });
}

/** Conversations an open loop lets run at once before it counts new ones as failed. */
const MAX_IN_FLIGHT = 1000;

/**
 * Servers run on CPU 0 and this load generator (with its fakes) on the others, so the two never
 * compete for a core and the rate measures the server (Linux with `taskset` and 2 CPUs or more;
 * BENCH_PIN=0 turns it off).
 */
const PIN = process.env.BENCH_PIN !== '0' && availableParallelism() >= 2 && hasTaskset();

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function spawnServer(args: string[], options: SpawnOptions): ChildProcess {
  return PIN
    ? spawn('taskset', ['-c', '0', process.execPath, ...args], options)
    : spawn(process.execPath, args, options);
}

function pinLoadGenerator(): void {
  if (!PIN) return;
  const cpus = availableParallelism();
  execFileSync('taskset', ['-a', '-cp', `1-${cpus - 1}`, String(process.pid)], { stdio: 'ignore' });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, HOST, () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited (${child.exitCode})`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${url} did not answer within 15 s`);
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** The baseline: express parsing the JSON body and answering 200, in its own process. */
async function startBareExpress() {
  const port = await freePort();
  const script = `const express = require('express'); const app = express();
    app.use(express.json()); app.get('/healthz', (q, r) => r.json({ ok: true }));
    app.post('/telegram/webhook', (q, r) => r.json({ ok: true, id: q.body.update_id }));
    app.listen(${port}, '${HOST}');`;
  const child = spawnServer(['-e', script], { cwd: root, stdio: 'ignore' });
  const url = `http://${HOST}:${port}`;
  try {
    await waitHealthy(`${url}/healthz`, child);
  } catch (err) {
    await stop(child);
    throw err;
  }
  return { url, child, stop: () => stop(child) };
}

/** One request of the baseline loop. */
async function bareRequest(url: string, body: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(`${url}/telegram/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(String(res.status));
  return performance.now() - t;
}

/** Keep-alive connections of the node:http baseline client (one per virtual user at most). */
const httpAgent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });

/**
 * One request of the baseline loop through node:http with keep-alive, a client several times
 * cheaper than fetch: the rate it reaches is what express itself can do on its core, where the
 * fetch loop mostly measures the load generator.
 */
function bareRequestHttp(url: string, body: string): Promise<number> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/telegram/webhook`,
      {
        method: 'POST',
        agent: httpAgent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('error', reject);
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(performance.now() - t)
            : reject(new Error(String(res.statusCode))),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A sendMessage the fake Bot API received. */
export interface Sent {
  text: string;
  buttons: string[];
  keyboard: boolean;
}

/** A minimal Bot API: records sendMessage per chat and wakes whoever waits for it. */
export class FakeBotApi {
  private readonly server: Server;
  private readonly chats = new Map<string, Sent[]>();
  private readonly waiters = new Map<string, () => void>();
  private messageId = 0;
  url = '';

  constructor() {
    this.server = createServer((req, res) => this.answer(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, HOST, r));
    this.url = `http://${HOST}:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  sent(chat: string): Sent[] {
    return this.chats.get(chat) ?? [];
  }

  /** Resolves when chat's messages after `from` include one that `done` accepts. */
  async waitFor(chat: string, from: number, done: (m: Sent) => boolean, ms = 10_000) {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.sent(chat).slice(from).find(done);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`chat ${chat}: no answer in ${ms} ms`);
      await new Promise<void>((resolve) => {
        this.waiters.set(chat, resolve);
        setTimeout(resolve, 200).unref();
      });
    }
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = (req.url ?? '').split('/').at(-1) ?? '';
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        // form-encoded or empty: not needed here
      }
      let result: unknown = true;
      if (method === 'sendMessage') {
        const chat = String(body.chat_id);
        const markup = (body.reply_markup ?? {}) as {
          inline_keyboard?: { callback_data?: string }[][];
          keyboard?: unknown[];
        };
        const sent: Sent = {
          text: String(body.text ?? ''),
          buttons: (markup.inline_keyboard ?? []).flat().map((b) => b.callback_data ?? ''),
          keyboard: Array.isArray(markup.keyboard),
        };
        const list = this.chats.get(chat) ?? [];
        list.push(sent);
        this.chats.set(chat, list);
        result = {
          message_id: ++this.messageId,
          date: 0,
          chat: { id: Number(chat) },
          text: sent.text,
        };
        this.waiters.get(chat)?.();
        this.waiters.delete(chat);
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, result }));
    });
  }
}

/** A running `suara serve` with Telegram (webhook) and web chat on, on a fresh SQLite file. */
async function startSuara(botApi: string, model: string) {
  const dir = mkdtempSync(join(tmpdir(), 'suara-bench-webhook-'));
  symlinkSync(join(root, 'intents'), join(dir, 'intents'));
  const port = await freePort();
  // BENCH_CPU_PROF=<dir>: the service writes a CPU profile there when it stops.
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const child = spawnServer([...profile, join(root, 'dist/app/suara.js'), 'serve'], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? '',
      DATABASE_URL: `sqlite:${join(dir, 'data', 'suara.db')}`,
      SUARA_NLU_MODEL: model,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: botApi,
      DIRECTLINE_SECRET: DL_SECRET,
      // The bench is one client address playing thousands of citizens.
      WEBCHAT_MESSAGES_PER_IP_PER_MIN: '1000000',
      // A bench visitor writes far faster than a person in its open conversation.
      WEBCHAT_MESSAGES_PER_CONVERSATION_PER_MIN: '1000000',
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

let updateId = 0;
let chatSeq = 0;

export function message(chat: number, text: string) {
  return {
    update_id: ++updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chat, type: 'private', first_name: 'Warga' },
      from: { id: chat, is_bot: false, first_name: 'Warga', language_code: 'id' },
      text,
    },
  };
}

export async function postUpdate(url: string, update: unknown): Promise<void> {
  const res = await fetch(`${url}/telegram/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify(update),
  });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`webhook answered ${res.status}`);
}

/** Says `text` in a chat and waits for the bot's message that `done` accepts. */
async function say(
  url: string,
  bot: FakeBotApi,
  chat: number,
  text: string,
  done: (m: Sent) => boolean,
) {
  const from = bot.sent(String(chat)).length;
  await postUpdate(url, message(chat, text));
  return bot.waitFor(String(chat), from, done);
}

const button = (data: string) => (m: Sent) => m.buttons.includes(data);

/** A whole complaint in Indonesian, by text only, until the tracking id. */
const COMPLAINT: [string, (m: Sent) => boolean][] = [
  ['jalan depan rumah saya berlubang besar sudah 2 bulan', button('yes')],
  ['ya', (m) => m.keyboard],
  ['Jl. Melati No. 5, RT 02/RW 03, Kel. Sukamaju', button('skip')],
  ['lewati', button('identity:anonymous')],
  ['anonim', button('skip')],
  ['lewati', button('confirm')],
  ['kirim', (m) => /ADU-[0-9A-Z]{6}/.test(m.text)],
];

/** Direct Line: start a conversation, open its socket, post "halo", wait for the bot's reply. */
async function webchatHalo(url: string): Promise<number> {
  const start = await fetch(`${url}/v3/directline/conversations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${DL_SECRET}` },
  });
  if (!start.ok) throw new Error(`start answered ${start.status}`);
  const c = (await start.json()) as { conversationId: string; token: string; streamUrl: string };
  const ws = new WebSocket(c.streamUrl);
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const t = performance.now();
    const replied = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no reply in 10 s')), 10_000);
      ws.on('message', (data: Buffer) => {
        const text = data.toString('utf8');
        if (!text) return;
        const set = JSON.parse(text) as {
          activities?: { type: string; from?: { role?: string } }[];
        };
        if (set.activities?.some((a) => a.type === 'message' && a.from?.role === 'bot')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const post = await fetch(`${url}/v3/directline/conversations/${c.conversationId}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', from: { id: 'dl_bench' }, text: 'halo' }),
    });
    await post.arrayBuffer();
    if (!post.ok) throw new Error(`post answered ${post.status}`);
    await replied;
    return performance.now() - t;
  } finally {
    ws.terminate();
  }
}

/**
 * A web chat visitor with an open conversation (started and its socket opened on the first
 * message): each round posts "halo" and waits for the bot's reply on the socket, as a visitor
 * writing in an open widget does.
 */
class WebChatVisitor {
  private conversation: Promise<{ id: string; token: string; ws: WebSocket }> | undefined;
  private waiting: { resolve: () => void; reject: (err: Error) => void } | undefined;

  constructor(private readonly url: string) {}

  private async open() {
    const start = await fetch(`${this.url}/v3/directline/conversations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DL_SECRET}` },
    });
    if (!start.ok) throw new Error(`start answered ${start.status}`);
    const c = (await start.json()) as { conversationId: string; token: string; streamUrl: string };
    const ws = new WebSocket(c.streamUrl);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      if (!text) return;
      const set = JSON.parse(text) as { activities?: { type: string; from?: { role?: string } }[] };
      if (set.activities?.some((a) => a.type === 'message' && a.from?.role === 'bot')) {
        this.waiting?.resolve();
        this.waiting = undefined;
      }
    });
    ws.once('close', () => {
      this.waiting?.reject(new Error('socket closed'));
      this.conversation = undefined;
    });
    return { id: c.conversationId, token: c.token, ws };
  }

  /** Posts "halo" and resolves with the ms until the bot's reply arrived on the socket. */
  async say(): Promise<number> {
    this.conversation ??= this.open();
    const c = await this.conversation;
    const t = performance.now();
    const replied = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no reply in 10 s')), 10_000);
      this.waiting = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
    });
    const post = await fetch(`${this.url}/v3/directline/conversations/${c.id}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', from: { id: 'dl_bench' }, text: 'halo' }),
    });
    await post.arrayBuffer();
    if (!post.ok) throw new Error(`post answered ${post.status}`);
    await replied;
    return performance.now() - t;
  }

  close(): void {
    void this.conversation?.then((c) => c.ws.terminate()).catch(() => undefined);
  }
}

/** A loop of the bench: its name (for `only`), label, unit and one round of a virtual user. */
interface Loop {
  name: string;
  label: string;
  unit: string;
  server: ChildProcess;
  once: (user: number) => Promise<number>;
}

/** Adds a slice's outcome to the loop's total so far. */
function merge(total: LoopResult | undefined, slice: LoopResult): LoopResult {
  if (!total) return slice;
  return {
    ...total,
    done: total.done + slice.done,
    failed: total.failed + slice.failed,
    seconds: total.seconds + slice.seconds,
    latencies: [...total.latencies, ...slice.latencies].sort((a, b) => a - b),
    serverCpuMs: total.serverCpuMs + slice.serverCpuMs,
    clientCpuMs: total.clientCpuMs + slice.clientCpuMs,
  };
}

function row(r: LoopResult, baseline: number, httpBaseline: number): (string | number)[] {
  const perSecond = r.done / r.seconds;
  return [
    r.label,
    `${perSecond.toFixed(0)} ${r.unit}/s`,
    fmt(percentile(r.latencies, 50), 1),
    fmt(percentile(r.latencies, 99), 1),
    r.failed,
    fmt(perSecond / baseline, 2),
    fmt(perSecond / httpBaseline, 2),
    fmt(r.serverCpuMs / Math.max(1, r.done), 2),
    fmt(r.clientCpuMs / Math.max(1, r.done), 2),
  ];
}

/** How long the open loop at a steady load runs. */
const STEADY_MS = 4000;

/** Rounds each loop's time is cut into; the loops take turns, round after round. */
const ROUNDS = 4;

/**
 * Runs the loops (`only`: a subset by name — `express`, `halo`, `complaint`, `webchat`,
 * `webchat-message`) and
 * prints the table. The loops take turns in {@link ROUNDS} rounds (express, halo, complaint, web
 * chat, express, …), so a drift of the machine's speed during the run weighs on all of them
 * alike, and the baseline is measured across the same minute as the service.
 */
export async function benchWebhook(seconds = 8, only?: string[]): Promise<void> {
  const wanted = (name: string) => !only || only.length === 0 || only.includes(name);
  const modelDir = mkdtempSync(join(tmpdir(), 'suara-bench-model-'));
  const model = join(modelDir, 'nlu-model.json');
  saveJson(model, trainNlu(join(root, 'intents')).toJSON());
  pinLoadGenerator();
  const bot = await new FakeBotApi().start();
  const bare = await startBareExpress();
  const body = JSON.stringify(message(1, 'halo'));
  let suara: Awaited<ReturnType<typeof startSuara>> | undefined;
  const visitors: WebChatVisitor[] = [];
  try {
    suara = await startSuara(bot.url, model);
    const url = suara.url;
    // Warm-up: the first turns load lazily built parts.
    for (let i = 0; i < 20; i++) await say(url, bot, 9_000_000 + i, 'halo', () => true);
    const newChat = () => 10_000_000 + ++chatSeq;
    const loops: Loop[] = [
      {
        name: 'express',
        label: 'bare express (JSON in, 200 out)',
        unit: 'req',
        server: bare.child,
        once: () => bareRequest(bare.url, body),
      },
      {
        name: 'express-http',
        label: 'bare express, node:http keep-alive client',
        unit: 'req',
        server: bare.child,
        once: () => bareRequestHttp(bare.url, body),
      },
      {
        name: 'halo',
        label: `Telegram "halo", ${CONCURRENCY} new chats at once`,
        unit: 'conv',
        server: suara.child,
        once: async () => {
          const t = performance.now();
          await say(url, bot, newChat(), 'halo', () => true);
          return performance.now() - t;
        },
      },
      {
        name: 'complaint',
        label: 'Telegram complaint, every intake step',
        unit: 'case',
        server: suara.child,
        once: async () => {
          const chat = newChat();
          const t = performance.now();
          for (const [text, done] of COMPLAINT) await say(url, bot, chat, text, done);
          return performance.now() - t;
        },
      },
      {
        name: 'webchat',
        label: 'web chat "halo" (start, socket, post → reply)',
        unit: 'conv',
        server: suara.child,
        once: () => webchatHalo(url),
      },
      {
        name: 'webchat-message',
        label: 'web chat "halo" in an open conversation (post → reply)',
        unit: 'msg',
        server: suara.child,
        once: (user: number) => {
          const visitor = visitors[user] ?? new WebChatVisitor(url);
          visitors[user] = visitor;
          return visitor.say();
        },
      },
    ].filter((l) => l.name.startsWith('express') || wanted(l.name));
    const totals = new Map<string, LoopResult>();
    const slice = (seconds * 1000) / ROUNDS;
    for (let round = 0; round < ROUNDS; round++) {
      for (const loop of loops) {
        const result = await closedLoop(loop.label, loop.unit, slice, loop.server, loop.once);
        totals.set(loop.name, merge(totals.get(loop.name), result));
      }
    }
    const results = loops.map((l) => totals.get(l.name) as LoopResult);
    const baseline = totals.get('express');
    const base = baseline ? baseline.done / baseline.seconds : 1;
    const httpBaseline = totals.get('express-http');
    const httpBase = httpBaseline ? httpBaseline.done / httpBaseline.seconds : 1;
    printTable(
      `Conversations through the service, ${CONCURRENCY} concurrent, ${seconds} s each in ${ROUNDS} turns (ratio = per second / bare express with the fetch client, as the load generator calls the service; ratio (http) = per second / bare express with a node:http keep-alive client, which the fetch client, not express, held back; CPU ms = CPU time per conversation of the server process and of this load generator with its fakes)`,
      [
        'loop',
        'rate',
        'p50 ms',
        'p99 ms',
        'failed',
        'ratio',
        'ratio (http)',
        'server CPU ms',
        'client CPU ms',
      ],
      results.map((r) => row(r, base, httpBase)),
    );
    // The same "halo" at half the rate the closed loop reached: the latency at a steady load.
    const halo = loops.find((l) => l.name === 'halo');
    const saturated = totals.get('halo');
    if (halo && saturated) {
      const offered = Math.max(1, Math.round(saturated.done / saturated.seconds / 2));
      const steady = await openLoop(
        'Telegram "halo", each a new chat',
        halo.unit,
        offered,
        STEADY_MS,
        halo.server,
        halo.once,
      );
      printTable(
        `Latency at a steady load: new conversations started at a fixed rate, half what the closed loop reached (open loop, ${STEADY_MS / 1000} s; latency counted from when each was due)`,
        ['loop', 'offered', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'failed', 'server CPU ms'],
        [
          [
            steady.label,
            `${offered} ${steady.unit}/s`,
            fmt(percentile(steady.latencies, 50), 1),
            fmt(percentile(steady.latencies, 90), 1),
            fmt(percentile(steady.latencies, 99), 1),
            fmt(percentile(steady.latencies, 100), 1),
            steady.failed,
            fmt(steady.serverCpuMs / Math.max(1, steady.done), 2),
          ],
        ],
      );
    }
  } finally {
    for (const v of visitors) v.close();
    await suara?.stop();
    await bare.stop();
    httpAgent.destroy();
    await bot.close();
    rmSync(modelDir, { recursive: true, force: true });
  }
}

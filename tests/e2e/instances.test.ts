import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import WebSocket from 'ws';
import { FakeSlack } from '../adapters/slack/fake-slack';
import { blockAction, sign } from '../adapters/slack/harness';
import { FakeBotApi } from '../adapters/telegram/fake-bot-api';
import { COMPLAINT_STEPS, SECRET } from '../adapters/telegram/harness';
import { callbackUpdate, textUpdate } from '../adapters/telegram/updates';
import { describeIfPostgres, freshSchema, POSTGRES_URL } from '../support/postgres';
import { DIRECT_LINE_SECRET } from './instance-server';

/** One `startService` child on the shared schema; resolves once it listens. */
function startInstance(
  schema: string,
  apiRoot: string,
  id: string,
  speed: 'fast' | 'normal' = 'normal',
  slackUrl?: string,
): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('tsx/cjs'),
        join(__dirname, 'instance-server.ts'),
        POSTGRES_URL,
        schema,
        apiRoot,
        id,
        speed,
        ...(slackUrl ? [slackUrl] : []),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DOTENV_CONFIG_QUIET: 'true' } },
    );
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`instance ${id} did not start; stderr: ${err}`));
    }, 60_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const url = /http:\/\/\S+/.exec(out)?.[0];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url: url.replace('localhost', '127.0.0.1') });
      }
    });
    child.stderr?.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!/http:\/\//.test(out))
        reject(new Error(`instance ${id} exited (${code}); stderr: ${err}`));
    });
  });
}

/**
 * A load balancer in miniature: each HTTP request goes to the next instance in turn; one that
 * cannot be reached is skipped (as nginx's `proxy_next_upstream error` does).
 */
async function roundRobin(targets: string[]): Promise<{ url: string; server: Server }> {
  let next = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const attempt = (left: number) => {
        const target = new URL(req.url ?? '/', targets[next++ % targets.length]);
        const forward = request(target, { method: req.method, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        forward.on('error', () => {
          if (res.headersSent) res.destroy();
          else if (left > 1) attempt(left - 1);
          else {
            res.writeHead(502);
            res.end();
          }
        });
        forward.end(body);
      };
      attempt(targets.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const TRACKING = /ADU-[0-9A-Z]{6}/;

/** Whether a child is still running (one killed by a signal has no exit code, but a signal). */
function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Resolves once the child has exited. */
function exited(child: ChildProcess): Promise<void> {
  return running(child) ? new Promise((r) => child.once('exit', () => r())) : Promise.resolve();
}

describeIfPostgres('several instances on one PostgreSQL database', () => {
  test('Telegram complaints spread over three instances, a Slack staff action on the third, web chat across instances: ids unique, each notification once, replies in order', async () => {
    const schema = freshSchema();
    const fake = await new FakeBotApi().start();
    const slack = await new FakeSlack().start();
    // Three instances starting together: they migrate once (advisory lock).
    const instances = await Promise.all(
      ['a', 'b', 'c'].map((id) =>
        startInstance(schema, fake.url, `instance-${id}`, 'normal', slack.url),
      ),
    );
    const balancer = await roundRobin(instances.map((i) => i.url));
    try {
      const post = async (chat: number, text: string) => {
        const res = await fetch(`${balancer.url}/telegram/webhook`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-telegram-bot-api-secret-token': SECRET,
          },
          body: JSON.stringify(textUpdate(chat, text)),
        });
        expect(res.status).toBe(200);
      };
      // 50 citizens at once, each filing a complaint step by step; their updates go round robin.
      const chats = Array.from({ length: 50 }, (_, i) => 70_000 + i);
      await Promise.all(
        chats.map(async (chat) => {
          for (const [text, answered] of COMPLAINT_STEPS) {
            const before = fake.sent(chat).length;
            await post(chat, text);
            await fake.waitFor(() => fake.sent(chat).slice(before).some(answered), 20_000);
          }
        }),
      );
      // Each chat got one tracking id, and no two chats the same one.
      const ids = chats.map((chat) => {
        const found = fake.sent(chat).flatMap((m) => TRACKING.exec(m.text) ?? []);
        expect(found).toHaveLength(1);
        return found[0];
      });
      expect(new Set(ids).size).toBe(chats.length);
      // Every chat saw the same replies in the same order: none lost, none twice.
      await new Promise((r) => setTimeout(r, 500)); // a late duplicate would show by now
      const shape = (chat: number) =>
        fake.sent(chat).map((m) => m.text.replace(/ADU-[0-9A-Z]{6}/g, 'ADU-*'));
      const expected = shape(chats[0] as number);
      expect(expected.length).toBeGreaterThanOrEqual(COMPLAINT_STEPS.length);
      for (const chat of chats) expect(shape(chat)).toEqual(expected);
      const db = new pg.Client({ connectionString: POSTGRES_URL });
      await db.connect();
      try {
        await db.query(`SET search_path = ${schema}`);
        const cases = await db.query('SELECT count(*)::int AS n FROM cases');
        expect(cases.rows[0].n).toBe(chats.length);
        const open = await db.query(
          "SELECT count(*)::int AS n FROM outbox WHERE status IN ('pending', 'sending')",
        );
        expect(open.rows[0].n).toBe(0);
      } finally {
        await db.end();
      }

      // Each new case reached its agency's Slack desk once, whichever instance's outbox sent it.
      const caseMessage = (id: string) =>
        slack
          .of('chat.postMessage')
          .filter((c) => c.args.thread_ts === undefined && JSON.stringify(c.args).includes(id));
      for (let i = 0; i < 100 && !ids.every((id) => caseMessage(id as string).length > 0); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      for (const id of ids) expect(caseMessage(id as string)).toHaveLength(1);

      // A staff Slack action on the third instance: the case starts, the citizen is told once on
      // Telegram (by whichever instance's outbox), and the case message is updated.
      const [firstChat, firstId] = [chats[0] as number, ids[0] as string];
      const desk = String(caseMessage(firstId)[0]?.args.channel);
      const before = fake.sent(firstChat).length;
      const body = `payload=${encodeURIComponent(
        JSON.stringify(blockAction({ channel: desk, trackingId: firstId, actionId: 'suara:ack' })),
      )}`;
      const ts = Math.floor(Date.now() / 1000);
      const acked = await fetch(`${(instances[2] as { url: string }).url}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': String(ts),
          'x-slack-signature': sign(body, ts),
        },
        body,
      });
      expect(acked.status).toBe(200);
      await fake.waitFor(() => fake.sent(firstChat).length > before, 20_000);
      await new Promise((r) => setTimeout(r, 500)); // a second copy would show by now
      const told = fake.sent(firstChat).slice(before);
      expect(told).toHaveLength(1);
      expect(told[0]?.text).toContain(firstId);
      const check = new pg.Client({ connectionString: POSTGRES_URL });
      await check.connect();
      try {
        await check.query(`SET search_path = ${schema}`);
        const row = await check.query('SELECT status FROM cases WHERE tracking_id = $1', [firstId]);
        expect(row.rows[0].status).toBe('in_progress');
      } finally {
        await check.end();
      }
      expect(slack.of('chat.update').some((c) => JSON.stringify(c.args).includes(firstId))).toBe(
        true,
      );

      // Web chat: the visitor's socket is on instance a, their posts go through b; the bot's
      // answers (written by b) reach the socket on a.
      const [a, b] = instances as unknown as [{ url: string }, { url: string }];
      const started = await fetch(`${a.url}/v3/directline/conversations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${DIRECT_LINE_SECRET}` },
      });
      const conversation = (await started.json()) as {
        conversationId: string;
        token: string;
        streamUrl: string;
      };
      const ws = new WebSocket(conversation.streamUrl.replace('localhost', '127.0.0.1'));
      const got: { text?: string; from?: { role?: string } }[] = [];
      ws.on('message', (data: Buffer) => {
        const text = data.toString('utf8');
        if (text) got.push(...((JSON.parse(text) as { activities?: [] }).activities ?? []));
      });
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      try {
        const posted = await fetch(
          `${b.url}/v3/directline/conversations/${conversation.conversationId}/activities`,
          {
            method: 'POST',
            headers: {
              authorization: `Bearer ${conversation.token}`,
              'content-type': 'application/json',
            },
            body: JSON.stringify({ type: 'message', from: { id: 'dl_x' }, text: 'halo' }),
          },
        );
        expect(posted.status).toBe(200);
        for (let i = 0; i < 100 && !got.some((m) => m.from?.role === 'bot'); i++) {
          await new Promise((r) => setTimeout(r, 20));
        }
        expect(got.some((m) => m.from?.role === 'user' && m.text === 'halo')).toBe(true);
        expect(got.some((m) => m.from?.role === 'bot')).toBe(true);
      } finally {
        ws.terminate();
      }
    } finally {
      balancer.server.close();
      for (const i of instances) if (running(i.child)) i.child.kill('SIGTERM');
      await Promise.all(instances.map((i) => exited(i.child)));
      await fake.close();
      await slack.stop();
    }
  }, 120_000);

  test('SIGKILL one of three instances during a burst: the others go on, nothing answered 200 is lost or handled twice', async () => {
    const schema = freshSchema();
    const fake = await new FakeBotApi().start();
    const instances = await Promise.all(
      ['a', 'b', 'c'].map((id) => startInstance(schema, fake.url, `instance-${id}`, 'fast')),
    );
    const balancer = await roundRobin(instances.map((i) => i.url));
    const victim = instances[1] as { child: ChildProcess };
    const db = new pg.Client({ connectionString: POSTGRES_URL });
    await db.connect();
    await db.query(`SET search_path = ${schema}`);
    try {
      const chats = Array.from({ length: 300 }, (_, i) => 80_000 + i);
      // Every third citizen presses a button: such an update is kept and handled in the
      // background, and a slow answerCallbackQuery keeps it unfinished a while.
      fake.slow('answerCallbackQuery', 400);
      const presses = (chat: number) => chat % 3 === 0;
      const accepted = new Set<number>();
      let inFlightAtKill = -1;
      let keptAtKill = 0;
      let next = 0;
      // 16 webhook calls at a time through the balancer; Telegram sends an update again until
      // it is answered 200. Instance b is killed once 100 were accepted and it holds unfinished
      // updates.
      const worker = async () => {
        while (next < chats.length) {
          const chat = chats[next++] as number;
          const update = presses(chat)
            ? callbackUpdate(chat, 'menu:report')
            : textUpdate(chat, 'halo');
          for (let attempt = 0; attempt < 10 && !accepted.has(chat); attempt++) {
            const res = await fetch(`${balancer.url}/telegram/webhook`, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                'x-telegram-bot-api-secret-token': SECRET,
              },
              body: JSON.stringify(update),
            }).catch(() => null);
            await res?.arrayBuffer().catch(() => null);
            if (res?.status === 200) accepted.add(chat);
          }
          if (inFlightAtKill < 0 && accepted.size >= 100) {
            const held = await db.query(
              "SELECT count(*)::int AS n FROM inbound WHERE work IS NOT NULL AND owner = 'instance-b'",
            );
            if (held.rows[0].n > 0 && inFlightAtKill < 0) {
              inFlightAtKill = 0;
              victim.child.kill('SIGKILL');
              keptAtKill = held.rows[0].n;
              const sending = await db.query(
                "SELECT count(*)::int AS n FROM outbox WHERE status = 'sending'",
              );
              inFlightAtKill = sending.rows[0].n;
            }
          }
        }
      };
      await Promise.all(Array.from({ length: 16 }, worker));
      // b was killed while it held updates it had answered 200 for.
      expect(inFlightAtKill).toBeGreaterThanOrEqual(0);
      expect(keptAtKill).toBeGreaterThan(0);
      expect(accepted.size).toBe(chats.length);
      // Every chat is answered: what b held (its leased sends, its accepted updates) is taken
      // over by a and c once the leases run out.
      const answers = (chat: number) => fake.sent(chat).length;
      await fake.waitFor(() => chats.every((chat) => answers(chat) >= 1), 60_000);
      for (let i = 0; i < 200; i++) {
        const open = await db.query(
          "SELECT count(*)::int AS n FROM outbox WHERE status IN ('pending', 'sending')",
        );
        const kept = await db.query(
          'SELECT count(*)::int AS n FROM inbound WHERE work IS NOT NULL',
        );
        if (open.rows[0].n === 0 && kept.rows[0].n === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const kept = await db.query('SELECT count(*)::int AS n FROM inbound WHERE work IS NOT NULL');
      expect(kept.rows[0].n).toBe(0);
      // Handled once: each chat's one update has its answer once, or twice where a send was in
      // flight when b died (the instance that took it over cannot know whether it reached
      // Telegram).
      const copies = (chat: number) => {
        const count = new Map<string, number>();
        for (const m of fake.sent(chat)) count.set(m.text, (count.get(m.text) ?? 0) + 1);
        return Math.max(...count.values());
      };
      const twice = chats.filter((chat) => copies(chat) > 1);
      expect(twice.length).toBeLessThanOrEqual(inFlightAtKill);
      expect(chats.every((chat) => copies(chat) <= 2)).toBe(true);
    } finally {
      await db.end();
      balancer.server.close();
      for (const i of instances) if (running(i.child)) i.child.kill('SIGTERM');
      await Promise.all(instances.map((i) => exited(i.child)));
      await fake.close();
    }
  }, 150_000);
});

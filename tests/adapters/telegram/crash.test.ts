import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { telegramChannel } from '../../../adapters/telegram';
import { UPDATE_CHANNEL } from '../../../adapters/telegram/processor';
import { silentLogger } from '../../../src/logger';
import { startService } from '../../../src/service';
import { SqliteBackend } from '../../../src/store/sqlite/backend';
import { testConfig } from '../../support/config';
import { testNlu } from '../../support/nlu';
import { FakeBotApi } from './fake-bot-api';
import { COMPLAINT_STEPS, hasButton, SECRET, TOKEN } from './harness';
import { textUpdate } from './updates';

/** Starts crash-server.ts on `path`; resolves with the child and its URL. */
function startChild(path: string, apiRoot: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--require', require.resolve('tsx/cjs'), join(__dirname, 'crash-server.ts'), path, apiRoot],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DOTENV_CONFIG_QUIET: 'true' } },
    );
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`service did not start; stderr: ${err}`));
    }, 60_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const url = /http:\/\/\S+/.exec(out)?.[0];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url });
      }
    });
    child.stderr?.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!/http:\/\//.test(out)) reject(new Error(`service exited (${code}); stderr: ${err}`));
    });
  });
}

/** The service started again in this process on the database the killed one left. */
function restart(path: string, apiRoot: string) {
  const config = testConfig({
    database: { kind: 'sqlite', path },
    telegram: { token: TOKEN, mode: 'webhook', webhookSecret: SECRET, webhookUrl: null, apiRoot },
  });
  return startService(config, {
    logger: silentLogger,
    host: '127.0.0.1',
    nlu: testNlu(),
    channels: [telegramChannel],
    // A send given up after its time limit may still arrive and is then sent again (at least
    // once): with 800 chats of backlog on a slow machine 1 s was too short, and a third copy
    // showed up that had nothing to do with the crash this test is about.
    outbox: { sendTimeoutMs: 10_000, abortGraceMs: 200, leaseMarginMs: 300, pollIntervalMs: 100 },
  });
}

describe('Telegram: SIGKILL during a burst', () => {
  test('no accepted update is lost, and a reply is repeated only where a send was in flight', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'suara-tg-crash-'));
    const path = join(dir, 'suara.db');
    const fake = await new FakeBotApi().start();
    try {
      const { child, url } = await startChild(path, fake.url);
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      const chats = Array.from({ length: 800 }, (_, i) => 30_000 + i);
      const accepted = new Set<number>();
      let next = 0;
      let killed = false;
      // 16 webhook calls at a time; the process is killed once 300 were accepted.
      const worker = async () => {
        while (next < chats.length && !killed) {
          const chat = chats[next++] as number;
          try {
            const res = await fetch(`${url}/telegram/webhook`, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                'x-telegram-bot-api-secret-token': SECRET,
              },
              body: JSON.stringify(textUpdate(chat, 'halo')),
            });
            if (res.status === 200) accepted.add(chat);
          } catch {
            // the process died while answering: Telegram would deliver it again
          }
          if (!killed && accepted.size >= 300) {
            killed = true;
            child.kill('SIGKILL');
          }
        }
      };
      await Promise.all(Array.from({ length: 16 }, worker));
      await exited;
      expect(killed).toBe(true);

      // What the dead process left: replies being sent (their outcome unknown) and updates
      // accepted but not finished.
      const db = new Database(path, { readonly: true });
      const inFlight = (
        db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'sending'").get() as {
          n: number;
        }
      ).n;
      db.close();

      const service = await restart(path, fake.url);
      const menus = (chat: number) => fake.sent(chat).filter(hasButton('menu:report')).length;
      try {
        await fake.waitFor(() => [...accepted].every((chat) => menus(chat) >= 1), 60_000);
        // Updates recorded just before the kill whose 200 never arrived are handled too: wait
        // until their replies are out as well (bounded).
        for (let i = 0; i < 600; i++) {
          const open = await service.backend.outbox.count();
          if (open.pending + open.sending === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      } finally {
        await service.stop();
      }
      const backend = SqliteBackend.open({ path });
      try {
        expect(
          await backend.ledger.claimUnfinished(UPDATE_CHANNEL, {
            owner: 'test-instance',
            leaseMs: 300_000,
            now: new Date(),
            limit: 10,
          }),
        ).toEqual([]);
        expect((await backend.outbox.count()).pending).toBe(0);
      } finally {
        await backend.close();
      }
      // Every accepted update was answered; twice at most where a send was in flight at the kill.
      const twice = [...accepted].filter((chat) => menus(chat) > 1);
      expect(twice.length).toBeLessThanOrEqual(inFlight);
      expect([...accepted].every((chat) => menus(chat) <= 2)).toBe(true);
    } finally {
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);

  test('SIGKILL during concurrent complaints: every tracking id a citizen got is a case that /status finds, every accepted update handled once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'suara-tg-crash-cases-'));
    const path = join(dir, 'suara.db');
    const fake = await new FakeBotApi().start();
    try {
      const { child, url } = await startChild(path, fake.url);
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      const accepted = new Map<number, number>(); // update id → chat
      let killed = false;
      const trackingIds = () => [
        ...new Set(fake.calls.flatMap((c) => TRACKING.exec(String(c.body.text ?? '')) ?? [])),
      ];
      const post = async (chat: number, text: string) => {
        const update = textUpdate(chat, text);
        const res = await fetch(`${url}/telegram/webhook`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-telegram-bot-api-secret-token': SECRET,
          },
          body: JSON.stringify(update),
        });
        if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
        accepted.set(update.update_id, chat);
      };
      // 24 citizens at once, each filing complaints step by step (waiting for each answer),
      // until the process is killed once 12 tracking ids reached citizens.
      const citizen = async (n: number) => {
        for (let round = 0; !killed && round < 20; round++) {
          const chat = 60_000 + n * 100 + round;
          try {
            for (const [text, answered] of COMPLAINT_STEPS) {
              const before = fake.sent(chat).length;
              await post(chat, text);
              await fake.waitFor(() => fake.sent(chat).slice(before).some(answered), 10_000);
            }
          } catch {
            return; // the process died: this citizen stops
          }
          if (!killed && trackingIds().length >= 12) {
            killed = true;
            child.kill('SIGKILL');
          }
        }
      };
      await Promise.all(Array.from({ length: 24 }, (_, n) => citizen(n)));
      await exited;
      expect(killed).toBe(true);
      const told = trackingIds();
      expect(told.length).toBeGreaterThanOrEqual(12);

      const service = await restart(path, fake.url);
      try {
        // Every tracking id a citizen was told is a stored case, and /status finds it.
        for (const id of told) {
          expect(await service.backend.cases.get(id)).not.toBeNull();
          // Asked by the citizen who was told it, in their own chat.
          const chat = Number(
            fake.calls.find((c) => String(c.body.text ?? '').includes(id))?.body.chat_id,
          );
          const before = fake.sent(chat).length;
          const res = await fetch(`${service.url}/telegram/webhook`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-telegram-bot-api-secret-token': SECRET,
            },
            body: JSON.stringify(textUpdate(chat, `/status ${id}`)),
          });
          expect(res.status).toBe(200);
          await fake.waitFor(
            () =>
              fake
                .sent(chat)
                .slice(before)
                .some((m) => m.text.includes(id)),
            10_000,
          );
        }
        // Every update answered 200 was handled (its turn stored), once: one case per chat.
        for (let i = 0; i < 600; i++) {
          const open = await service.backend.outbox.count();
          if (open.pending + open.sending === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        for (const [updateId] of accepted) {
          const seen = await service.backend.ledger.get('telegram', String(updateId));
          expect(Array.isArray(seen?.result)).toBe(true);
        }
        const cases = await service.backend.queries.list({}, { limit: 500 });
        const chats = cases.cases.map((c) => c.reporter.channelUserId);
        expect(new Set(chats).size).toBe(chats.length);
      } finally {
        await service.stop();
      }
    } finally {
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});

const TRACKING = /ADU-[0-9A-Z]{6}/g;

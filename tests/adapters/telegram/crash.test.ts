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
import { hasButton, SECRET, TOKEN } from './harness';
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

      const config = testConfig({
        database: { kind: 'sqlite', path },
        telegram: {
          token: TOKEN,
          mode: 'webhook',
          webhookSecret: SECRET,
          webhookUrl: null,
          apiRoot: fake.url,
        },
      });
      const service = await startService(config, {
        logger: silentLogger,
        host: '127.0.0.1',
        nlu: testNlu(),
        channels: [telegramChannel],
        outbox: {
          sendTimeoutMs: 1_000,
          abortGraceMs: 200,
          leaseMarginMs: 300,
          pollIntervalMs: 100,
        },
      });
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
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createTelegramChannel, telegramChannel } from '../../../adapters/telegram';
import { UPDATE_CHANNEL } from '../../../adapters/telegram/processor';
import type { ChannelContext } from '../../../src/channel';
import { silentLogger } from '../../../src/logger';
import { startService } from '../../../src/service';
import { SqliteBackend } from '../../../src/store/sqlite/backend';
import { testConfig } from '../../support/config';
import { testNlu } from '../../support/nlu';
import { FakeBotApi, SERVER_ERROR } from './fake-bot-api';
import { hasButton, SECRET, startHarness, TOKEN } from './harness';
import { callbackUpdate, textUpdate } from './updates';

test('without TELEGRAM_BOT_TOKEN the channel is off', () => {
  const ctx = { config: testConfig({ telegram: null }) } as unknown as ChannelContext;
  expect(telegramChannel(ctx)).toBeNull();
});

describe('Telegram polling mode', () => {
  test('deletes the webhook, long-polls getUpdates with the next offset, answers, stops cleanly', async () => {
    const h = await startHarness({ mode: 'polling', webhookSecret: null });
    try {
      const first = textUpdate(8001, 'halo');
      h.fake.pushUpdate(first);
      await h.fake.waitFor(() => h.fake.sent(8001).some(hasButton('menu:report')));
      const press = callbackUpdate(8001, 'menu:status');
      h.fake.pushUpdate(press);
      await h.fake.waitFor(() => h.fake.sent(8001).some(hasButton('status:mine')));

      const methods = h.fake.calls.map((c) => c.method);
      expect(methods[0]).toBe('deleteWebhook');
      const polls = h.fake.callsOf('getUpdates').map((c) => c.body);
      expect(polls[0]).toMatchObject({
        offset: 0,
        timeout: 30,
        allowed_updates: ['message', 'callback_query', 'edited_message'],
      });
      const offsets = polls.map((p) => p.offset);
      expect(offsets).toContain(first.update_id + 1);
      expect(offsets).toContain(press.update_id + 1);
      // An update already confirmed is never processed twice.
      expect(h.fake.sent(8001).filter(hasButton('menu:report'))).toHaveLength(1);
      expect(h.fake.callsOf('answerCallbackQuery')[0]?.body).toMatchObject({
        callback_query_id: press.callback_query.id,
      });
      // No webhook route in polling mode.
      expect((await h.post(textUpdate(8001, 'halo'))).status).toBe(404);
    } finally {
      // Ends the long poll held open by the fake at once (otherwise stop would wait for it).
      await h.close();
    }
  });

  test('a failing getUpdates is logged and retried with backoff; the process goes on', async () => {
    const h = await startHarness(
      { mode: 'polling', webhookSecret: null },
      createTelegramChannel({ pollBackoffMs: () => 20 }),
    );
    try {
      h.fake.failNext('getUpdates', SERVER_ERROR, 2);
      h.fake.pushUpdate(textUpdate(8002, 'halo'));
      await h.fake.waitFor(() => h.fake.sent(8002).some(hasButton('menu:report')));
      expect(h.fake.callsOf('getUpdates').length).toBeGreaterThanOrEqual(3);
    } finally {
      await h.close();
    }
  });
});

describe('Telegram webhook start-up', () => {
  test('with TELEGRAM_WEBHOOK_URL, setWebhook gets the URL, the secret and allowed_updates', async () => {
    const h = await startHarness({ webhookUrl: 'https://suara.kota.go.id' });
    try {
      expect(h.fake.callsOf('setWebhook').map((c) => c.body)).toEqual([
        {
          url: 'https://suara.kota.go.id/telegram/webhook',
          secret_token: SECRET,
          allowed_updates: ['message', 'callback_query', 'edited_message'],
        },
      ]);
      expect(h.fake.callsOf('getUpdates')).toEqual([]);
    } finally {
      await h.close();
    }
  });

  test('without it, nothing is called at start-up', async () => {
    const h = await startHarness();
    try {
      expect(h.fake.calls).toEqual([]);
    } finally {
      await h.close();
    }
  });
});

describe('Telegram after a crash', () => {
  /**
   * A database file left by a process that died after accepting `update` (its id recorded with
   * the update kept), a fake Bot API, and a way to start the service on that file.
   */
  async function crashed(
    updates: { update_id: number } | { update_id: number }[],
    run: (env: {
      fake: FakeBotApi;
      backend: () => SqliteBackend;
      start: () => ReturnType<typeof startService>;
    }) => Promise<void>,
  ) {
    const dir = mkdtempSync(join(tmpdir(), 'suara-tg-'));
    const path = join(dir, 'suara.db');
    const fake = await new FakeBotApi().start();
    const config = testConfig({
      telegram: {
        token: TOKEN,
        mode: 'webhook',
        webhookSecret: SECRET,
        webhookUrl: null,
        apiRoot: fake.url,
      },
      database: { kind: 'sqlite', path },
    });
    try {
      const before = SqliteBackend.open({ path });
      for (const update of Array.isArray(updates) ? updates : [updates]) {
        const id = String(update.update_id);
        expect(
          await before.ledger.recordWork(UPDATE_CHANNEL, id, new Date(), update, {
            owner: 'test-instance',
            leaseMs: 300_000,
            now: new Date(),
          }),
        ).toBe(true);
      }
      before.close();
      await run({
        fake,
        backend: () => SqliteBackend.open({ path }),
        start: () =>
          startService(config, {
            logger: silentLogger,
            host: '127.0.0.1',
            nlu: testNlu(),
            channels: [telegramChannel],
          }),
      });
    } finally {
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const unfinished = async (open: () => SqliteBackend) => {
    const backend = open();
    try {
      return await backend.ledger.claimUnfinished(UPDATE_CHANNEL, {
        owner: 'test-instance',
        leaseMs: 300_000,
        now: new Date(),
        limit: 10,
      });
    } finally {
      backend.close();
    }
  };

  test('an update accepted but not handled before the process died is handled at the next start, once', async () => {
    const update = textUpdate(8101, 'halo');
    await crashed(update, async ({ fake, backend, start }) => {
      const service = await start();
      try {
        await fake.waitFor(() => fake.sent(8101).some(hasButton('menu:report')));
      } finally {
        await service.stop();
      }
      expect(await unfinished(backend)).toEqual([]);

      // Telegram redelivering it now changes nothing; a restart does not run it again either.
      const again = await start();
      try {
        const res = await request(again.url)
          .post('/telegram/webhook')
          .set('X-Telegram-Bot-Api-Secret-Token', SECRET)
          .send(update);
        expect(res.body).toMatchObject({ outcome: 'duplicate' });
      } finally {
        await again.stop();
      }
      expect(fake.sent(8101).filter(hasButton('menu:report'))).toHaveLength(1);
    });
  });

  test('an update that was tried at three start-ups already (it may be what kills the process) is given up', async () => {
    await crashed(textUpdate(8102, 'halo'), async ({ fake, backend, start }) => {
      const s = backend();
      for (let i = 0; i < 3; i++)
        await s.ledger.claimUnfinished(UPDATE_CHANNEL, {
          owner: 'test-instance',
          leaseMs: 300_000,
          now: new Date(),
          limit: 10,
        });
      s.close();
      await (await start()).stop();
      expect(await unfinished(backend)).toEqual([]);
      expect(fake.sent(8102)).toEqual([]);
    });
  });

  test('every unfinished update is handled at the next start, however many there are', async () => {
    // More than one batch of the store read (500), and more than the old cap of 1,000 a start.
    const chats = Array.from({ length: 1_050 }, (_, i) => 20_000 + i);
    await crashed(
      chats.map((chat) => textUpdate(chat, 'halo')),
      async ({ fake, backend, start }) => {
        const service = await start();
        try {
          await fake.waitFor(
            () =>
              new Set(
                fake
                  .sent()
                  .filter(hasButton('menu:report'))
                  .map((m) => m.chat_id),
              ).size === chats.length,
            60_000,
          );
        } finally {
          await service.stop();
        }
        expect(await unfinished(backend)).toEqual([]);
        // Each chat answered once.
        expect(fake.sent().filter(hasButton('menu:report'))).toHaveLength(chats.length);
      },
    );
  }, 120_000);
});

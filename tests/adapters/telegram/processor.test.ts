import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { CallbackData } from '../../../adapters/telegram/callback-data';
import { createClient } from '../../../adapters/telegram/client';
import {
  INLINE_TURN_MS,
  UPDATE_CHANNEL,
  UpdateProcessor,
} from '../../../adapters/telegram/processor';
import { telegramSender } from '../../../adapters/telegram/sender';
import { TEXTS } from '../../../adapters/telegram/texts';
import { mountWebhook } from '../../../adapters/telegram/webhook';
import type { Bot } from '../../../src/core/bot';
import { replyMessage } from '../../../src/core/outbound';
import type { InboundMessage, Reply } from '../../../src/core/types';
import { silentLogger } from '../../../src/logger';
import { OutboxDispatcher } from '../../../src/outbox/dispatcher';
import { SqliteBackend } from '../../../src/store/sqlite/backend';
import { manualClock } from '../../support/fixtures';
import { until } from '../../support/until';
import { FakeBotApi, tooManyRequests } from './fake-bot-api';
import { SECRET, TOKEN } from './harness';
import { callbackUpdate, textUpdate } from './updates';

/**
 * A core stand-in: records messages, answers from `answer`, can be held until released. Like the
 * real core, it queues its replies in the outbox, finishes the work it was handed and wakes the
 * dispatcher.
 */
class StubBot implements Bot {
  readonly seen: InboundMessage[] = [];
  private gates: (() => void)[] = [];
  holding = false;
  answer: (m: InboundMessage) => Reply[] = (m) => [{ text: `echo ${m.text ?? ''}` }];

  async handle(message: InboundMessage): Promise<Reply[]> {
    this.seen.push(message);
    if (this.holding) await new Promise<void>((resolve) => this.gates.push(resolve));
    const replies = this.answer(message);
    await backend.outbox.enqueue([replyMessage(message, replies, 'id')], new Date());
    // The real core finishes the work it was handed in the turn's commit.
    if (message.heldWork) {
      await backend.ledger.finish(message.heldWork.channel, message.heldWork.messageId);
    }
    dispatcher.wake();
    return replies;
  }

  release(): void {
    this.holding = false;
    for (const open of this.gates.splice(0)) open();
  }
}

let fake: FakeBotApi;
let backend: SqliteBackend;
let bot: StubBot;
let processor: UpdateProcessor;
let server: Server;
let url: string;
let dispatcher: OutboxDispatcher;
let clock: ReturnType<typeof manualClock>;
let client: ReturnType<typeof createClient>;
let callbacks: CallbackData;

beforeEach(async () => {
  fake = await new FakeBotApi().start();
  backend = SqliteBackend.open({ path: ':memory:' });
  bot = new StubBot();
  clock = manualClock();
  const config = {
    token: TOKEN,
    mode: 'webhook' as const,
    webhookSecret: SECRET,
    webhookUrl: null,
    apiRoot: fake.url,
  };
  client = createClient(config);
  callbacks = new CallbackData(backend.channelStore.scope('telegram'));
  // The outbox runs on real time, so a retry_after is really waited for.
  dispatcher = new OutboxDispatcher({
    outbox: backend.outbox,
    clock: () => new Date(),
    logger: silentLogger,
  });
  dispatcher.register('telegram', telegramSender({ client, callbacks }));
  dispatcher.start();
  processor = new UpdateProcessor({
    ctx: { bot, backend, logger: silentLogger, clock, dispatcher },
    instanceId: 'test-instance',
    client,
    callbacks,
    botId: 123456,
  });
  const app = express();
  mountWebhook(app, { secret: SECRET, processor, logger: silentLogger });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  bot.release();
  await processor.drain();
  await dispatcher.stop();
  await new Promise((resolve) => server.close(resolve));
  await backend.close();
  await fake.close();
});

const post = (update: unknown) =>
  request(url)
    .post('/telegram/webhook')
    .set('X-Telegram-Bot-Api-Secret-Token', SECRET)
    .send(update as object);

describe('Telegram update processing', () => {
  test('another instance starting while this one holds an update leaves it; after the lease it takes it over', async () => {
    bot.holding = true;
    expect((await post(textUpdate(21, 'halo'))).body.outcome).toBe('processing');
    const other = new UpdateProcessor({
      ctx: { bot, backend, logger: silentLogger, clock, dispatcher },
      instanceId: 'instance-b',
      client,
      callbacks,
      botId: 123456,
    });
    // This instance is alive and working on it: the other one does not run it a second time.
    expect(await other.resume()).toBe(0);
    expect(bot.seen).toHaveLength(1);
    // This instance died (its lease ran out): the other takes the update over, once.
    clock.advance(5 * 60_000);
    const resumed = other.resume();
    await fake.waitFor(() => bot.seen.length === 2);
    bot.release();
    expect(await resumed).toBe(1);
    expect(bot.seen.map((m) => m.messageId)).toEqual([
      bot.seen[0]?.messageId,
      bot.seen[0]?.messageId,
    ]);
  });

  /** Updates recorded as work and not finished (claimed by this instance, which holds them). */
  const kept = () =>
    backend.ledger.claimUnfinished(UPDATE_CHANNEL, {
      owner: 'test-instance',
      leaseMs: 300_000,
      now: clock(),
      limit: 10,
    });

  test('a message to an idle chat is handled before the webhook answers, with no record of its own', async () => {
    const update = textUpdate(10, 'halo');
    const res = await post(update);
    expect(res.body.outcome).toBe('handled');
    // Its turn ran and queued its reply before the answer.
    expect(bot.seen.map((m) => m.text)).toEqual(['halo']);
    expect(await backend.ledger.get(UPDATE_CHANNEL, String(update.update_id))).toBeNull();
    await fake.waitFor(() => fake.sent(10).length === 1);
    expect(await kept()).toEqual([]);
  });

  test('the webhook answers 200 while a slow turn is still running; the reply follows', async () => {
    bot.holding = true;
    const update = textUpdate(11, 'halo');
    const started = Date.now();
    const res = await post(update);
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe('processing');
    expect(Date.now() - started).toBeGreaterThanOrEqual(INLINE_TURN_MS - 50);
    // The turn has not finished: nothing was sent yet, and the update is kept meanwhile.
    expect(fake.sent(11)).toEqual([]);
    expect((await kept()).map((w) => w.messageId)).toEqual([String(update.update_id)]);
    bot.release();
    await fake.waitFor(() => fake.sent(11).length === 1);
    expect(fake.sent(11)[0]?.text).toBe('echo halo');
    // Finished once the turn was done.
    await until(async () => (await kept()).length === 0, 'the update finished');
    expect(bot.seen).toHaveLength(1);
  });

  test('a turn that fails at once is recorded and run again in the background', async () => {
    let failures = 1;
    bot.answer = (m) => {
      if (failures-- > 0) throw new Error('busy');
      return [{ text: `echo ${m.text ?? ''}` }];
    };
    const res = await post(textUpdate(19, 'halo'));
    expect(res.body.outcome).toBe('processing');
    await fake.waitFor(() => fake.sent(19).length === 1);
    expect(fake.sent(19)[0]?.text).toBe('echo halo');
    expect(bot.seen).toHaveLength(2);
    expect(await kept()).toEqual([]);
  });

  test('updates of one chat are handled one at a time, in order', async () => {
    bot.holding = true;
    await post(textUpdate(12, 'satu'));
    await post(textUpdate(12, 'dua'));
    await post(textUpdate(13, 'lain'));
    // Another chat is not held up by chat 12's slow turn… but chat 12's second message is.
    await fake.waitFor(() => bot.seen.length === 2);
    expect(bot.seen.map((m) => m.text)).toEqual(['satu', 'lain']);
    bot.release();
    await fake.waitFor(() => fake.sent(12).length === 2);
    expect(fake.sent(12).map((m) => m.text)).toEqual(['echo satu', 'echo dua']);
  });

  test('a choice value longer than 64 bytes gets a short key that resolves back', async () => {
    const long = `category:${'jalan-berlubang-di-depan-balai-warga-'.repeat(3)}`;
    bot.answer = () => [{ text: 'Pilih:', choices: [{ label: 'Jalan', value: long }] }];
    await post(textUpdate(14, 'lapor'));
    await fake.waitFor(() => fake.sent(14).length === 1);
    const keyboard = fake.sent(14)[0]?.reply_markup?.inline_keyboard ?? [];
    const data = keyboard[0]?.[0]?.callback_data ?? '';
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(data).not.toBe(long);

    bot.answer = (m) => [{ text: `got ${m.action}` }];
    await post(callbackUpdate(14, data, keyboard));
    await fake.waitFor(() => fake.sent(14).length === 2);
    expect(bot.seen.at(-1)).toMatchObject({ action: long, text: 'Jalan' });
  });

  test('a button whose key is unknown shows the menu instead of guessing', async () => {
    await post(callbackUpdate(15, '#unknownkey0000000000000'));
    await fake.waitFor(() => fake.sent(15).length === 1);
    expect(bot.seen.at(-1)).toMatchObject({ action: 'menu', text: '' });
    expect(fake.callsOf('answerCallbackQuery')).toHaveLength(1);
  });

  test('when the core fails, the citizen gets a short apology in their language', async () => {
    bot.answer = () => {
      throw new Error('store down');
    };
    await post(textUpdate(16, 'hello there friend', { language_code: 'en' }));
    await fake.waitFor(() => fake.sent(16).length === 1);
    expect(fake.sent(16)[0]?.text).toBe(TEXTS.failed.en);
  });

  test('a turn reply refused with 429 is sent again after retry_after', async () => {
    fake.failNext('sendMessage', tooManyRequests(1));
    await post(textUpdate(17, 'halo'));
    await fake.waitFor(() => fake.sent(17).length === 2);
    const [refused, accepted] = fake
      .callsOf('sendMessage')
      .filter((c) => String(c.body.chat_id) === '17');
    expect(fake.sent(17).map((m) => m.text)).toEqual(['echo halo', 'echo halo']);
    expect(accepted && refused ? accepted.at - refused.at : 0).toBeGreaterThanOrEqual(1_000);
  });

  test('a store failure answers 500 so Telegram delivers the update again', async () => {
    await dispatcher.stop();
    await backend.close();
    const res = await post(textUpdate(18, 'halo'));
    expect(res.status).toBe(500);
    expect(bot.seen).toEqual([]);
    backend = SqliteBackend.open({ path: ':memory:' });
  });
});

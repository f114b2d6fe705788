import request from 'supertest';
import { telegramChannel } from '../../../adapters/telegram';
import type { ChannelFactory } from '../../../src/channel';
import type { TelegramConfig } from '../../../src/config/env';
import { silentLogger } from '../../../src/logger';
import { type RunningService, startService } from '../../../src/service';
import { testConfig } from '../../support/config';
import { manualClock } from '../../support/fixtures';
import { testNlu } from '../../support/nlu';
import { FakeBotApi, type SentMessage } from './fake-bot-api';
import { callbackUpdate, locationUpdate, photoUpdate, textUpdate } from './updates';

export const TOKEN = '123456:TEST-token-abcdefghijklmnopqrstu';
export const SECRET = 'hook-secret_0123456789';

/** The real service with the Telegram channel, against a fake Bot API, with a manual clock. */
export interface Harness {
  fake: FakeBotApi;
  service: RunningService;
  clock: ReturnType<typeof manualClock>;
  /** POSTs an update to the webhook with the secret (or another, or none with null). */
  post(update: unknown, secret?: string | null): request.Test;
  /** Sends an update and waits until the chat got a message that `until` accepts. */
  deliver(
    update: unknown,
    chatId: number,
    until: (m: SentMessage) => boolean,
  ): Promise<SentMessage[]>;
  /** Files a complaint through the webhook, pressing the buttons shown; returns its tracking id. */
  fileComplaint(chatId: number): Promise<string>;
  close(): Promise<void>;
}

export async function startHarness(
  overrides: Partial<TelegramConfig> = {},
  channel: ChannelFactory = telegramChannel,
): Promise<Harness> {
  const fake = await new FakeBotApi().start();
  const clock = manualClock();
  const telegram: TelegramConfig = {
    token: TOKEN,
    mode: 'webhook',
    webhookSecret: SECRET,
    webhookUrl: null,
    apiRoot: fake.url,
    ...overrides,
  };
  let service: RunningService;
  try {
    service = await startService(testConfig({ telegram }), {
      logger: silentLogger,
      host: '127.0.0.1',
      nlu: testNlu(),
      clock,
      channels: [channel],
      // Sends that hang are cut off after 300 ms (15 s in production).
      outbox: { sendTimeoutMs: 300, abortGraceMs: 100, pollIntervalMs: 50 },
    });
  } catch (err) {
    await fake.close();
    throw err;
  }

  const post = (update: unknown, secret: string | null = SECRET) => {
    const req = request(service.url).post('/telegram/webhook');
    if (secret !== null) req.set('X-Telegram-Bot-Api-Secret-Token', secret);
    return req.send(update as object);
  };

  const deliver = async (update: unknown, chatId: number, until: (m: SentMessage) => boolean) => {
    const before = fake.sent(chatId).length;
    const res = await post(update);
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${res.text}`);
    await fake.waitFor(() => fake.sent(chatId).slice(before).some(until));
    return fake.sent(chatId).slice(before);
  };

  const fileComplaint = async (chatId: number) => {
    let got = await deliver(
      textUpdate(chatId, 'jalan depan rumah saya berlubang besar sudah 2 bulan'),
      chatId,
      hasButton('yes'),
    );
    got = await deliver(callbackUpdate(chatId, 'yes', keyboardOf(got)), chatId, (m) =>
      Boolean(m.reply_markup?.keyboard),
    );
    got = await deliver(locationUpdate(chatId, -6.2, 106.816666), chatId, hasButton('skip'));
    got = await deliver(photoUpdate(chatId), chatId, hasButton('identity:anonymous'));
    got = await deliver(
      callbackUpdate(chatId, 'identity:anonymous', keyboardOf(got)),
      chatId,
      hasButton('skip'),
    );
    got = await deliver(
      callbackUpdate(chatId, 'skip', keyboardOf(got)),
      chatId,
      hasButton('confirm'),
    );
    got = await deliver(callbackUpdate(chatId, 'confirm', keyboardOf(got)), chatId, (m) =>
      TRACKING_ID.test(m.text),
    );
    const id = got.map((m) => TRACKING_ID.exec(m.text)?.[0]).find(Boolean);
    if (!id) throw new Error('no tracking id in the replies');
    return id;
  };

  return {
    fake,
    service,
    clock,
    post,
    deliver,
    fileComplaint,
    async close() {
      await service.stop();
      await fake.close();
    },
  };
}

export const TRACKING_ID = /ADU-[0-9A-Z]{6}/;

/** The callback data of a message's inline buttons. */
export const buttons = (m: SentMessage | undefined): (string | undefined)[] =>
  (m?.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data);

/** A predicate: the message has a button with this callback data. */
export const hasButton = (data: string) => (m: SentMessage) => buttons(m).includes(data);

/** Every inline keyboard row of some messages (to echo back in a callback query). */
export const keyboardOf = (messages: SentMessage[]) =>
  messages.flatMap((m) => m.reply_markup?.inline_keyboard ?? []);

/** A whole complaint in Indonesian by text, each step with the answer that ends it. */
export const COMPLAINT_STEPS: [string, (m: SentMessage) => boolean][] = [
  ['jalan depan rumah saya berlubang besar sudah 2 bulan', hasButton('yes')],
  ['ya', (m) => Boolean(m.reply_markup?.keyboard)],
  ['Jl. Melati No. 5, RT 02/RW 03', hasButton('skip')],
  ['lewati', hasButton('identity:anonymous')],
  ['anonim', hasButton('skip')],
  ['lewati', hasButton('confirm')],
  ['kirim', (m) => /ADU-[0-9A-Z]{6}/.test(m.text)],
];

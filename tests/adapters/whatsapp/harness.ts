import request from 'supertest';
import { staffApiChannel } from '../../../adapters/staff-api';
import { createWhatsAppChannel, type WhatsAppChannelOptions } from '../../../adapters/whatsapp';
import { sign } from '../../../adapters/whatsapp/signature';
import type { WhatsAppConfig } from '../../../src/config/env';
import { silentLogger } from '../../../src/logger';
import type { OutboxMessage } from '../../../src/outbox/port';
import { type RunningService, startService } from '../../../src/service';
import { testConfig } from '../../support/config';
import { manualClock } from '../../support/fixtures';
import { testNlu } from '../../support/nlu';
import { FakeGraphApi, type SentMessage } from './fake-graph-api';
import * as wa from './payloads';

export const APP_SECRET = 'app-secret-0123456789abcdef';
export const VERIFY_TOKEN = 'verify-token-suara-42';
export const ACCESS_TOKEN = 'EAAG-test-access-token-0123456789';
export const TRACKING_ID = /ADU-[0-9A-Z]{6}/;

/** The real service with the WhatsApp channel, against a fake Graph API, with a manual clock. */
export interface Harness {
  fake: FakeGraphApi;
  service: RunningService;
  clock: ReturnType<typeof manualClock>;
  /** POSTs a call to the webhook, signed as Meta signs (or with `signature`; none with null). */
  post(payload: unknown, signature?: string | null): request.Test;
  /** Posts a call and waits until the user got a message that `until` accepts. */
  deliver(
    payload: unknown,
    user: string,
    until: (m: SentMessage) => boolean,
  ): Promise<SentMessage[]>;
  /** Files a complaint, pressing the buttons shown; returns its tracking id. */
  fileComplaint(user: wa.WaUser): Promise<string>;
  /** Runs the dispatcher until the outbox message with `key` satisfies `done` (bounded). */
  outboxMessage(key: string, done: (m: OutboxMessage) => boolean): Promise<OutboxMessage>;
  close(): Promise<void>;
}

export async function startHarness(
  overrides: Partial<WhatsAppConfig> = {},
  channelOptions: WhatsAppChannelOptions = { sweepMs: 60_000 },
): Promise<Harness> {
  const fake = await new FakeGraphApi().start();
  fake.mediaToken = ACCESS_TOKEN;
  const clock = manualClock();
  const whatsapp: WhatsAppConfig = {
    accessToken: ACCESS_TOKEN,
    phoneNumberId: wa.PHONE_NUMBER_ID,
    appSecret: APP_SECRET,
    verifyToken: VERIFY_TOKEN,
    apiRoot: fake.url,
    notifyTemplate: { name: 'suara_status', languages: ['id', 'en_US'] },
    ...overrides,
  };
  let service: RunningService;
  try {
    service = await startService(testConfig({ whatsapp }), {
      logger: silentLogger,
      host: '127.0.0.1',
      nlu: testNlu(),
      clock,
      // The staff API opens citizens' photos (the WhatsApp media source).
      channels: [createWhatsAppChannel(channelOptions), staffApiChannel],
      outbox: { sendTimeoutMs: 1_000, abortGraceMs: 100, pollIntervalMs: 50 },
    });
  } catch (err) {
    await fake.close();
    throw err;
  }

  const post = (payload: unknown, signature?: string | null) => {
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const req = request(service.url)
      .post('/whatsapp/webhook')
      .set('content-type', 'application/json');
    const sig = signature === undefined ? sign(body, APP_SECRET) : signature;
    if (sig !== null) req.set('X-Hub-Signature-256', sig);
    return req.send(body);
  };

  const deliver = async (payload: unknown, user: string, until: (m: SentMessage) => boolean) => {
    const before = fake.sent(user).length;
    const res = await post(payload);
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${res.text}`);
    await fake.waitFor(() => fake.sent(user).slice(before).some(until), 'the expected answer');
    return fake.sent(user).slice(before);
  };

  const fileComplaint = async (user: wa.WaUser) => {
    const to = user.waId ?? user.bsuid ?? '';
    const at = clock();
    const steps: [unknown, (m: SentMessage) => boolean][] = [
      [wa.text(user, at, 'jalan depan rumah saya berlubang besar sudah 2 bulan'), hasButton('yes')],
      [wa.buttonReply(user, at, 'yes', 'Ya'), isLocationRequest],
      [wa.location(user, at, -6.2, 106.816666), hasButton('skip')],
      [
        wa.image(user, at, '1234567890123456', 'lubangnya di sini'),
        hasButton('identity:anonymous'),
      ],
      [wa.buttonReply(user, at, 'identity:anonymous', 'Anonim'), hasButton('skip')],
      [wa.buttonReply(user, at, 'skip', 'Lewati'), hasButton('confirm')],
      [wa.buttonReply(user, at, 'confirm', 'Kirim'), (m) => TRACKING_ID.test(bodyOf(m))],
    ];
    let got: SentMessage[] = [];
    for (const [payload, until] of steps) got = await deliver(payload, to, until);
    const id = got.map((m) => TRACKING_ID.exec(bodyOf(m))?.[0]).find(Boolean);
    if (!id) throw new Error('no tracking id in the replies');
    return id;
  };

  const outboxMessage = async (key: string, done: (m: OutboxMessage) => boolean) => {
    for (let i = 0; i < 300; i++) {
      await service.dispatcher.runOnce();
      const all = await service.backend.outbox.list({ channel: 'whatsapp', limit: 1000 });
      const found = all.find((m) => m.idempotencyKey === key);
      if (found && done(found)) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`outbox message ${key} never reached the expected state`);
  };

  return {
    fake,
    service,
    clock,
    post,
    deliver,
    fileComplaint,
    outboxMessage,
    async close() {
      await service.stop();
      await fake.close();
    },
  };
}

/** The text a message shows: a text's body, an interactive message's body. */
export const bodyOf = (m: SentMessage): string => m.text?.body ?? m.interactive?.body.text ?? '';

/** The ids of a message's reply buttons. */
export const buttonIds = (m: SentMessage): string[] =>
  m.interactive?.type === 'button'
    ? (m.interactive.action.buttons ?? []).map((b) => b.reply.id)
    : [];

/** The ids of a list message's rows. */
export const rowIds = (m: SentMessage): string[] =>
  m.interactive?.type === 'list'
    ? (m.interactive.action.sections ?? []).flatMap((s) => s.rows.map((r) => r.id))
    : [];

export const hasButton = (id: string) => (m: SentMessage) => buttonIds(m).includes(id);
export const hasRow = (id: string) => (m: SentMessage) => rowIds(m).includes(id);
export const isLocationRequest = (m: SentMessage) =>
  m.interactive?.type === 'location_request_message';

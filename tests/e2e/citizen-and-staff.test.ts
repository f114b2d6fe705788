import { slackChannel } from '../../adapters/slack';
import { telegramChannel } from '../../adapters/telegram';
import { webchatChannel } from '../../adapters/webchat';
import { silentLogger } from '../../src/logger';
import { type RunningService, startService } from '../../src/service';
import { FakeSlack } from '../adapters/slack/fake-slack';
import { blockAction, sign, viewSubmission } from '../adapters/slack/harness';
import { FakeBotApi, type SentMessage } from '../adapters/telegram/fake-bot-api';
import { callbackUpdate, locationUpdate, textUpdate } from '../adapters/telegram/updates';
import { testConfig } from '../support/config';
import { manualClock } from '../support/fixtures';
import { testNlu } from '../support/nlu';

/**
 * The whole service at once: citizens on Telegram and in the web chat, staff in Slack, one store
 * and one outbox. What a citizen files shows up in the right Slack channel; what staff do there
 * reaches the citizen on the channel they used.
 */
const TG_SECRET = 'e2e-secret_0123456789';
const SLACK_SECRET = 'e2e-slack-signing-secret';
const PUPR = 'C0PUPR';
const TRIAGE = 'C0TRIAGE';
const TRACKING_ID = /ADU-[0-9A-Z]{6}/;

let telegram: FakeBotApi;
let slack: FakeSlack;
let service: RunningService;
const clock = manualClock('2026-11-27T02:00:00.000Z'); // a Friday, 09:00 in Jakarta

beforeAll(async () => {
  telegram = await new FakeBotApi().start();
  slack = await new FakeSlack().start();
  service = await startService(
    testConfig({
      telegram: {
        token: '123456:E2E-token-abcdefghijklmnopqrstu',
        mode: 'webhook',
        webhookSecret: TG_SECRET,
        webhookUrl: null,
        apiRoot: telegram.url,
      },
      slack: {
        botToken: 'xoxb-e2e',
        signingSecret: SLACK_SECRET,
        apiUrl: `${slack.url}/api/`,
        command: '/suara',
        digestHour: 8,
        language: 'id',
      },
    }),
    {
      logger: silentLogger,
      host: '127.0.0.1',
      nlu: testNlu(),
      clock,
      channels: [
        telegramChannel,
        webchatChannel,
        slackChannel({ processBeforeResponse: true, retryConfig: { retries: 0 } }),
      ],
    },
  );
});

afterAll(async () => {
  await service?.stop();
  await telegram?.close();
  await slack?.stop();
});

/** Delivers every due outbox message (bounded). */
async function drainOutbox(): Promise<void> {
  for (let round = 0; round < 100; round++) {
    await service.dispatcher.runOnce();
    const pending = await service.backend.outbox.list({ status: 'pending' });
    const sending = await service.backend.outbox.list({ status: 'sending' });
    if (pending.every((m) => new Date(m.nextAttemptAt) > clock()) && sending.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the outbox did not drain');
}

/** Posts a Telegram update to the webhook and waits for a message to the chat that `until` accepts. */
async function onTelegram(
  chatId: number,
  update: unknown,
  until: (m: SentMessage) => boolean,
): Promise<SentMessage[]> {
  const before = telegram.sent(chatId).length;
  const res = await fetch(`${service.url}/telegram/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': TG_SECRET },
    body: JSON.stringify(update),
  });
  expect(res.status).toBe(200);
  await telegram.waitFor(() => telegram.sent(chatId).slice(before).some(until));
  return telegram.sent(chatId).slice(before);
}

const button = (value: string) => (m: SentMessage) =>
  (m.reply_markup?.inline_keyboard ?? []).flat().some((b) => b.callback_data === value);

function keyboard(messages: SentMessage[]) {
  return messages.at(-1)?.reply_markup?.inline_keyboard;
}

/** A signed Slack interactivity request (button or modal). */
async function asStaff(payload: object): Promise<void> {
  const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const ts = Math.floor(Date.now() / 1000);
  const res = await fetch(`${service.url}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'X-Slack-Request-Timestamp': String(ts),
      'X-Slack-Signature': sign(body, ts, SLACK_SECRET),
    },
    body,
  });
  expect(res.status).toBe(200);
  await drainOutbox();
}

const postsTo = (channel: string) =>
  slack.of('chat.postMessage').filter((c) => c.args.channel === channel);

test('Telegram citizen ↔ Slack staff: report, acknowledge, question and answer, resolution', async () => {
  const chat = 7_001;
  // The citizen files an anonymous report with their NIK in it.
  let got = await onTelegram(
    chat,
    textUpdate(chat, 'jalan depan rumah saya berlubang besar sudah 2 bulan, NIK 3201234567890123'),
    button('yes'),
  );
  got = await onTelegram(chat, callbackUpdate(chat, 'yes', keyboard(got)), (m) =>
    Boolean(m.reply_markup?.keyboard),
  );
  got = await onTelegram(chat, locationUpdate(chat, -6.2, 106.8166), button('skip'));
  got = await onTelegram(
    chat,
    callbackUpdate(chat, 'skip', keyboard(got)),
    button('identity:anonymous'),
  );
  got = await onTelegram(
    chat,
    callbackUpdate(chat, 'identity:anonymous', keyboard(got)),
    button('skip'),
  );
  got = await onTelegram(chat, callbackUpdate(chat, 'skip', keyboard(got)), button('confirm'));
  got = await onTelegram(chat, callbackUpdate(chat, 'confirm', keyboard(got)), (m) =>
    TRACKING_ID.test(m.text),
  );
  const id = got.map((m) => TRACKING_ID.exec(m.text)?.[0]).find(Boolean) as string;

  // It appears in the roads agency's channel, with buttons, the reporter hidden and the NIK masked.
  await drainOutbox();
  const [post] = postsTo(PUPR);
  const shown = JSON.stringify(post?.args.blocks);
  expect(shown).toContain(id);
  expect(shown).toContain('suara:ack');
  expect(shown).not.toContain('3201234567890123');
  expect(shown).not.toContain('Sari');

  // Staff acknowledge: the citizen hears it on Telegram.
  await asStaff(blockAction({ channel: PUPR, trackingId: id, actionId: 'suara:ack' }));
  expect(telegram.sent(chat).at(-1)?.text).toMatch(new RegExp(`${id}.*ditindaklanjuti`));
  expect((await service.backend.cases.get(id))?.status).toBe('in_progress');

  // Staff ask a question; the citizen's answer lands in the case's Slack thread.
  await asStaff(
    viewSubmission({
      callbackId: 'suara:need_info',
      trackingId: id,
      channel: PUPR,
      note: 'Di depan nomor rumah berapa tepatnya?',
    }),
  );
  expect(telegram.sent(chat).at(-1)?.text).toContain('Di depan nomor rumah berapa tepatnya?');
  await onTelegram(chat, textUpdate(chat, 'di depan rumah nomor 12, dekat warung bu tini'), (m) =>
    m.text.includes(id),
  );
  await drainOutbox();
  const thread = slack
    .of('chat.postMessage')
    .filter((c) => c.args.channel === PUPR && c.args.thread_ts !== undefined)
    .map((c) => String(c.args.text));
  expect(thread.some((t) => t.includes('nomor 12, dekat warung bu tini'))).toBe(true);

  // Staff resolve with a public note: the citizen gets it with "fixed?" buttons.
  await asStaff(
    viewSubmission({
      callbackId: 'suara:resolve',
      trackingId: id,
      channel: PUPR,
      note: 'Lubang sudah ditambal hari ini.',
    }),
  );
  const last = telegram.sent(chat).at(-1);
  expect(last?.text).toContain('Lubang sudah ditambal hari ini.');
  expect(button(`resolved:done:${id}`)(last as SentMessage)).toBe(true);
  const history = await service.backend.cases.events(id);
  expect(history.filter((e) => e.actor.type === 'staff').map((e) => e.actor.id)).toContain(
    'U0STAFF',
  );
});

test('web chat citizen asks for an officer; the triage desk replies and the chat gets it', async () => {
  const dl = `${service.url}/v3/directline`;
  const generated = (await (await fetch(`${dl}/tokens/generate`, { method: 'POST' })).json()) as {
    token: string;
  };
  const started = (await (
    await fetch(`${dl}/conversations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${generated.token}` },
    })
  ).json()) as { conversationId: string; token: string };
  const auth = { Authorization: `Bearer ${started.token}`, 'content-type': 'application/json' };
  const conversation = `${dl}/conversations/${started.conversationId}/activities`;
  const sent = await fetch(conversation, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({
      type: 'message',
      from: { id: 'ignored' },
      text: 'saya mau bicara dengan petugas soal bansos yang tidak cair',
    }),
  });
  expect(sent.status).toBe(200);
  // The replies are delivered (appended to the conversation) just after the POST is answered.
  await drainOutbox();
  const read = async () =>
    (await (await fetch(conversation, { headers: auth })).json()) as {
      activities: { type: string; text?: string; from: { id: string } }[];
      watermark: string;
    };
  const first = await read();
  const id = first.activities.map((a) => TRACKING_ID.exec(a.text ?? '')?.[0]).find(Boolean);
  expect(id).toBeDefined();

  // The hand-off reaches the triage desk's channel with the citizen's words.
  await drainOutbox();
  const triage = postsTo(TRIAGE).find((c) => JSON.stringify(c.args.blocks).includes(id as string));
  expect(JSON.stringify(triage?.args.blocks)).toContain('bansos yang tidak cair');

  // An officer replies from Slack; the web chat conversation gets the message.
  await asStaff(
    viewSubmission({
      callbackId: 'suara:reply',
      trackingId: id as string,
      channel: TRIAGE,
      note: 'Baik, kami cek data DTKS Anda. Mohon kirim nomor KK.',
    }),
  );
  const later = await read();
  expect(later.activities.at(-1)).toMatchObject({
    type: 'message',
    from: { id: 'suara' },
    text: expect.stringContaining('Mohon kirim nomor KK.'),
  });
});

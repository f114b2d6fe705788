import { messageIdOf } from '../../../adapters/botframework/inbound';
import {
  type Notification,
  notify,
  type RepliesNotification,
} from '../../../src/core/notifications';
import type { OutboxMessage } from '../../../src/outbox/port';
import { BOT, type Harness, startBotFramework } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startBotFramework();
});
afterAll(() => h.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Queues a notification for the Teams conversation `conv` (user `29:<conv>`), or with `to`. */
async function enqueue(key: string, conv: string, n: Notification, withRef = true) {
  const ref = { serviceUrl: h.connector.url, channelId: 'msteams', botId: BOT.id, tenantId: 't-1' };
  const to = { kind: 'conversation' as const, channel: 'botframework', conversationId: conv };
  await h.service.backend.outbox.enqueue(
    [
      notify({ ...to, userId: `29:${conv}`, ...(withRef ? { ref } : {}) }, n, {
        idempotencyKey: key,
      }),
    ],
    h.clock(),
  );
}

/**
 * Drives the outbox (moving the clock on by `stepMs` each round) until the message with this
 * key is in a state `until` accepts; bounded.
 */
async function outboxMessage(
  key: string,
  until: (m: OutboxMessage) => boolean,
  stepMs = 0,
): Promise<OutboxMessage> {
  for (let i = 0; i < 300; i++) {
    const all = await h.service.backend.outbox.list({ channel: 'botframework', limit: 1000 });
    const found = all.find((m) => m.idempotencyKey === key);
    if (found && until(found)) return found;
    h.clock.advance(stepMs);
    await h.service.dispatcher.runOnce();
    await sleep(10);
  }
  throw new Error(`outbox message ${key} never reached the expected state`);
}

const attempted = (n: number) => (m: OutboxMessage) => m.attempts === n && m.status !== 'sending';
const isSent = (m: OutboxMessage) => m.status === 'sent';
const say = (...texts: string[]): RepliesNotification => ({
  kind: 'replies',
  replies: texts.map((text) => ({ text })),
  lang: 'id',
});
const refusedTo = (conv: string) => h.connector.refused.filter((r) => r.conversationId === conv);
const textsTo = (conv: string) => h.connector.to(conv).map((p) => p.activity.text);

/** The post after the `n`th accepted one to `conv` is refused with `status` (once). */
function failAfter(conv: string, n: number, status: number): void {
  const posted = h.connector.posted;
  const push = posted.push;
  posted.push = (...items) => {
    const length = push.apply(posted, items);
    if (h.connector.to(conv).length === n) {
      h.connector.failNext(status);
      posted.push = push;
    }
    return length;
  };
}

describe('Bot Framework outbox sender (fake Bot Connector)', () => {
  test('a notification is posted once to the conversation, not as a reply', async () => {
    await enqueue('plain-1', 'a:plain-1', say('Laporan ADU-7K3M9Q sedang ditindaklanjuti.'));
    expect(await outboxMessage('plain-1', isSent)).toMatchObject({ attempts: 1 });
    const posted = h.connector.to('a:plain-1');
    expect(posted).toHaveLength(1);
    expect(posted[0]?.replyToId).toBeUndefined();
    expect(posted[0]?.activity).toMatchObject({
      type: 'message',
      text: 'Laporan ADU-7K3M9Q sedang ditindaklanjuti.',
      conversation: { id: 'a:plain-1', tenantId: 't-1' },
      from: { id: BOT.id },
      recipient: { id: '29:a:plain-1' },
    });
    expect(posted[0]?.activity.replyToId).toBeUndefined();
  });

  test('replies to a message are posted as replies to its activity', async () => {
    const conv = 'a:reply-1';
    await enqueue('reply-1', conv, { ...say('Baik.'), replyTo: messageIdOf(conv, 'act-9') });
    await outboxMessage('reply-1', isSent);
    const posted = h.connector.to(conv);
    expect(posted.map((p) => p.replyToId)).toEqual(['act-9']);
    expect(posted[0]?.activity.replyToId).toBe('act-9');
  });

  test('429 with Retry-After: 30 is not resent before 30 s, then sent once', async () => {
    const conv = 'a:429-1';
    h.connector.failNext(429, { 'Retry-After': '30' });
    await enqueue('429-1', conv, say('Laporan ADU-7K3M9Q diterima.'));
    const waiting = await outboxMessage('429-1', attempted(1));
    expect(waiting).toMatchObject({ status: 'pending', lastError: expect.stringMatching(/429/) });
    expect(new Date(waiting.nextAttemptAt).getTime() - h.clock().getTime()).toBe(30_000);

    h.clock.advance(29_999);
    await h.service.dispatcher.runOnce();
    await sleep(150);
    expect(refusedTo(conv)).toHaveLength(1);
    expect(h.connector.to(conv)).toEqual([]);

    h.clock.advance(1);
    expect(await outboxMessage('429-1', isSent)).toMatchObject({ attempts: 2 });
    expect(textsTo(conv)).toEqual(['Laporan ADU-7K3M9Q diterima.']);
  });

  test('500 twice, then OK: sent once after three attempts', async () => {
    const conv = 'a:500-1';
    h.connector.failNext(500, {}, 2);
    await enqueue('500-1', conv, say('Laporan ADU-7K3M9Q selesai.'));
    expect(await outboxMessage('500-1', isSent, 60_000)).toMatchObject({ attempts: 3 });
    expect(refusedTo(conv).map((r) => r.status)).toEqual([500, 500]);
    expect(textsTo(conv)).toEqual(['Laporan ADU-7K3M9Q selesai.']);
  });

  test.each([403, 404])('%s is undeliverable at once and never retried', async (status) => {
    const conv = `a:${status}-1`;
    h.connector.failNext(status);
    await enqueue(`gone-${status}`, conv, say('Laporan ADU-7K3M9Q ditolak.'));
    const done = await outboxMessage(`gone-${status}`, (m) => m.status === 'undeliverable');
    expect(done).toMatchObject({ attempts: 1, lastError: expect.stringContaining(`${status}`) });
    h.clock.advance(3_600_000);
    await h.service.dispatcher.runOnce();
    await sleep(150);
    expect(refusedTo(conv)).toHaveLength(1);
    expect(h.connector.to(conv)).toEqual([]);
    expect(await outboxMessage(`gone-${status}`, () => true)).toMatchObject({ attempts: 1 });
  });

  test('a failure after the first of several messages resumes after it', async () => {
    const conv = 'a:resume-1';
    failAfter(conv, 1, 500);
    await enqueue('resume-1', conv, say('Satu', 'Dua', 'Tiga'));
    const failed = await outboxMessage('resume-1', attempted(1));
    expect(failed).toMatchObject({ status: 'pending', progress: 1 });
    expect(await outboxMessage('resume-1', isSent, 60_000)).toMatchObject({ attempts: 2 });
    expect(refusedTo(conv)).toHaveLength(1);
    expect(textsTo(conv)).toEqual(['Satu', 'Dua', 'Tiga']);
  });

  test('a notification without a conversation reference is undeliverable, nothing posted', async () => {
    const conv = 'a:noref-1';
    await enqueue('noref-1', conv, say('Halo'), false);
    const done = await outboxMessage('noref-1', (m) => m.status === 'undeliverable');
    expect(done.lastError).toMatch(/conversation reference/);
    expect(h.connector.to(conv)).toEqual([]);
    expect(refusedTo(conv)).toEqual([]);
  });
});

describe('Bot Framework: proactive notices about a case', () => {
  test('a verified case is told to the citizen once, proactively, with its tracking id', async () => {
    const conv = 'a:proactive-1';
    const id = await h.fileComplaint(conv);
    const before = h.connector.to(conv).length;
    await h.service.cases.act(id, { type: 'verify' }, { type: 'staff', id: 'U1' });
    const told = () => h.connector.to(conv).slice(before);
    await h.connector.waitFor(() => told().length > 0);
    await h.service.dispatcher.runOnce();
    await sleep(200);
    expect(told()).toHaveLength(1);
    const [notice] = told();
    expect(notice?.activity.text).toContain(id);
    expect(notice?.replyToId).toBeUndefined();
    expect(notice?.activity.replyToId).toBeUndefined();
    expect(notice?.activity).toMatchObject({
      conversation: { id: conv, tenantId: 'tenant-1' },
      recipient: { id: `29:${conv}` },
    });
  });
});

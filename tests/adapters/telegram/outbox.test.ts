import { type Notification, notify } from '../../../src/core/notifications';
import type { OutboxMessage } from '../../../src/outbox/port';
import {
  BOT_BLOCKED,
  CHAT_NOT_FOUND,
  type ScriptedAnswer,
  SERVER_ERROR,
  tooManyRequests,
} from './fake-bot-api';
import { buttons, type Harness, startHarness, TOKEN } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** Waits (bounded) until the outbox message with this key is in a state `until` accepts. */
async function outboxMessage(
  key: string,
  until: (m: OutboxMessage) => boolean,
): Promise<OutboxMessage> {
  for (let i = 0; i < 500; i++) {
    const found = (await h.service.backend.outbox.list({ channel: 'telegram', limit: 1000 })).find(
      (m) => m.idempotencyKey === key,
    );
    if (found && until(found)) return found;
    await h.service.dispatcher.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`outbox message ${key} never reached the expected state`);
}

async function enqueue(key: string, recipient: string, notification: Notification) {
  await h.service.backend.outbox.enqueue(
    [
      notify(
        { kind: 'conversation', channel: 'telegram', conversationId: recipient },
        notification,
        {
          idempotencyKey: key,
        },
      ),
    ],
    h.clock(),
  );
}

/** A notification of one text. */
const say = (text: string): Notification => ({ kind: 'replies', replies: [{ text }] });

describe('Telegram outbox sender (notifications to citizens)', () => {
  test('429 then success: the retry waits retry_after, then the citizen is told', async () => {
    const chatId = 7001;
    const id = await h.fileComplaint(chatId);
    h.fake.failNext('sendMessage', tooManyRequests(3));
    await h.service.cases.act(id, { type: 'verify' }, { type: 'staff', id: 'U1' });
    const [queued] = (await h.service.backend.outbox.list({ channel: 'telegram' })).filter(
      (m) => m.trackingId === id,
    );
    if (!queued) throw new Error('no notification queued');

    const failed = await outboxMessage(
      queued.idempotencyKey,
      (m) => m.attempts === 1 && m.status !== 'sending',
    );
    expect(failed).toMatchObject({ status: 'pending', lastError: expect.stringMatching(/429/) });
    // The dispatcher waits exactly what Telegram asked for.
    expect(new Date(failed.nextAttemptAt).getTime() - h.clock().getTime()).toBe(3_000);

    h.clock.advance(3_000);
    const sent = await outboxMessage(queued.idempotencyKey, (m) => m.status === 'sent');
    expect(sent.attempts).toBe(2);
    const told = h.fake.sent(chatId).filter((m) => m.text.includes(`Laporan ${id} sudah`));
    // Two attempts reached the API (the first refused with 429); the citizen got it once.
    expect(told).toHaveLength(2);
    expect(told[0]?.text).toMatch(/sudah diverifikasi dan diteruskan ke/);
  });

  test.each<[string, ScriptedAnswer]>([
    ['403 bot blocked', BOT_BLOCKED],
    ['400 chat not found', CHAT_NOT_FOUND],
  ])('%s → undeliverable at once, no retry', async (name, answer) => {
    const key = `blocked-${name}`;
    h.fake.failNext('sendMessage', answer);
    const calls = h.fake.sent('7002').length;
    await enqueue(key, '7002', say('Laporan ADU-7K3M9Q sudah diverifikasi.'));
    const done = await outboxMessage(key, (m) => m.status !== 'pending' && m.status !== 'sending');
    expect(done).toMatchObject({ status: 'undeliverable', attempts: 1 });
    expect(done.lastError).toMatch(String(answer.status));
    expect(h.fake.sent('7002').length - calls).toBe(1);
  });

  test('500 → retried with backoff, then sent', async () => {
    h.fake.failNext('sendMessage', SERVER_ERROR);
    await enqueue('server-error', '7003', say('Laporan ADU-7K3M9Q sedang ditindaklanjuti.'));
    const failed = await outboxMessage(
      'server-error',
      (m) => m.attempts === 1 && m.status !== 'sending',
    );
    expect(failed).toMatchObject({ status: 'pending', lastError: expect.stringMatching(/500/) });
    h.clock.advance(60_000);
    const sent = await outboxMessage('server-error', (m) => m.status === 'sent');
    expect(sent.attempts).toBe(2);
  });

  test('choices of a notification become inline buttons', async () => {
    await enqueue('resolved-1', '7004', {
      kind: 'resolved_ask',
      trackingId: 'ADU-7K3M9Q',
      seq: 4,
      lang: 'id',
      agency: 'Dinas PUPR',
      text: 'Laporan ADU-7K3M9Q dinyatakan selesai.\nApakah masalahnya sudah beres?',
      choices: [
        { label: 'Sudah beres', value: 'resolved:done:ADU-7K3M9Q' },
        { label: 'Belum', value: 'resolved:not_done:ADU-7K3M9Q' },
      ],
    });
    await outboxMessage('resolved-1', (m) => m.status === 'sent');
    expect(buttons(h.fake.sent('7004')[0])).toEqual([
      'resolved:done:ADU-7K3M9Q',
      'resolved:not_done:ADU-7K3M9Q',
    ]);
  });

  test('an answer that is not JSON is retried, and the stored error does not show the token', async () => {
    h.fake.failNext('sendMessage', { status: 404, body: '<html>Not Found</html>' });
    await enqueue('html-answer', '7006', say('Laporan ADU-7K3M9Q sedang ditindaklanjuti.'));
    const failed = await outboxMessage(
      'html-answer',
      (m) => m.attempts === 1 && m.status !== 'sending',
    );
    expect(failed).toMatchObject({ status: 'pending', lastError: expect.stringMatching(/json/i) });
    expect(failed.lastError).not.toContain(TOKEN.split(':')[1]);
  });

  test('a payload that can never be sent is undeliverable, with the reason', async () => {
    await h.service.backend.outbox.enqueue(
      [
        {
          idempotencyKey: 'bad-payload',
          channel: 'telegram',
          recipient: '7005',
          payload: { choices: 'nope' },
        },
      ],
      h.clock(),
    );
    const done = await outboxMessage('bad-payload', (m) => m.status === 'undeliverable');
    expect(done.lastError).toMatch(/bad payload/);
    expect(h.fake.sent('7005')).toEqual([]);
  });
});

import { notify } from '../../../src/core/notifications';
import type { NewOutboxMessage, OutboxMessage } from '../../../src/outbox/port';
import { buttons, type Harness, startHarness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** Queues messages and runs the dispatcher until `key` is settled (bounded). */
async function deliver(key: string, ...messages: NewOutboxMessage[]): Promise<OutboxMessage> {
  await h.service.backend.outbox.enqueue(messages, h.clock());
  for (let i = 0; i < 500; i++) {
    await h.service.dispatcher.runOnce();
    const found = await h.service.backend.outbox
      .list({ channel: 'telegram', limit: 1000 })
      .then((all) => all.find((m) => m.idempotencyKey === key));
    if (found && found.status !== 'pending' && found.status !== 'sending') return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`outbox message ${key} was never settled`);
}

/** An outbox message to a Telegram chat with a payload as an older version stored it. */
const stored = (key: string, chat: string, payload: Record<string, unknown>): NewOutboxMessage => ({
  idempotencyKey: key,
  channel: 'telegram',
  recipient: chat,
  payload,
});

const ID = 'ADU-7K3M9Q';
const to = (chat: string) =>
  ({ kind: 'conversation', channel: 'telegram', conversationId: chat }) as const;

describe('Telegram: payloads queued before the upgrade still deliver', () => {
  test('{ text }', async () => {
    const m = await deliver('old-text', stored('old-text', '8001', { text: `Laporan ${ID} ok.` }));
    expect(m.status).toBe('sent');
    expect(h.fake.sent('8001').map((s) => s.text)).toEqual([`Laporan ${ID} ok.`]);
  });

  test('{ text, choices }', async () => {
    const payload = {
      text: 'Apakah masalahnya sudah beres?',
      choices: [
        { label: 'Sudah beres', value: `resolved:done:${ID}` },
        { label: 'Belum', value: `resolved:not_done:${ID}` },
      ],
    };
    expect((await deliver('old-choices', stored('old-choices', '8002', payload))).status).toBe(
      'sent',
    );
    expect(buttons(h.fake.sent('8002')[0])).toEqual([
      `resolved:done:${ID}`,
      `resolved:not_done:${ID}`,
    ]);
  });

  test('{ replies, replyTo, lang }', async () => {
    const payload = {
      replies: [{ text: 'Halo!' }, { text: 'Di mana lokasinya?', requestLocation: true }],
      replyTo: '501',
      lang: 'en',
    };
    expect((await deliver('old-replies', stored('old-replies', '8003', payload))).status).toBe(
      'sent',
    );
    const sent = h.fake.sent('8003');
    expect(sent.map((s) => s.text)).toEqual(['Halo!', 'Di mana lokasinya?']);
    // The stored language still picks the location button's words.
    expect(JSON.stringify(sent[1]?.reply_markup)).toContain('Send my location');
  });
});

describe('Telegram renders the citizen kinds', () => {
  test('a status change and the resolved case question (with its buttons)', async () => {
    const about = { trackingId: ID, lang: 'id', agency: 'Dinas PUPR' } as const;
    await deliver(
      'resolved',
      notify(
        to('8004'),
        {
          kind: 'case_status',
          ...about,
          seq: 2,
          event: 'start',
          text: `Laporan ${ID} dikerjakan.`,
        },
        { idempotencyKey: 'started' },
      ),
      notify(
        to('8004'),
        {
          kind: 'resolved_ask',
          ...about,
          seq: 3,
          text: `Laporan ${ID} selesai.\nApakah masalahnya sudah beres?`,
          choices: [{ label: 'Sudah beres', value: `resolved:done:${ID}` }],
        },
        { idempotencyKey: 'resolved' },
      ),
    );
    const sent = h.fake.sent('8004');
    expect(sent.map((s) => s.text)).toEqual([
      `Laporan ${ID} dikerjakan.`,
      `Laporan ${ID} selesai.\nApakah masalahnya sudah beres?`,
    ]);
    expect(buttons(sent[1])).toEqual([`resolved:done:${ID}`]);
  });

  test('a kind meant for staff desks is undeliverable, with a clear error, and sends nothing', async () => {
    const digest = notify(
      to('8005'),
      { kind: 'digest', agencyId: 'dinas-pupr', date: '2026-12-02', items: [] },
      { idempotencyKey: 'digest-to-telegram' },
    );
    const opened = notify(
      to('8005'),
      { kind: 'case_opened', trackingId: ID, seq: 1, type: 'created' },
      { idempotencyKey: 'opened-to-telegram' },
    );
    expect(await deliver('digest-to-telegram', digest)).toMatchObject({
      status: 'undeliverable',
      attempts: 1,
      lastError: 'telegram does not deliver "digest" notifications',
    });
    expect(await deliver('opened-to-telegram', opened)).toMatchObject({
      status: 'undeliverable',
      lastError: 'telegram does not deliver "case_opened" notifications',
    });
    expect(h.fake.sent('8005')).toEqual([]);
  });
});

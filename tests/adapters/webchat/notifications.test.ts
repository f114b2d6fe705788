import { notify } from '../../../src/core/notifications';
import type { NewOutboxMessage } from '../../../src/outbox/port';
import { botMessages, poll, type Started, startConversation, startWebchat } from './helpers';

type Service = Awaited<ReturnType<typeof startWebchat>>;
let service: Service;
beforeAll(async () => {
  service = await startWebchat();
});
afterAll(() => service.stop());

const ID = 'ADU-7K3M9Q';

/**
 * Queues messages, runs the dispatcher until they are settled (bounded), and returns each one's
 * status and error by key.
 */
async function deliver(...messages: NewOutboxMessage[]) {
  await service.backend.outbox.enqueue(messages, new Date(0));
  const keys = new Set(messages.map((m) => m.idempotencyKey));
  for (let i = 0; i < 500; i++) {
    await service.dispatcher.runOnce();
    const ours = (await service.backend.outbox.list({ channel: 'webchat', limit: 1000 })).filter(
      (m) => keys.has(m.idempotencyKey),
    );
    if (ours.every((m) => m.status !== 'pending' && m.status !== 'sending')) {
      return Object.fromEntries(ours.map((m) => [m.idempotencyKey, [m.status, m.lastError]]));
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the outbox messages were never settled');
}

/** The bot's messages in a conversation: text and button values. */
async function shown(s: Started) {
  return botMessages((await poll(service.api, s)).activities).map((a) => ({
    text: a.text,
    replyToId: a.replyToId,
    values: (
      (a.suggestedActions as { actions?: { value: string }[] } | undefined)?.actions ?? []
    ).map((x) => x.value),
  }));
}

const stored = (key: string, s: Started, payload: Record<string, unknown>): NewOutboxMessage => ({
  idempotencyKey: key,
  channel: 'webchat',
  recipient: s.conversationId,
  payload,
});

describe('web chat: payloads queued before the upgrade still deliver', () => {
  test('{ text }, { text, choices } and { replies, replyTo, lang }', async () => {
    const s = await startConversation(service.api);
    const choices = [{ label: 'Sudah beres', value: `resolved:done:${ID}` }];
    expect(
      await deliver(
        stored('old-1', s, { text: `Laporan ${ID} sedang ditindaklanjuti.` }),
        stored('old-2', s, { text: 'Apakah masalahnya sudah beres?', choices }),
        stored('old-3', s, { replies: [{ text: 'Halo!' }], replyTo: 'act-1', lang: 'id' }),
      ),
    ).toEqual({
      'old-1': ['sent', undefined],
      'old-2': ['sent', undefined],
      'old-3': ['sent', undefined],
    });
    expect(await shown(s)).toEqual([
      { text: `Laporan ${ID} sedang ditindaklanjuti.`, replyToId: undefined, values: [] },
      {
        text: 'Apakah masalahnya sudah beres?',
        replyToId: undefined,
        values: choices.map((c) => c.value),
      },
      { text: 'Halo!', replyToId: 'act-1', values: [] },
    ]);
  });
});

describe('web chat renders the citizen kinds', () => {
  test("an officer's reply and the resolved case question; a staff kind is undeliverable", async () => {
    const s = await startConversation(service.api);
    const to = {
      kind: 'conversation',
      channel: 'webchat',
      conversationId: s.conversationId,
    } as const;
    const about = { trackingId: ID, lang: 'en', agency: 'Public Works' } as const;
    const choices = [
      { label: 'Fixed', value: `resolved:done:${ID}` },
      { label: 'Not yet', value: `resolved:not_done:${ID}` },
    ];
    expect(
      await deliver(
        notify(
          to,
          {
            kind: 'officer_reply',
            ...about,
            seq: 2,
            note: 'On our way.',
            text: 'Officer: On our way.',
          },
          { idempotencyKey: 'reply-2' },
        ),
        notify(
          to,
          { kind: 'resolved_ask', ...about, seq: 3, text: 'Resolved. Is it fixed?', choices },
          { idempotencyKey: 'ask-3' },
        ),
        notify(
          to,
          { kind: 'case_changed', trackingId: ID, seq: 4, type: 'start' },
          { idempotencyKey: 'staff-4' },
        ),
      ),
    ).toEqual({
      'reply-2': ['sent', undefined],
      'ask-3': ['sent', undefined],
      'staff-4': ['undeliverable', 'webchat does not deliver "case_changed" notifications'],
    });
    expect(await shown(s)).toEqual([
      { text: 'Officer: On our way.', replyToId: undefined, values: [] },
      { text: 'Resolved. Is it fixed?', replyToId: undefined, values: choices.map((c) => c.value) },
    ]);
  });
});

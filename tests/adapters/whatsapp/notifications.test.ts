import type { OutboxMessage } from '../../../src/outbox/port';
import { graphError } from './fake-graph-api';
import { bodyOf, type Harness, startHarness, TRACKING_ID } from './harness';
import * as wa from './payloads';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const STAFF = { type: 'staff', id: 'U1' } as const;
const DAY = 24 * 3600_000;

/** The notice about case `id` for status change `event` (bounded wait until it is queued). */
async function notice(id: string, event: string): Promise<OutboxMessage> {
  for (let i = 0; i < 200; i++) {
    const all = await h.service.backend.outbox.list({ channel: 'whatsapp', limit: 1000 });
    const found = all.find((m) => m.trackingId === id && m.payload.event === event);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no ${event} notice for ${id}`);
}

/** Files a complaint for `user` and verifies it; returns the tracking id once that notice is sent. */
async function verifiedCase(user: wa.WaUser): Promise<string> {
  const id = await h.fileComplaint(user);
  await h.service.cases.act(id, { type: 'verify' }, STAFF);
  await h.outboxMessage((await notice(id, 'verify')).idempotencyKey, (m) => m.status === 'sent');
  return id;
}

/** The notices sent to `user` about case `id` (texts and templates; not the filing's replies). */
const about = (user: string, id: string) =>
  h.fake
    .sent(user)
    .filter(
      (m) =>
        (bodyOf(m).includes(id) && !/tercatat dengan nomor/.test(bodyOf(m))) ||
        m.template?.components[0]?.parameters[0]?.text === id,
    );

describe('WhatsApp notifications through the outbox', () => {
  test('inside the 24-hour window as free text; outside it as the template with the tracking id and status', async () => {
    const user = { waId: '6281234570001' };
    const id = await verifiedCase(user);
    const inside = about(user.waId, id);
    expect(inside).toHaveLength(1);
    expect(inside[0]).toMatchObject({ type: 'text', to: user.waId });
    expect(bodyOf(inside[0] as never)).toMatch(/diverifikasi/);

    // A day and an hour later the citizen has not written: the window is closed.
    h.clock.advance(DAY + 3600_000);
    await h.service.cases.act(id, { type: 'start' }, STAFF);
    const started = await h.outboxMessage(
      (await notice(id, 'start')).idempotencyKey,
      (m) => m.status === 'sent',
    );
    expect(started.attempts).toBe(1);
    const sent = about(user.waId, id);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({
      type: 'template',
      to: user.waId,
      template: {
        name: 'suara_status',
        language: { code: 'id' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: id },
              { type: 'text', text: 'sedang ditindaklanjuti' },
            ],
          },
        ],
      },
    });

    // The citizen writes again: the window is open again, free text again.
    await h.deliver(wa.text(user, h.clock(), 'terima kasih'), user.waId, () => true);
    await h.service.cases.act(
      id,
      { type: 'note', note: 'Tim kami datang besok pagi.', public: true },
      STAFF,
    );
    const noted = (await h.service.backend.outbox.list({ channel: 'whatsapp', limit: 1000 })).find(
      (m) => m.trackingId === id && m.payload.kind === 'officer_reply',
    );
    await h.outboxMessage(noted?.idempotencyKey ?? '', (m) => m.status === 'sent');
    expect(about(user.waId, id).at(-1)).toMatchObject({ type: 'text' });
    expect(bodyOf(about(user.waId, id).at(-1) as never)).toMatch(/Tim kami datang besok pagi/);
  });

  test('131047 (re-engagement required): retried at once as the template', async () => {
    const user = { waId: '6281234570002' };
    const id = await verifiedCase(user);
    h.fake.failNext(graphError(131047, 'Re-engagement message'), 1, user.waId);
    await h.service.cases.act(id, { type: 'start' }, STAFF);
    const m = await h.outboxMessage(
      (await notice(id, 'start')).idempotencyKey,
      (x) => x.status === 'sent',
    );
    expect(m.attempts).toBe(2);
    const attempts = h.fake
      .sends()
      .filter((c) => c.body.to === user.waId)
      .slice(-2);
    expect(attempts.map((c) => c.body.type)).toEqual(['text', 'template']);
  });

  test.each([
    [130429, 'Rate limit hit'],
    [131056, '(Business Account, Consumer Account) pair rate limit hit'],
  ])('%i (%s): retried after a backoff, then delivered once', async (code, message) => {
    const user = { waId: `62812345701${code % 100}` };
    const id = await verifiedCase(user);
    h.fake.failNext(graphError(code, message), 1, user.waId);
    await h.service.cases.act(id, { type: 'start' }, STAFF);
    const key = (await notice(id, 'start')).idempotencyKey;
    const failed = await h.outboxMessage(key, (m) => m.attempts === 1 && m.status === 'pending');
    expect(failed.lastError).toContain(`WhatsApp ${code}`);
    const wait = new Date(failed.nextAttemptAt).getTime() - h.clock().getTime();
    expect(wait).toBeGreaterThan(0);

    h.clock.advance(wait);
    const sent = await h.outboxMessage(key, (m) => m.status === 'sent');
    expect(sent.attempts).toBe(2);
    expect(about(user.waId, id).filter((m) => bodyOf(m).includes('ditindaklanjuti'))).toHaveLength(
      1,
    );
  });

  test('an invalid recipient (131026) is undeliverable at once', async () => {
    const user = { waId: '6281234570004' };
    const id = await verifiedCase(user);
    h.fake.failNext(graphError(131026, 'Message undeliverable'), 1, user.waId);
    await h.service.cases.act(id, { type: 'start' }, STAFF);
    const m = await h.outboxMessage(
      (await notice(id, 'start')).idempotencyKey,
      (x) => x.status === 'undeliverable',
    );
    expect(m).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/^WhatsApp 131026/) });
  });

  test("a failed status callback marks the notification undeliverable with Meta's error code", async () => {
    const user = { waId: '6281234570005' };
    const id = await verifiedCase(user);
    const verified = await notice(id, 'verify');
    const wamid = about(user.waId, id)[0]?.wamid as string;
    expect(wamid).toMatch(/^wamid\./);

    const res = await h.post(wa.status(wamid, user, 'failed', 131026));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ failedStatuses: 1 });
    expect(await h.service.backend.outbox.get(verified.id)).toMatchObject({
      status: 'undeliverable',
      lastError: expect.stringMatching(/^WhatsApp 131026: Message Undeliverable/),
    });
  });

  test('a status callback failed with 131047: the notification goes out again as the template', async () => {
    const user = { waId: '6281234570006' };
    const id = await verifiedCase(user);
    const verified = await notice(id, 'verify');
    const wamid = about(user.waId, id)[0]?.wamid as string;
    await h.post(wa.status(wamid, user, 'failed', 131047)).expect(200);
    const again = await h.outboxMessage(verified.idempotencyKey, (m) => m.status === 'sent');
    expect(again.attempts).toBe(2);
    expect(about(user.waId, id).at(-1)).toMatchObject({
      type: 'template',
      template: { components: [{ parameters: [{ text: id }, { text: 'diverifikasi' }] }] },
    });
  });

  test("the template's quick-reply button shows the case's status", async () => {
    const user = { waId: '6281234570007' };
    const id = await verifiedCase(user);
    h.clock.advance(DAY + 60_000);
    await h.service.cases.act(id, { type: 'start' }, STAFF);
    await h.outboxMessage((await notice(id, 'start')).idempotencyKey, (m) => m.status === 'sent');
    const template = about(user.waId, id).find((m) => m.type === 'template');
    expect(template).toBeDefined();

    const got = await h.deliver(
      wa.templateButton(user, h.clock(), 'Cek status', template?.wamid as string),
      user.waId,
      (m) => bodyOf(m).includes(id),
    );
    expect(got.map(bodyOf).join('\n')).toMatch(TRACKING_ID);
  });
});

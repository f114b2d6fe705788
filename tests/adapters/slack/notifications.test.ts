import { notify } from '../../../src/core/notifications';
import type { NewOutboxMessage } from '../../../src/outbox/port';
import { type Harness, PUPR, startSlackService } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startSlackService();
});
afterEach(async () => {
  await h.stop();
});

/** Queues messages on the outbox and delivers everything due. */
async function deliver(...messages: NewOutboxMessage[]): Promise<void> {
  await h.service.backend.outbox.enqueue(messages, h.clock());
  await h.deliver();
}

async function outboxMessage(key: string) {
  const found = (await h.service.backend.outbox.list({ channel: 'staff', limit: 1000 })).find(
    (m) => m.idempotencyKey === key,
  );
  if (!found) throw new Error(`no outbox message ${key}`);
  return found;
}

describe('Slack: staff payloads queued before the upgrade still deliver', () => {
  test('{ event, seq, type }: the case message is brought up to date', async () => {
    const c = await h.openCase();
    const posted = await h.messageOf(c.trackingId);
    h.fake.clear();
    await deliver({
      idempotencyKey: 'old-staff',
      channel: 'staff',
      recipient: 'dinas-pupr',
      orderingKey: `case:${c.trackingId}`,
      trackingId: c.trackingId,
      payload: { event: 'case_changed', seq: 1, type: 'created' },
    });
    expect((await outboxMessage('old-staff')).status).toBe('sent');
    const [update] = h.fake.of('chat.update');
    expect(update?.args).toMatchObject({ channel: PUPR, ts: posted?.ts });
    expect(JSON.stringify(update?.args.blocks)).toContain(c.trackingId);
  });

  test("{ event: 'digest', date, items }: the digest is posted in the agency's channel", async () => {
    const c = await h.openCase();
    h.fake.clear();
    await deliver({
      idempotencyKey: 'old-digest',
      channel: 'staff',
      recipient: 'dinas-pupr',
      payload: {
        event: 'digest',
        date: '2026-12-02',
        items: [{ trackingId: c.trackingId, state: 'overdue' }],
      },
    });
    expect((await outboxMessage('old-digest')).status).toBe('sent');
    const [post] = h.fake.of('chat.postMessage');
    expect(post?.args.channel).toBe(PUPR);
    const blocks = JSON.stringify(post?.args.blocks);
    expect(blocks).toContain('Deadline reminder for 2026-12-02');
    expect(blocks).toContain('Overdue');
    expect(blocks).toContain(c.trackingId);
  });
});

describe('Slack renders the staff kinds only', () => {
  test('a citizen kind addressed to a desk is undeliverable, with a clear error', async () => {
    await deliver(
      notify(
        { kind: 'desk', agencyId: 'dinas-pupr' },
        { kind: 'replies', replies: [{ text: 'Halo!' }] },
        { idempotencyKey: 'replies-to-desk' },
      ),
    );
    expect(await outboxMessage('replies-to-desk')).toMatchObject({
      status: 'undeliverable',
      attempts: 1,
      lastError: 'the Slack desk does not deliver "replies" notifications',
    });
    expect(h.fake.of('chat.postMessage')).toEqual([]);
  });

  test('a payload that is no notification is undeliverable, naming the field', async () => {
    await deliver({
      idempotencyKey: 'garbage',
      channel: 'staff',
      recipient: 'dinas-pupr',
      payload: { event: 'case_opened', seq: 'one' },
    });
    expect(await outboxMessage('garbage')).toMatchObject({
      status: 'undeliverable',
      lastError: expect.stringMatching(/^bad payload: /),
    });
  });
});

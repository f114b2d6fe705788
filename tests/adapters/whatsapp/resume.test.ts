import { WORK_CHANNEL } from '../../../adapters/whatsapp/processor';
import { bodyOf, type Harness, startHarness } from './harness';
import * as wa from './payloads';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, { sweepMs: 100, workLeaseMs: 2_000 });
});
afterAll(() => h.close());

describe('WhatsApp: kept messages survive the instance that accepted them', () => {
  test('a message kept by an instance that died is taken over, answered once, and finished', async () => {
    const user = { waId: '6281234580001' };
    const id = wa.nextWamid();
    const call = wa.text(user, h.clock(), 'halo', id) as {
      entry: { changes: { value: { messages: unknown[]; contacts: unknown[] } }[] }[];
    };
    const value = call.entry[0]?.changes[0]?.value;
    // What the webhook keeps, held by another instance whose lease has run out.
    const past = new Date(h.clock().getTime() - 60_000);
    const kept = await h.service.backend.ledger.recordWork(
      WORK_CHANNEL,
      id,
      past,
      { message: value?.messages[0], contact: value?.contacts[0] },
      { owner: 'instance-that-died', leaseMs: 2_000, now: past, key: user.waId, order: 1 },
    );
    expect(kept).toBe(true);

    await h.fake.waitFor(
      () => h.fake.sent(user.waId).some((m) => /Halo! Saya Suara/.test(bodyOf(m))),
      'the answer to the kept message',
    );
    await h.outboxMessage(`reply:whatsapp:${id}`, (m) => m.status === 'sent');
    expect(await h.service.backend.ledger.queuedWork(WORK_CHANNEL, user.waId, 10)).toEqual([]);
    // Meta delivering it again now changes nothing.
    const again = await h.post(call);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 1 });
  });
});

import { isCodedError } from '../../../src/errors';
import type { OutboxMessage } from '../../../src/outbox/port';
import type { Backend } from '../../../src/store/backend';
import { createdEvent, makeCase } from '../../support/fixtures';
import { freshBackend } from './setup';

/** The outbox contract: every backend runs this same suite. */
export function runOutboxContract(name: string, factory: () => Promise<Backend>): void {
  describe(`outbox contract: ${name}`, () => {
    const backend = freshBackend(factory);

    const now = new Date('2026-11-27T02:00:00.000Z');

    describe('outbox', () => {
      const msg = (key: string, channel = 'telegram', recipient = `chat-${key}`) => ({
        idempotencyKey: key,
        channel,
        recipient,
        payload: { text: `pesan ${key}` },
        trackingId: 'ADU-7K3M9Q',
      });

      test('a change set can lease its new messages to the dispatcher in its own commit, where order allows', async () => {
        // An earlier message of chat-b is still open: chat-b's new one must wait behind it.
        await backend.outbox.enqueue([msg('b-1', 'telegram', 'chat-b')], now);
        await backend.outbox.enqueue([msg('dup', 'telegram', 'chat-d')], now);
        const took: { keys: string[]; left: number }[] = [];
        const lease = {
          channels: ['telegram'],
          leaseMs: 60_000,
          took: (leased: { idempotencyKey: string }[], left: number) =>
            took.push({ keys: leased.map((m) => m.idempotencyKey), left }),
        };
        await backend.commit({
          now,
          outbox: [
            msg('a-1', 'telegram', 'chat-a'),
            msg('a-2', 'telegram', 'chat-a'), // behind a-1, new in the same commit
            msg('b-2', 'telegram', 'chat-b'),
            msg('dup', 'telegram', 'chat-d'), // queued before: not new, not leased
            { ...msg('later', 'telegram', 'chat-l'), notBefore: new Date(now.getTime() + 60_000) },
            msg('w-1', 'webchat', 'conv-1'), // another channel: not asked for
          ],
          lease,
        });
        expect(took).toEqual([{ keys: ['a-1'], left: 3 }]);
        const a = (await backend.outbox.list({ status: 'sending' })).map((m) => m.idempotencyKey);
        expect(a).toEqual(['a-1']);
        const leased = (await backend.outbox.list({ status: 'sending' }))[0];
        expect(leased).toMatchObject({ attempts: 1, uncertain: 0, leaseToken: expect.any(String) });
        // A leased message is settled like a claimed one.
        expect(
          await backend.outbox.settle(
            { id: leased?.id ?? '', leaseToken: leased?.leaseToken ?? '' },
            { status: 'sent', at: now },
          ),
        ).toBe(true);
        // A failed commit leases nothing and tells nobody.
        const failed = await backend
          .commit({
            outbox: [msg('x-1', 'telegram', 'chat-x')],
            events: [createdEvent(makeCase({ trackingId: 'ADU-NONE00' }))], // no such case
            lease,
          })
          .catch((e: unknown) => e);
        expect(failed).toMatchObject({ message: expect.stringMatching(/foreign key/i) });
        expect(took).toHaveLength(1);
        const all = (await backend.outbox.list()).map((m) => m.idempotencyKey);
        expect(all).not.toContain('x-1');
      });

      test('a duplicate idempotency key is stored once', async () => {
        await backend.outbox.enqueue([msg('a')], now);
        await backend.outbox.enqueue([msg('a')], now);
        await backend.commit({ outbox: [msg('a')] });
        const all = await backend.outbox.list();
        expect(all).toHaveLength(1);
        expect(all[0]).toMatchObject({
          idempotencyKey: 'a',
          status: 'pending',
          attempts: 0,
          payload: { text: 'pesan a' },
        });
      });

      test('claim leases due messages of the asked channels once, then again after the lease', async () => {
        await backend.outbox.enqueue(
          [
            msg('a'),
            msg('b', 'slack'),
            { ...msg('later'), notBefore: new Date(now.getTime() + 60_000) },
          ],
          now,
        );
        const first = await backend.outbox.claim({
          channels: ['telegram'],
          now,
          limit: 10,
          leaseMs: 30_000,
        });
        expect(first.map((m) => m.idempotencyKey)).toEqual(['a']);
        expect(first[0]).toMatchObject({ status: 'sending', attempts: 1 });
        expect(
          await backend.outbox.claim({ channels: ['telegram'], now, limit: 10, leaseMs: 30_000 }),
        ).toEqual([]);
        const afterLease = new Date(now.getTime() + 30_000);
        const again = await backend.outbox.claim({
          channels: ['telegram'],
          now: afterLease,
          limit: 10,
          leaseMs: 60_000,
        });
        expect(again.map((m) => [m.idempotencyKey, m.attempts])).toEqual([['a', 2]]);
        const later = new Date(now.getTime() + 61_000);
        const due = await backend.outbox.claim({
          channels: ['telegram', 'slack'],
          now: later,
          limit: 10,
          leaseMs: 30_000,
        });
        expect(due.map((m) => m.idempotencyKey).sort()).toEqual(['b', 'later']);
      });

      test('claim respects the limit', async () => {
        await backend.outbox.enqueue([msg('1'), msg('2'), msg('3')], now);
        expect(
          await backend.outbox.claim({ channels: ['telegram'], now, limit: 2, leaseMs: 1000 }),
        ).toHaveLength(2);
      });

      test('settle: sent, retry later, dead and undeliverable', async () => {
        await backend.outbox.enqueue([msg('s'), msg('r'), msg('d'), msg('u')], now);
        const leased = await backend.outbox.claim({
          channels: ['telegram'],
          now,
          limit: 10,
          leaseMs: 1000,
        });
        const lease = (k: string) => {
          const m = leased.find((x) => x.idempotencyKey === k);
          return { id: m?.id as string, leaseToken: m?.leaseToken as string };
        };
        const id = (k: string) => lease(k).id;
        const at = new Date(now.getTime() + 10);
        expect(await backend.outbox.settle(lease('s'), { status: 'sent', at })).toBe(true);
        await backend.outbox.settle(lease('r'), {
          status: 'retry',
          at,
          nextAttemptAt: new Date(now.getTime() + 5000),
          error: 'HTTP 502',
        });
        await backend.outbox.settle(lease('d'), { status: 'dead', at, error: 'gave up' });
        await backend.outbox.settle(lease('u'), {
          status: 'undeliverable',
          at,
          error: '403 blocked',
        });
        expect(await backend.outbox.get(id('s'))).toMatchObject({
          status: 'sent',
          sentAt: at.toISOString(),
        });
        expect(await backend.outbox.get(id('r'))).toMatchObject({
          status: 'pending',
          lastError: 'HTTP 502',
          nextAttemptAt: new Date(now.getTime() + 5000).toISOString(),
        });
        expect(
          (await backend.outbox.list({ status: 'dead' })).map((m) => m.idempotencyKey),
        ).toEqual(['d']);
        expect(
          (await backend.outbox.list({ status: 'undeliverable' })).map((m) => m.lastError),
        ).toEqual(['403 blocked']);
        // Not due yet, then due.
        expect(
          await backend.outbox.claim({ channels: ['telegram'], now: at, limit: 10, leaseMs: 1000 }),
        ).toEqual([]);
        const retried = await backend.outbox.claim({
          channels: ['telegram'],
          now: new Date(now.getTime() + 5000),
          limit: 10,
          leaseMs: 1000,
        });
        expect(retried.map((m) => m.idempotencyKey)).toEqual(['r']);
      });

      test('settling an unknown message fails with not_found', async () => {
        const err = await backend.outbox
          .settle({ id: 'nope', leaseToken: 'x' }, { status: 'sent', at: now })
          .catch((e: unknown) => e);
        expect(isCodedError(err, 'not_found')).toBe(true);
      });

      test('markUndeliverable: a sent or sending message becomes undeliverable; others stay as they are', async () => {
        await backend.outbox.enqueue([msg('sent'), msg('sending'), msg('retrying')], now);
        const leased = await backend.outbox.claim({
          channels: ['telegram'],
          now,
          limit: 10,
          leaseMs: 60_000,
        });
        const find = (k: string) => leased.find((m) => m.idempotencyKey === k) as OutboxMessage;
        const lease = (k: string) => ({ id: find(k).id, leaseToken: find(k).leaseToken as string });
        const at = new Date(now.getTime() + 1000);
        await backend.outbox.settle(lease('sent'), { status: 'sent', at });
        await backend.outbox.settle(lease('retrying'), {
          status: 'retry',
          at,
          nextAttemptAt: new Date(now.getTime() + 5000),
          error: 'HTTP 502',
        });
        const later = new Date(now.getTime() + 60_000);
        expect(
          await backend.outbox.markUndeliverable(find('sent').id, 'WhatsApp 131026', later),
        ).toBe(true);
        expect(await backend.outbox.get(find('sent').id)).toMatchObject({
          status: 'undeliverable',
          lastError: 'WhatsApp 131026',
          updatedAt: later.toISOString(),
        });
        // Still being sent: marked, and the send's own result can no longer settle it.
        expect(await backend.outbox.markUndeliverable(find('sending').id, 'failed', later)).toBe(
          true,
        );
        expect(await backend.outbox.settle(lease('sending'), { status: 'sent', at: later })).toBe(
          false,
        );
        const sending = await backend.outbox.get(find('sending').id);
        expect(sending).toMatchObject({ status: 'undeliverable', lastError: 'failed' });
        expect(sending?.leaseToken).toBeUndefined();
        // Waiting for a retry, or undeliverable already: unchanged.
        expect(await backend.outbox.markUndeliverable(find('retrying').id, 'x', later)).toBe(false);
        expect(await backend.outbox.get(find('retrying').id)).toMatchObject({
          status: 'pending',
          lastError: 'HTTP 502',
        });
        expect(await backend.outbox.markUndeliverable(find('sent').id, 'again', later)).toBe(false);
        expect((await backend.outbox.get(find('sent').id))?.lastError).toBe('WhatsApp 131026');
        expect(await backend.outbox.count()).toMatchObject({ undeliverable: 2, pending: 1 });
        const err = await backend.outbox
          .markUndeliverable('nope', 'x', later)
          .catch((e: unknown) => e);
        expect(isCodedError(err, 'not_found')).toBe(true);
      });

      test('a late result from an expired lease does not overwrite the current holder’s', async () => {
        await backend.outbox.enqueue([msg('m')], now);
        const claim = (at: number) =>
          backend.outbox.claim({
            channels: ['telegram'],
            now: new Date(at),
            limit: 1,
            leaseMs: 1000,
          });
        const [a] = await claim(now.getTime());
        const [b] = await claim(now.getTime() + 1000); // A's lease expired; B takes over
        expect(a?.leaseToken).toBeDefined();
        expect(b?.leaseToken).toBeDefined();
        expect(b?.leaseToken).not.toBe(a?.leaseToken);
        const at = new Date(now.getTime() + 1500);
        const leaseOf = (m: typeof a) => ({
          id: m?.id as string,
          leaseToken: m?.leaseToken as string,
        });
        expect(await backend.outbox.settle(leaseOf(b), { status: 'sent', at })).toBe(true);
        const late = await backend.outbox.settle(leaseOf(a), {
          status: 'retry',
          at,
          nextAttemptAt: at,
          error: 'timeout',
        });
        expect(late).toBe(false);
        expect((await backend.outbox.get(a?.id as string))?.status).toBe('sent');
      });
      test("one recipient's messages are handed out one at a time, in the order queued", async () => {
        await backend.outbox.enqueue([msg('1', 'telegram', '7'), msg('2', 'telegram', '7')], now);
        await backend.outbox.enqueue([msg('x', 'telegram', '8'), msg('3', 'telegram', '7')], now);
        const claim = (at: Date, limit = 10) =>
          backend.outbox.claim({ channels: ['telegram'], now: at, limit, leaseMs: 60_000 });
        const first = await claim(now);
        expect(first.map((m) => m.idempotencyKey).sort()).toEqual(['1', 'x']);
        // While '1' is being sent (or retried later), '2' waits.
        expect(await claim(now)).toEqual([]);
        const one = first.find((m) => m.idempotencyKey === '1');
        await backend.outbox.settle(
          { id: one?.id as string, leaseToken: one?.leaseToken as string },
          { status: 'retry', at: now, nextAttemptAt: new Date(now.getTime() + 5000), error: '500' },
        );
        expect(await claim(new Date(now.getTime() + 100))).toEqual([]);
        const again = await claim(new Date(now.getTime() + 5000));
        expect(again.map((m) => m.idempotencyKey)).toEqual(['1']);
        await backend.outbox.settle(
          { id: again[0]?.id as string, leaseToken: again[0]?.leaseToken as string },
          { status: 'dead', at: now, error: 'gave up' },
        );
        // A dead message no longer holds the others back.
        const next = await claim(new Date(now.getTime() + 5000));
        expect(next.map((m) => m.idempotencyKey)).toEqual(['2']);
        // A message scheduled for later holds nobody back.
        await backend.outbox.enqueue(
          [
            {
              ...msg('tomorrow', 'telegram', '9'),
              notBefore: new Date(now.getTime() + 86_400_000),
            },
            msg('today', 'telegram', '9'),
          ],
          now,
        );
        expect((await claim(now)).map((m) => m.idempotencyKey)).toEqual(['today']);
        // An explicit ordering key groups messages of several recipients.
        await backend.outbox.enqueue(
          [
            { ...msg('c1', 'staff', 'agency-a'), orderingKey: 'case:ADU-1' },
            { ...msg('c2', 'staff', 'agency-b'), orderingKey: 'case:ADU-1' },
          ],
          now,
        );
        const staff = await backend.outbox.claim({
          channels: ['staff'],
          now,
          limit: 10,
          leaseMs: 1000,
        });
        expect(staff.map((m) => [m.idempotencyKey, m.orderingKey])).toEqual([['c1', 'case:ADU-1']]);
      });

      test('taking over an expired lease counts an uncertain attempt; progress and uncertain are kept', async () => {
        await backend.outbox.enqueue([msg('u')], now);
        const [a] = await backend.outbox.claim({
          channels: ['telegram'],
          now,
          limit: 1,
          leaseMs: 1000,
        });
        expect(a).toMatchObject({ uncertain: 0, progress: 0, retryingSince: now.toISOString() });
        const later = new Date(now.getTime() + 1000);
        const [b] = await backend.outbox.claim({
          channels: ['telegram'],
          now: later,
          limit: 1,
          leaseMs: 1000,
        });
        expect(b).toMatchObject({ uncertain: 1, attempts: 2 });
        await backend.outbox.settle(
          { id: b?.id as string, leaseToken: b?.leaseToken as string },
          {
            status: 'retry',
            at: later,
            nextAttemptAt: later,
            error: 'reset',
            progress: 2,
            uncertain: true,
          },
        );
        expect(await backend.outbox.get(b?.id as string)).toMatchObject({
          status: 'pending',
          progress: 2,
          uncertain: 2,
        });
      });

      test('retry queues dead letters again with a fresh budget; counts by status', async () => {
        await backend.outbox.enqueue([msg('d1'), msg('d2'), msg('ok')], now);
        const leased = await backend.outbox.claim({
          channels: ['telegram'],
          now,
          limit: 10,
          leaseMs: 1000,
        });
        for (const m of leased) {
          await backend.outbox.settle(
            { id: m.id, leaseToken: m.leaseToken as string },
            m.idempotencyKey === 'ok'
              ? { status: 'sent', at: now }
              : { status: 'dead', at: now, error: 'gave up' },
          );
        }
        expect(await backend.outbox.count()).toEqual({
          pending: 0,
          sending: 0,
          dead: 2,
          undeliverable: 0,
        });
        const later = new Date(now.getTime() + 3600_000);
        const ok = leased.find((m) => m.idempotencyKey === 'ok');
        const d1 = leased.find((m) => m.idempotencyKey === 'd1');
        // A sent message is never sent again by an operator's retry.
        expect(
          await backend.outbox.retry({ ids: [ok?.id as string, d1?.id as string] }, later),
        ).toBe(1);
        expect(await backend.outbox.get(d1?.id as string)).toMatchObject({
          status: 'pending',
          retryingSince: later.toISOString(),
          nextAttemptAt: later.toISOString(),
        });
        expect(await backend.outbox.retry({ status: 'dead' }, later)).toBe(1);
        expect((await backend.outbox.count()).pending).toBe(2);
      });
    });
  });
}

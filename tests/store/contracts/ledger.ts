import type { Backend } from '../../../src/store/backend';
import { freshBackend } from './setup';

/** The conversation ledger contract: every backend runs this same suite. */
export function runLedgerContract(name: string, factory: () => Promise<Backend>): void {
  describe(`conversation ledger contract: ${name}`, () => {
    const backend = freshBackend(factory);

    const now = new Date('2026-11-27T02:00:00.000Z');

    describe('sessions', () => {
      test('save, overwrite and delete a session per conversation', async () => {
        const key = { channel: 'telegram', conversationId: '42' };
        const other = { channel: 'webchat', conversationId: '42' };
        await backend.commit({
          sessions: [
            { key, session: { key, data: { step: 'location' }, updatedAt: now.toISOString() } },
          ],
        });
        expect((await backend.ledger.getSession(key))?.data).toEqual({ step: 'location' });
        expect(await backend.ledger.getSession(other)).toBeNull();
        await backend.commit({
          sessions: [
            {
              key,
              session: { key, data: { step: 'confirm', n: 2 }, updatedAt: now.toISOString() },
            },
          ],
        });
        expect(await backend.ledger.getSession(key)).toEqual({
          key,
          data: { step: 'confirm', n: 2 },
          updatedAt: now.toISOString(),
          version: 2,
        });
        await backend.commit({ sessions: [{ key, session: null }] });
        expect(await backend.ledger.getSession(key)).toBeNull();
      });

      test('a write guarded by the version read fails when another turn wrote first, and writes nothing', async () => {
        const key = { channel: 'telegram', conversationId: '77' };
        const save = (step: string, expectedVersion: number | null) =>
          backend.commit({
            sessions: [
              {
                key,
                session: { key, data: { step }, updatedAt: now.toISOString() },
                expectedVersion,
              },
            ],
            inbound: { channel: 'telegram', messageId: `m-${step}`, at: now, result: [] },
          });
        const conflict = expect.objectContaining({
          code: 'conflict',
          details: { entity: 'session' },
        });
        // Two turns both read "no session": the first creates it, the second loses.
        await save('a', null);
        await expect(save('b', null)).rejects.toEqual(conflict);
        // Two turns both read version 1: the first moves it to 2, the second loses.
        await save('c', 1);
        await expect(save('d', 1)).rejects.toEqual(conflict);
        expect(await backend.ledger.getSession(key)).toEqual(
          expect.objectContaining({ data: { step: 'c' }, version: 2 }),
        );
        // A loser's commit wrote nothing else either (its message has no result).
        expect(await backend.ledger.get('telegram', 'm-b')).toBeNull();
        expect(await backend.ledger.get('telegram', 'm-d')).toBeNull();
        // A deletion is guarded the same way.
        await expect(
          backend.commit({ sessions: [{ key, session: null, expectedVersion: 1 }] }),
        ).rejects.toEqual(conflict);
        await expect(
          backend.commit({ sessions: [{ key, session: null, expectedVersion: null }] }),
        ).rejects.toEqual(conflict);
        await backend.commit({ sessions: [{ key, session: null, expectedVersion: 2 }] });
        expect(await backend.ledger.getSession(key)).toBeNull();
      });
    });

    describe('inbound idempotency', () => {
      test('the same (channel, message id) is new once', async () => {
        expect(await backend.ledger.record('telegram', '100', now)).toBe(true);
        expect(await backend.ledger.record('telegram', '100', now)).toBe(false);
        expect(await backend.ledger.record('webchat', '100', now)).toBe(true);
      });

      test('a result committed with the turn is returned for a redelivery', async () => {
        await backend.ledger.record('telegram', '7', now);
        expect((await backend.ledger.get('telegram', '7'))?.result).toBeNull();
        await backend.commit({
          inbound: { channel: 'telegram', messageId: '7', at: now, result: [{ text: 'Halo!' }] },
        });
        expect(await backend.ledger.get('telegram', '7')).toEqual({
          channel: 'telegram',
          messageId: '7',
          receivedAt: now.toISOString(),
          result: [{ text: 'Halo!' }],
        });
        expect(await backend.ledger.record('telegram', '7', now)).toBe(false);
      });

      const me = { owner: 'instance-a', leaseMs: 60_000 };
      const held = { ...me, now };
      const claim = (owner: string, at: Date, limit = 10) =>
        backend.ledger.claimUnfinished('telegram-update', {
          owner,
          leaseMs: 60_000,
          now: at,
          limit,
        });

      test('work kept with an inbound id is claimed until finished, oldest first, counting attempts', async () => {
        const earlier = new Date(now.getTime() - 1000);
        const record = (id: string, at: Date, work: unknown, channel = 'telegram-update') =>
          backend.ledger.recordWork(channel, id, at, work, held);
        expect(await record('11', now, { update_id: 11 })).toBe(true);
        expect(await record('10', earlier, { update_id: 10 })).toBe(true);
        expect(await record('10', now, { update_id: 99 })).toBe(false);
        await backend.ledger.record('telegram-update', '12', now); // no work kept
        await record('13', now, { x: 1 }, 'other');
        expect(await claim('instance-a', now)).toEqual([
          {
            messageId: '10',
            receivedAt: earlier.toISOString(),
            work: { update_id: 10 },
            attempts: 1,
          },
          { messageId: '11', receivedAt: now.toISOString(), work: { update_id: 11 }, attempts: 1 },
        ]);
        // Each claim counts an attempt; the limit applies, oldest first.
        expect(await claim('instance-a', now, 1)).toEqual([
          expect.objectContaining({ messageId: '10', attempts: 2 }),
        ]);
        await backend.ledger.finish('telegram-update', '10');
        expect((await claim('instance-a', now)).map((r) => [r.messageId, r.attempts])).toEqual([
          ['11', 2],
        ]);
        expect(await backend.ledger.record('telegram-update', '10', now)).toBe(false);
      });

      test('a sweep (ownToo: false) leaves the instance its own work until its lease expires', async () => {
        await backend.ledger.recordWork('telegram-update', '30', now, { update_id: 30 }, held);
        const sweep = (at: Date) =>
          backend.ledger.claimUnfinished('telegram-update', {
            owner: 'instance-a',
            leaseMs: 60_000,
            now: at,
            limit: 10,
            ownToo: false,
          });
        expect(await sweep(new Date(now.getTime() + 59_999))).toEqual([]);
        expect(await sweep(new Date(now.getTime() + 60_000))).toEqual([
          expect.objectContaining({ messageId: '30', attempts: 1 }),
        ]);
      });

      test('work another instance holds is left to it until its lease expires, then taken over once', async () => {
        await backend.ledger.recordWork('telegram-update', '20', now, { update_id: 20 }, held);
        const during = new Date(now.getTime() + 59_999);
        const after = new Date(now.getTime() + 60_000);
        // instance-b restarts while instance-a is still working on it: not b's.
        expect(await claim('instance-b', during)).toEqual([]);
        // instance-a restarted (same id): its own work comes back at once.
        expect((await claim('instance-a', during)).map((r) => r.messageId)).toEqual(['20']);
        // a's new lease runs from its claim: b still cannot take it right after a's first lease.
        expect(await claim('instance-b', after)).toEqual([]);
        const expired = new Date(during.getTime() + 60_000);
        const taken = await claim('instance-b', expired);
        expect(taken.map((r) => [r.messageId, r.attempts])).toEqual([['20', 2]]);
        // Now b holds it: a third instance cannot take it at the same moment.
        expect(await claim('instance-c', expired)).toEqual([]);
      });

      test("a conversation's queued work is read in its order, whoever accepted it, until finished", async () => {
        const keep = (id: string, key: string, order: number, owner: string) =>
          backend.ledger.recordWork(
            'telegram-update',
            id,
            now,
            { update_id: order },
            {
              owner,
              leaseMs: 60_000,
              now,
              key,
              order,
            },
          );
        await keep('12', 'chat-1', 12, 'instance-b');
        await keep('10', 'chat-1', 10, 'instance-a');
        await keep('11', 'chat-2', 11, 'instance-a');
        await keep('9', 'chat-1', 9, 'instance-c');
        const queued = async (key: string, limit = 10) =>
          (await backend.ledger.queuedWork('telegram-update', key, limit)).map((w) => w.messageId);
        expect(await queued('chat-1')).toEqual(['9', '10', '12']);
        expect(await queued('chat-1', 2)).toEqual(['9', '10']);
        expect(await queued('chat-2')).toEqual(['11']);
        expect(await queued('chat-3')).toEqual([]);
        // Reading claims nothing: no attempt counted.
        expect((await backend.ledger.queuedWork('telegram-update', 'chat-1', 1))[0]).toEqual({
          messageId: '9',
          receivedAt: now.toISOString(),
          work: { update_id: 9 },
          attempts: 0,
        });
        await backend.ledger.finish('telegram-update', '10');
        expect(await queued('chat-1')).toEqual(['9', '12']);
      });

      test('finished work is not claimed again', async () => {
        await backend.ledger.recordWork('telegram-update', '30', now, { ok: true }, held);
        await backend.ledger.finish('telegram-update', '30');
        expect(await claim('instance-a', now)).toEqual([]);
      });

      test('purge forgets old ids only', async () => {
        await backend.ledger.record('telegram', 'old', new Date('2026-10-01T00:00:00Z'));
        await backend.ledger.record('telegram', 'new', now);
        expect(await backend.ledger.purge(new Date('2026-11-01T00:00:00Z'))).toBe(1);
        expect(await backend.ledger.get('telegram', 'old')).toBeNull();
        expect(await backend.ledger.get('telegram', 'new')).not.toBeNull();
      });
    });
  });
}

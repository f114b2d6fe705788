import { isCodedError } from '../../../src/errors';
import type { Backend } from '../../../src/store/backend';
import { createdEvent, makeCase } from '../../support/fixtures';
import { freshBackend } from './setup';

/** The case repository and change set contract: every backend runs this same suite. */
export function runCaseRepositoryContract(name: string, factory: () => Promise<Backend>): void {
  describe(`case repository and change set contract: ${name}`, () => {
    const backend = freshBackend(factory);

    const now = new Date('2026-11-27T02:00:00.000Z');

    describe('cases', () => {
      test('a committed case and its event read back equal', async () => {
        const c = makeCase({ location: { text: 'Jl. Merdeka 1', lat: -6.2, lon: 106.8 } });
        await backend.commit({
          cases: [{ case: c, expectedVersion: null }],
          events: [createdEvent(c)],
        });
        expect(await backend.cases.get(c.trackingId)).toEqual(c);
        expect(await backend.cases.exists(c.trackingId)).toBe(true);
        expect(await backend.cases.exists('ADU-000000')).toBe(false);
        expect(await backend.cases.get('ADU-000000')).toBeNull();
        expect(await backend.cases.events(c.trackingId)).toEqual([createdEvent(c)]);
      });

      test('inserting an existing tracking id fails with code duplicate and writes nothing', async () => {
        const c = makeCase();
        await backend.commit({ cases: [{ case: c, expectedVersion: null }] });
        const other = makeCase({ text: 'another' });
        const err = await backend
          .commit({
            cases: [{ case: other, expectedVersion: null }],
            outbox: [{ idempotencyKey: 'k1', channel: 'slack', recipient: 'C1', payload: {} }],
          })
          .catch((e: unknown) => e);
        expect(isCodedError(err, 'duplicate')).toBe(true);
        expect((await backend.cases.get(c.trackingId))?.text).toBe(c.text);
        expect(await backend.outbox.list()).toEqual([]);
      });

      test('an update with a stale version fails with code conflict and changes nothing', async () => {
        const c = makeCase();
        await backend.commit({ cases: [{ case: c, expectedVersion: null }] });
        const v2 = { ...c, status: 'verified' as const, version: 2 };
        await backend.commit({ cases: [{ case: v2, expectedVersion: 1 }] });
        const stale = { ...c, status: 'rejected' as const, version: 2 };
        const err = await backend
          .commit({ cases: [{ case: stale, expectedVersion: 1 }] })
          .catch((e: unknown) => e);
        expect(isCodedError(err, 'conflict')).toBe(true);
        expect((await backend.cases.get(c.trackingId))?.status).toBe('verified');
      });

      test('a failing step rolls back the whole change set', async () => {
        const c = makeCase();
        const event = createdEvent(c);
        await backend.commit({ cases: [{ case: c, expectedVersion: null }], events: [event] });
        const key = { channel: 'telegram', conversationId: '1001' };
        const err = await backend
          .commit({
            sessions: [
              { key, session: { key, data: { step: 'x' }, updatedAt: now.toISOString() } },
            ],
            outbox: [
              { idempotencyKey: 'rollback', channel: 'telegram', recipient: '1', payload: {} },
            ],
            inbound: { channel: 'telegram', messageId: 'u1', at: now, result: ['hi'] },
            events: [event], // duplicate (tracking id, seq)
          })
          .catch((e: unknown) => e);
        expect(isCodedError(err, 'duplicate')).toBe(true);
        expect(await backend.ledger.getSession(key)).toBeNull();
        expect(await backend.outbox.list()).toEqual([]);
        expect(await backend.ledger.get('telegram', 'u1')).toBeNull();
      });

      test('events come back in sequence order', async () => {
        const c = makeCase();
        const e1 = createdEvent(c);
        const e2 = {
          ...e1,
          seq: 2,
          type: 'verify' as const,
          fromStatus: 'received' as const,
          toStatus: 'verified' as const,
        };
        const e3 = {
          ...e1,
          seq: 3,
          type: 'note' as const,
          note: 'cek lokasi',
          fromStatus: 'verified' as const,
          toStatus: 'verified' as const,
        };
        await backend.commit({ cases: [{ case: c, expectedVersion: null }], events: [e1, e3, e2] });
        expect((await backend.cases.events(c.trackingId)).map((e) => e.seq)).toEqual([1, 2, 3]);
      });
    });

    test('ping answers while open', async () => {
      await expect(backend.ping()).resolves.toBeUndefined();
    });
  });
}

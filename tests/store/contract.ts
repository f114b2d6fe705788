import { isCodedError } from '../../src/errors';
import type { Store } from '../../src/store/port';
import { createdEvent, makeCase } from '../support/fixtures';

/**
 * The store contract: every Store implementation runs this same suite.
 *
 * @example
 * runStoreContract('sqlite', async () => SqliteStore.open({ path: ':memory:' }));
 */
export function runStoreContract(name: string, factory: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory();
    });
    afterEach(async () => {
      await store.close();
    });

    const now = new Date('2026-11-27T02:00:00.000Z');

    describe('cases', () => {
      test('a committed case and its event read back equal', async () => {
        const c = makeCase({ location: { text: 'Jl. Merdeka 1', lat: -6.2, lon: 106.8 } });
        await store.commit({
          cases: [{ case: c, expectedVersion: null }],
          events: [createdEvent(c)],
        });
        expect(await store.getCase(c.trackingId)).toEqual(c);
        expect(await store.caseExists(c.trackingId)).toBe(true);
        expect(await store.caseExists('ADU-000000')).toBe(false);
        expect(await store.getCase('ADU-000000')).toBeNull();
        expect(await store.listCaseEvents(c.trackingId)).toEqual([createdEvent(c)]);
      });

      test('inserting an existing tracking id fails with code duplicate and writes nothing', async () => {
        const c = makeCase();
        await store.commit({ cases: [{ case: c, expectedVersion: null }] });
        const other = makeCase({ text: 'another' });
        const err = await store
          .commit({
            cases: [{ case: other, expectedVersion: null }],
            outbox: [{ idempotencyKey: 'k1', channel: 'slack', recipient: 'C1', payload: {} }],
          })
          .catch((e: unknown) => e);
        expect(isCodedError(err, 'duplicate')).toBe(true);
        expect((await store.getCase(c.trackingId))?.text).toBe(c.text);
        expect(await store.listOutbox()).toEqual([]);
      });

      test('an update with a stale version fails with code conflict and changes nothing', async () => {
        const c = makeCase();
        await store.commit({ cases: [{ case: c, expectedVersion: null }] });
        const v2 = { ...c, status: 'verified' as const, version: 2 };
        await store.commit({ cases: [{ case: v2, expectedVersion: 1 }] });
        const stale = { ...c, status: 'rejected' as const, version: 2 };
        const err = await store
          .commit({ cases: [{ case: stale, expectedVersion: 1 }] })
          .catch((e: unknown) => e);
        expect(isCodedError(err, 'conflict')).toBe(true);
        expect((await store.getCase(c.trackingId))?.status).toBe('verified');
      });

      test('a failing step rolls back the whole change set', async () => {
        const c = makeCase();
        const event = createdEvent(c);
        await store.commit({ cases: [{ case: c, expectedVersion: null }], events: [event] });
        const key = { channel: 'telegram', conversationId: '1001' };
        const err = await store
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
        expect(await store.getSession(key)).toBeNull();
        expect(await store.listOutbox()).toEqual([]);
        expect(await store.getInbound('telegram', 'u1')).toBeNull();
      });

      test('listCases filters by agency, status, kind and reporter, newest first, with a limit', async () => {
        const a = makeCase({ trackingId: 'ADU-AAAAAA', createdAt: '2026-11-01T00:00:00.000Z' });
        const b = makeCase({
          trackingId: 'ADU-BBBBBB',
          agencyId: 'pdam',
          status: 'in_progress',
          createdAt: '2026-11-02T00:00:00.000Z',
        });
        const c = makeCase({
          trackingId: 'ADU-CCCCCC',
          kind: 'aspiration',
          reporter: { channel: 'webchat', channelUserId: 'w1' },
          createdAt: '2026-11-03T00:00:00.000Z',
        });
        await store.commit({
          cases: [a, b, c].map((x) => ({ case: x, expectedVersion: null })),
        });
        const ids = (cs: { trackingId: string }[]) => cs.map((x) => x.trackingId);
        expect(ids(await store.listCases())).toEqual(['ADU-CCCCCC', 'ADU-BBBBBB', 'ADU-AAAAAA']);
        expect(ids(await store.listCases({ agencyId: 'pdam' }))).toEqual(['ADU-BBBBBB']);
        expect(ids(await store.listCases({ status: ['received'] }))).toEqual([
          'ADU-CCCCCC',
          'ADU-AAAAAA',
        ]);
        expect(ids(await store.listCases({ status: ['in_progress', 'resolved'] }))).toEqual([
          'ADU-BBBBBB',
        ]);
        expect(ids(await store.listCases({ kind: 'aspiration' }))).toEqual(['ADU-CCCCCC']);
        expect(
          ids(await store.listCases({ reporter: { channel: 'telegram', channelUserId: '1001' } })),
        ).toEqual(['ADU-BBBBBB', 'ADU-AAAAAA']);
        expect(ids(await store.listCases({ limit: 1 }))).toEqual(['ADU-CCCCCC']);
      });

      test('listCases finds cases whose deadline has passed at a time', async () => {
        const early = makeCase({
          trackingId: 'ADU-EEEEEE',
          status: 'resolved',
          deadlines: { autoCloseAt: '2026-12-01T16:59:59.999Z' },
        });
        const late = makeCase({
          trackingId: 'ADU-FFFFFF',
          status: 'resolved',
          deadlines: { autoCloseAt: '2026-12-09T16:59:59.999Z' },
        });
        const none = makeCase({ trackingId: 'ADU-GGGGGG', deadlines: {} });
        await store.commit({
          cases: [early, late, none].map((x) => ({ case: x, expectedVersion: null })),
        });
        const due = (at: string) =>
          store
            .listCases({ deadlinePassed: { deadline: 'autoCloseAt', at: new Date(at) } })
            .then((cs) => cs.map((c) => c.trackingId).sort());
        expect(await due('2026-12-01T16:59:59.999Z')).toEqual([]);
        expect(await due('2026-12-01T17:00:00.000Z')).toEqual(['ADU-EEEEEE']);
        expect(await due('2026-12-31T00:00:00.000Z')).toEqual(['ADU-EEEEEE', 'ADU-FFFFFF']);
        expect(
          (
            await store.listCases({
              deadlinePassed: { deadline: 'verifyBy', at: new Date('2027-01-01') },
            })
          ).map((c) => c.trackingId),
        ).toEqual([]);
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
        await store.commit({ cases: [{ case: c, expectedVersion: null }], events: [e1, e3, e2] });
        expect((await store.listCaseEvents(c.trackingId)).map((e) => e.seq)).toEqual([1, 2, 3]);
      });
    });

    describe('sessions', () => {
      test('save, overwrite and delete a session per conversation', async () => {
        const key = { channel: 'telegram', conversationId: '42' };
        const other = { channel: 'webchat', conversationId: '42' };
        await store.commit({
          sessions: [
            { key, session: { key, data: { step: 'location' }, updatedAt: now.toISOString() } },
          ],
        });
        expect((await store.getSession(key))?.data).toEqual({ step: 'location' });
        expect(await store.getSession(other)).toBeNull();
        await store.commit({
          sessions: [
            {
              key,
              session: { key, data: { step: 'confirm', n: 2 }, updatedAt: now.toISOString() },
            },
          ],
        });
        expect(await store.getSession(key)).toEqual({
          key,
          data: { step: 'confirm', n: 2 },
          updatedAt: now.toISOString(),
        });
        await store.commit({ sessions: [{ key, session: null }] });
        expect(await store.getSession(key)).toBeNull();
      });
    });

    describe('inbound idempotency', () => {
      test('the same (channel, message id) is new once', async () => {
        expect(await store.recordInbound('telegram', '100', now)).toBe(true);
        expect(await store.recordInbound('telegram', '100', now)).toBe(false);
        expect(await store.recordInbound('webchat', '100', now)).toBe(true);
      });

      test('a result committed with the turn is returned for a redelivery', async () => {
        await store.recordInbound('telegram', '7', now);
        expect((await store.getInbound('telegram', '7'))?.result).toBeNull();
        await store.commit({
          inbound: { channel: 'telegram', messageId: '7', at: now, result: [{ text: 'Halo!' }] },
        });
        expect(await store.getInbound('telegram', '7')).toEqual({
          channel: 'telegram',
          messageId: '7',
          receivedAt: now.toISOString(),
          result: [{ text: 'Halo!' }],
        });
        expect(await store.recordInbound('telegram', '7', now)).toBe(false);
      });

      test('work kept with an inbound id is claimed until finished, oldest first, counting attempts', async () => {
        const earlier = new Date(now.getTime() - 1000);
        expect(await store.recordInboundWork('telegram-update', '11', now, { update_id: 11 })).toBe(
          true,
        );
        expect(
          await store.recordInboundWork('telegram-update', '10', earlier, { update_id: 10 }),
        ).toBe(true);
        expect(await store.recordInboundWork('telegram-update', '10', now, { update_id: 99 })).toBe(
          false,
        );
        await store.recordInbound('telegram-update', '12', now); // no work kept
        await store.recordInboundWork('other', '13', now, { x: 1 });
        expect(await store.claimUnfinishedInbound('telegram-update', 10)).toEqual([
          {
            messageId: '10',
            receivedAt: earlier.toISOString(),
            work: { update_id: 10 },
            attempts: 1,
          },
          { messageId: '11', receivedAt: now.toISOString(), work: { update_id: 11 }, attempts: 1 },
        ]);
        // Each claim counts an attempt; the limit applies, oldest first.
        expect(await store.claimUnfinishedInbound('telegram-update', 1)).toEqual([
          expect.objectContaining({ messageId: '10', attempts: 2 }),
        ]);
        await store.finishInbound('telegram-update', '10');
        expect(
          (await store.claimUnfinishedInbound('telegram-update', 10)).map((r) => [
            r.messageId,
            r.attempts,
          ]),
        ).toEqual([['11', 2]]);
        expect(await store.recordInbound('telegram-update', '10', now)).toBe(false);
      });

      test('purge forgets old ids only', async () => {
        await store.recordInbound('telegram', 'old', new Date('2026-10-01T00:00:00Z'));
        await store.recordInbound('telegram', 'new', now);
        expect(await store.purgeInbound(new Date('2026-11-01T00:00:00Z'))).toBe(1);
        expect(await store.getInbound('telegram', 'old')).toBeNull();
        expect(await store.getInbound('telegram', 'new')).not.toBeNull();
      });
    });

    describe('outbox', () => {
      const msg = (key: string, channel = 'telegram', recipient = `chat-${key}`) => ({
        idempotencyKey: key,
        channel,
        recipient,
        payload: { text: `pesan ${key}` },
        trackingId: 'ADU-7K3M9Q',
      });

      test('a duplicate idempotency key is stored once', async () => {
        await store.enqueue([msg('a')], now);
        await store.enqueue([msg('a')], now);
        await store.commit({ outbox: [msg('a')] });
        const all = await store.listOutbox();
        expect(all).toHaveLength(1);
        expect(all[0]).toMatchObject({
          idempotencyKey: 'a',
          status: 'pending',
          attempts: 0,
          payload: { text: 'pesan a' },
        });
      });

      test('claim leases due messages of the asked channels once, then again after the lease', async () => {
        await store.enqueue(
          [
            msg('a'),
            msg('b', 'slack'),
            { ...msg('later'), notBefore: new Date(now.getTime() + 60_000) },
          ],
          now,
        );
        const first = await store.claimOutbox({
          channels: ['telegram'],
          now,
          limit: 10,
          leaseMs: 30_000,
        });
        expect(first.map((m) => m.idempotencyKey)).toEqual(['a']);
        expect(first[0]).toMatchObject({ status: 'sending', attempts: 1 });
        expect(
          await store.claimOutbox({ channels: ['telegram'], now, limit: 10, leaseMs: 30_000 }),
        ).toEqual([]);
        const afterLease = new Date(now.getTime() + 30_000);
        const again = await store.claimOutbox({
          channels: ['telegram'],
          now: afterLease,
          limit: 10,
          leaseMs: 60_000,
        });
        expect(again.map((m) => [m.idempotencyKey, m.attempts])).toEqual([['a', 2]]);
        const later = new Date(now.getTime() + 61_000);
        const due = await store.claimOutbox({
          channels: ['telegram', 'slack'],
          now: later,
          limit: 10,
          leaseMs: 30_000,
        });
        expect(due.map((m) => m.idempotencyKey).sort()).toEqual(['b', 'later']);
      });

      test('claim respects the limit', async () => {
        await store.enqueue([msg('1'), msg('2'), msg('3')], now);
        expect(
          await store.claimOutbox({ channels: ['telegram'], now, limit: 2, leaseMs: 1000 }),
        ).toHaveLength(2);
      });

      test('settle: sent, retry later, dead and undeliverable', async () => {
        await store.enqueue([msg('s'), msg('r'), msg('d'), msg('u')], now);
        const leased = await store.claimOutbox({
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
        expect(await store.settleOutbox(lease('s'), { status: 'sent', at })).toBe(true);
        await store.settleOutbox(lease('r'), {
          status: 'retry',
          at,
          nextAttemptAt: new Date(now.getTime() + 5000),
          error: 'HTTP 502',
        });
        await store.settleOutbox(lease('d'), { status: 'dead', at, error: 'gave up' });
        await store.settleOutbox(lease('u'), { status: 'undeliverable', at, error: '403 blocked' });
        expect(await store.getOutbox(id('s'))).toMatchObject({
          status: 'sent',
          sentAt: at.toISOString(),
        });
        expect(await store.getOutbox(id('r'))).toMatchObject({
          status: 'pending',
          lastError: 'HTTP 502',
          nextAttemptAt: new Date(now.getTime() + 5000).toISOString(),
        });
        expect((await store.listOutbox({ status: 'dead' })).map((m) => m.idempotencyKey)).toEqual([
          'd',
        ]);
        expect(
          (await store.listOutbox({ status: 'undeliverable' })).map((m) => m.lastError),
        ).toEqual(['403 blocked']);
        // Not due yet, then due.
        expect(
          await store.claimOutbox({ channels: ['telegram'], now: at, limit: 10, leaseMs: 1000 }),
        ).toEqual([]);
        const retried = await store.claimOutbox({
          channels: ['telegram'],
          now: new Date(now.getTime() + 5000),
          limit: 10,
          leaseMs: 1000,
        });
        expect(retried.map((m) => m.idempotencyKey)).toEqual(['r']);
      });

      test('settling an unknown message fails with not_found', async () => {
        const err = await store
          .settleOutbox({ id: 'nope', leaseToken: 'x' }, { status: 'sent', at: now })
          .catch((e: unknown) => e);
        expect(isCodedError(err, 'not_found')).toBe(true);
      });

      test('a late result from an expired lease does not overwrite the current holder’s', async () => {
        await store.enqueue([msg('m')], now);
        const claim = (at: number) =>
          store.claimOutbox({ channels: ['telegram'], now: new Date(at), limit: 1, leaseMs: 1000 });
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
        expect(await store.settleOutbox(leaseOf(b), { status: 'sent', at })).toBe(true);
        const late = await store.settleOutbox(leaseOf(a), {
          status: 'retry',
          at,
          nextAttemptAt: at,
          error: 'timeout',
        });
        expect(late).toBe(false);
        expect((await store.getOutbox(a?.id as string))?.status).toBe('sent');
      });
      test("one recipient's messages are handed out one at a time, in the order queued", async () => {
        await store.enqueue([msg('1', 'telegram', '7'), msg('2', 'telegram', '7')], now);
        await store.enqueue([msg('x', 'telegram', '8'), msg('3', 'telegram', '7')], now);
        const claim = (at: Date, limit = 10) =>
          store.claimOutbox({ channels: ['telegram'], now: at, limit, leaseMs: 60_000 });
        const first = await claim(now);
        expect(first.map((m) => m.idempotencyKey).sort()).toEqual(['1', 'x']);
        // While '1' is being sent (or retried later), '2' waits.
        expect(await claim(now)).toEqual([]);
        const one = first.find((m) => m.idempotencyKey === '1');
        await store.settleOutbox(
          { id: one?.id as string, leaseToken: one?.leaseToken as string },
          { status: 'retry', at: now, nextAttemptAt: new Date(now.getTime() + 5000), error: '500' },
        );
        expect(await claim(new Date(now.getTime() + 100))).toEqual([]);
        const again = await claim(new Date(now.getTime() + 5000));
        expect(again.map((m) => m.idempotencyKey)).toEqual(['1']);
        await store.settleOutbox(
          { id: again[0]?.id as string, leaseToken: again[0]?.leaseToken as string },
          { status: 'dead', at: now, error: 'gave up' },
        );
        // A dead message no longer holds the others back.
        const next = await claim(new Date(now.getTime() + 5000));
        expect(next.map((m) => m.idempotencyKey)).toEqual(['2']);
        // A message scheduled for later holds nobody back.
        await store.enqueue(
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
        await store.enqueue(
          [
            { ...msg('c1', 'staff', 'agency-a'), orderingKey: 'case:ADU-1' },
            { ...msg('c2', 'staff', 'agency-b'), orderingKey: 'case:ADU-1' },
          ],
          now,
        );
        const staff = await store.claimOutbox({
          channels: ['staff'],
          now,
          limit: 10,
          leaseMs: 1000,
        });
        expect(staff.map((m) => [m.idempotencyKey, m.orderingKey])).toEqual([['c1', 'case:ADU-1']]);
      });

      test('taking over an expired lease counts an uncertain attempt; progress and uncertain are kept', async () => {
        await store.enqueue([msg('u')], now);
        const [a] = await store.claimOutbox({
          channels: ['telegram'],
          now,
          limit: 1,
          leaseMs: 1000,
        });
        expect(a).toMatchObject({ uncertain: 0, progress: 0, retryingSince: now.toISOString() });
        const later = new Date(now.getTime() + 1000);
        const [b] = await store.claimOutbox({
          channels: ['telegram'],
          now: later,
          limit: 1,
          leaseMs: 1000,
        });
        expect(b).toMatchObject({ uncertain: 1, attempts: 2 });
        await store.settleOutbox(
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
        expect(await store.getOutbox(b?.id as string)).toMatchObject({
          status: 'pending',
          progress: 2,
          uncertain: 2,
        });
      });

      test('retry queues dead letters again with a fresh budget; counts by status', async () => {
        await store.enqueue([msg('d1'), msg('d2'), msg('ok')], now);
        const leased = await store.claimOutbox({
          channels: ['telegram'],
          now,
          limit: 10,
          leaseMs: 1000,
        });
        for (const m of leased) {
          await store.settleOutbox(
            { id: m.id, leaseToken: m.leaseToken as string },
            m.idempotencyKey === 'ok'
              ? { status: 'sent', at: now }
              : { status: 'dead', at: now, error: 'gave up' },
          );
        }
        expect(await store.countOutbox()).toEqual({
          pending: 0,
          sending: 0,
          dead: 2,
          undeliverable: 0,
        });
        const later = new Date(now.getTime() + 3600_000);
        const ok = leased.find((m) => m.idempotencyKey === 'ok');
        const d1 = leased.find((m) => m.idempotencyKey === 'd1');
        // A sent message is never sent again by an operator's retry.
        expect(await store.retryOutbox({ ids: [ok?.id as string, d1?.id as string] }, later)).toBe(
          1,
        );
        expect(await store.getOutbox(d1?.id as string)).toMatchObject({
          status: 'pending',
          retryingSince: later.toISOString(),
          nextAttemptAt: later.toISOString(),
        });
        expect(await store.retryOutbox({ status: 'dead' }, later)).toBe(1);
        expect((await store.countOutbox()).pending).toBe(2);
      });
    });

    describe('web chat conversations', () => {
      const conv = (id: string, userId = 'dl_u1') => ({
        id,
        userId,
        createdAt: now.toISOString(),
      });
      const msg = (text: string) => ({ type: 'message', text });

      test('a conversation reads back; a second with the same id is a duplicate', async () => {
        await store.createChatConversation({ ...conv('c1'), userName: 'Sari' });
        expect(await store.getChatConversation('c1')).toEqual({
          id: 'c1',
          userId: 'dl_u1',
          userName: 'Sari',
          createdAt: now.toISOString(),
        });
        expect(await store.getChatConversation('nope')).toBeNull();
        const err = await store.createChatConversation(conv('c1', 'dl_other')).catch((e) => e);
        expect(isCodedError(err, 'duplicate')).toBe(true);
        expect((await store.getChatConversation('c1'))?.userId).toBe('dl_u1');
      });

      test('watermarks count up per conversation and listing resumes after one', async () => {
        await store.createChatConversation(conv('a'));
        await store.createChatConversation(conv('b'));
        expect(await store.lastChatWatermark('a')).toBe(0);
        expect(
          await store.appendChatActivities(
            'a',
            [{ activity: msg('satu') }, { activity: msg('dua') }],
            now,
          ),
        ).toEqual([1, 2]);
        expect(await store.appendChatActivities('b', [{ activity: msg('lain') }], now)).toEqual([
          1,
        ]);
        expect(await store.appendChatActivities('a', [{ activity: msg('tiga') }], now)).toEqual([
          3,
        ]);
        expect(await store.lastChatWatermark('a')).toBe(3);
        const all = await store.listChatActivities('a', { after: 0, limit: 100 });
        expect(all.map((x) => [x.watermark, x.activity.text])).toEqual([
          [1, 'satu'],
          [2, 'dua'],
          [3, 'tiga'],
        ]);
        expect(all[0]).toEqual({
          conversationId: 'a',
          watermark: 1,
          at: now.toISOString(),
          activity: { type: 'message', text: 'satu' },
        });
        const rest = await store.listChatActivities('a', { after: 1, limit: 1 });
        expect(rest.map((x) => x.activity.text)).toEqual(['dua']);
        expect(await store.listChatActivities('a', { after: 3, limit: 100 })).toEqual([]);
        expect(
          (await store.listChatActivities('b', { after: 0, limit: 100 })).map(
            (x) => x.activity.text,
          ),
        ).toEqual(['lain']);
      });

      test('an activity with a key seen before is not added again', async () => {
        await store.createChatConversation(conv('k'));
        expect(
          await store.appendChatActivities('k', [{ activity: msg('x'), key: 'outbox:1' }], now),
        ).toEqual([1]);
        expect(
          await store.appendChatActivities(
            'k',
            [
              { activity: msg('y'), key: 'outbox:2' },
              { activity: msg('x again'), key: 'outbox:1' },
            ],
            now,
          ),
        ).toEqual([2, 1]);
        const texts = (await store.listChatActivities('k', { after: 0, limit: 10 })).map(
          (x) => x.activity.text,
        );
        expect(texts).toEqual(['x', 'y']);
      });

      test('appending to an unknown conversation fails with not_found', async () => {
        const err = await store
          .appendChatActivities('ghost', [{ activity: msg('x') }], now)
          .catch((e: unknown) => e);
        expect(isCodedError(err, 'not_found')).toBe(true);
        expect(await store.lastChatWatermark('ghost')).toBe(0);
      });

      test('uploads keep their bytes and count per conversation', async () => {
        await store.createChatConversation(conv('u'));
        const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0x00, 0x10]);
        const upload = {
          id: 'up1',
          conversationId: 'u',
          mimeType: 'image/jpeg',
          bytes,
          createdAt: now.toISOString(),
        };
        await store.putChatUpload(upload);
        const back = await store.getChatUpload('up1');
        expect(back?.mimeType).toBe('image/jpeg');
        expect(Array.from(back?.bytes ?? [])).toEqual(Array.from(bytes));
        expect(await store.getChatUpload('none')).toBeNull();
        expect(await store.countChatUploads('u')).toBe(1);
        expect(await store.countChatUploads('other')).toBe(0);
        const dup = await store.putChatUpload(upload).catch((e: unknown) => e);
        expect(isCodedError(dup, 'duplicate')).toBe(true);
        const orphan = await store
          .putChatUpload({ ...upload, id: 'up2', conversationId: 'ghost' })
          .catch((e: unknown) => e);
        expect(isCodedError(orphan, 'not_found')).toBe(true);
      });
    });

    test('ping answers while open', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}

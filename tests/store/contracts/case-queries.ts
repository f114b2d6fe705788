import type { CaseQuery } from '../../../src/cases/queries';
import type { Case } from '../../../src/cases/types';
import { isCodedError } from '../../../src/errors';
import type { Backend } from '../../../src/store/backend';
import { makeCase } from '../../support/fixtures';
import { freshBackend } from './setup';

/** The case read model contract (`CaseQueries`): every backend runs this same suite. */
export function runCaseQueriesContract(name: string, factory: () => Promise<Backend>): void {
  describe(`case queries contract: ${name}`, () => {
    const backend = freshBackend(factory);

    const save = (cases: Case[]) =>
      backend.commit({ cases: cases.map((c) => ({ case: c, expectedVersion: null })) });
    const ids = async (query: CaseQuery, page: Parameters<Backend['queries']['list']>[1] = {}) =>
      (await backend.queries.list(query, page)).cases.map((c) => c.trackingId);

    describe('filters', () => {
      beforeEach(async () => {
        await save([
          makeCase({ trackingId: 'ADU-AAAAAA', createdAt: '2026-11-01T00:00:00.000Z' }),
          makeCase({
            trackingId: 'ADU-BBBBBB',
            agencyId: 'pdam',
            category: 'water_utility',
            status: 'in_progress',
            createdAt: '2026-11-02T00:00:00.000Z',
          }),
          makeCase({
            trackingId: 'ADU-CCCCCC',
            kind: 'aspiration',
            reporter: { channel: 'webchat', channelUserId: 'w1' },
            identity: 'confidential',
            createdAt: '2026-11-03T00:00:00.000Z',
          }),
        ]);
      });

      test('by agency, status, kind and reporter, newest first', async () => {
        expect(await ids({})).toEqual(['ADU-CCCCCC', 'ADU-BBBBBB', 'ADU-AAAAAA']);
        expect(await ids({ agencyIds: ['pdam'] })).toEqual(['ADU-BBBBBB']);
        expect(await ids({ agencyIds: ['pdam', 'dinas-pupr'] })).toHaveLength(3);
        expect(await ids({ agencyIds: [] })).toEqual([]);
        expect(await ids({ status: ['received'] })).toEqual(['ADU-CCCCCC', 'ADU-AAAAAA']);
        expect(await ids({ status: ['in_progress', 'resolved'] })).toEqual(['ADU-BBBBBB']);
        expect(await ids({ kind: ['aspiration'] })).toEqual(['ADU-CCCCCC']);
        expect(await ids({ reporter: { channel: 'telegram', channelUserId: '1001' } })).toEqual([
          'ADU-BBBBBB',
          'ADU-AAAAAA',
        ]);
        expect(await ids({}, { order: 'oldest' })).toEqual([
          'ADU-AAAAAA',
          'ADU-BBBBBB',
          'ADU-CCCCCC',
        ]);
      });

      test('by category, identity mode and tracking ids', async () => {
        expect(await ids({ categories: ['water_utility'] })).toEqual(['ADU-BBBBBB']);
        expect(await ids({ categories: [] })).toEqual([]);
        expect(await ids({ identity: ['named', 'anonymous'] })).toEqual([
          'ADU-BBBBBB',
          'ADU-AAAAAA',
        ]);
        expect(await ids({ identity: ['confidential'] })).toEqual(['ADU-CCCCCC']);
        expect(await ids({ trackingIds: ['ADU-AAAAAA', 'ADU-CCCCCC', 'ADU-ZZZZZZ'] })).toEqual([
          'ADU-CCCCCC',
          'ADU-AAAAAA',
        ]);
        // The column follows the case when it changes.
        const [c] = (await backend.queries.list({ trackingIds: ['ADU-AAAAAA'] })).cases;
        if (!c) throw new Error('missing');
        await backend.commit({
          cases: [{ case: { ...c, identity: 'confidential', version: 2 }, expectedVersion: 1 }],
        });
        expect(await ids({ identity: ['confidential'] })).toEqual(['ADU-CCCCCC', 'ADU-AAAAAA']);
      });

      test('by creation date range: from inclusive, to exclusive', async () => {
        const created = {
          from: new Date('2026-11-02T00:00:00.000Z'),
          to: new Date('2026-11-03T00:00:00.000Z'),
        };
        expect(await ids({ created })).toEqual(['ADU-BBBBBB']);
        expect(await ids({ created: { from: created.from } })).toEqual([
          'ADU-CCCCCC',
          'ADU-BBBBBB',
        ]);
        expect(await ids({ created: { to: created.to } })).toEqual(['ADU-BBBBBB', 'ADU-AAAAAA']);
      });

      test('counts and counts by dimension agree with the list', async () => {
        expect(await backend.queries.count({})).toBe(3);
        expect(await backend.queries.count({ status: ['received'] })).toBe(2);
        expect(await backend.queries.countBy({}, 'status')).toEqual({
          received: 2,
          in_progress: 1,
        });
        expect(await backend.queries.countBy({}, 'agency')).toEqual({ 'dinas-pupr': 2, pdam: 1 });
        expect(await backend.queries.countBy({ agencyIds: ['pdam'] }, 'category')).toEqual({
          water_utility: 1,
        });
        expect(await backend.queries.countBy({}, 'kind')).toEqual({ complaint: 2, aspiration: 1 });
        expect(await backend.queries.countBy({ agencyIds: ['nobody'] }, 'status')).toEqual({});
      });
    });

    test('pages follow each other with no case lost or repeated, in every order', async () => {
      const many = Array.from({ length: 23 }, (_, i) =>
        makeCase({
          trackingId: `ADU-${String(i).padStart(6, '0')}`,
          // Pairs share a creation time: the tracking id breaks ties.
          createdAt: new Date(Date.UTC(2026, 10, 1, 0, Math.floor(i / 2))).toISOString(),
          deadlines:
            i % 5 === 0
              ? {}
              : { verifyBy: new Date(Date.UTC(2026, 11, 1 + (i % 7))).toISOString() },
        }),
      );
      await save(many);
      for (const order of ['newest', 'oldest', 'deadline'] as const) {
        const seen: string[] = [];
        let after: string | null = null;
        let pages = 0;
        do {
          const page = await backend.queries.list(
            {},
            { limit: 5, order, ...(after ? { after } : {}) },
          );
          seen.push(...page.cases.map((c) => c.trackingId));
          after = page.next;
          pages++;
        } while (after && pages < 10);
        expect(pages).toBe(5);
        expect(new Set(seen).size).toBe(23);
        expect(seen).toEqual(await ids({}, { limit: 500, order }));
      }
      // By deadline: soonest first, cases without one last.
      const byDeadline = await backend.queries.list({}, { limit: 500, order: 'deadline' });
      const dues = byDeadline.cases.map((c) => c.deadlines.verifyBy ?? '~');
      expect(dues).toEqual([...dues].sort());
    });

    test('a page request is validated: bad limit, a cursor of another order, garbage', async () => {
      await save([makeCase({ trackingId: 'ADU-AAAAAA' }), makeCase({ trackingId: 'ADU-BBBBBB' })]);
      const first = await backend.queries.list({}, { limit: 1 });
      expect(first.next).not.toBeNull();
      const wrongOrder = await backend.queries
        .list({}, { order: 'oldest', after: first.next ?? '' })
        .catch((e: unknown) => e);
      expect(isCodedError(wrongOrder, 'bad_cursor')).toBe(true);
      const garbage = await backend.queries
        .list({}, { after: 'not-a-cursor' })
        .catch((e: unknown) => e);
      expect(isCodedError(garbage, 'bad_cursor')).toBe(true);
      const zero = await backend.queries.list({}, { limit: 0 }).catch((e: unknown) => e);
      expect(isCodedError(zero, 'bad_request')).toBe(true);
      // Larger than a page: capped to the maximum page, with a cursor to go on (never silent).
      expect((await backend.queries.list({}, { limit: 10_000 })).cases).toHaveLength(2);
    });

    describe('SLA state of the agency deadline', () => {
      const window = {
        now: new Date('2026-12-01T05:00:00.000Z'),
        dueSoonUntil: new Date('2026-12-02T16:59:59.999Z'),
      };
      beforeEach(async () => {
        await save([
          // received: verification deadline counts
          makeCase({
            trackingId: 'ADU-000001',
            deadlines: { verifyBy: '2026-11-30T16:59:59.999Z' },
          }),
          makeCase({
            trackingId: 'ADU-000002',
            deadlines: { verifyBy: '2026-12-02T16:59:59.999Z' },
          }),
          makeCase({
            trackingId: 'ADU-000003',
            deadlines: { verifyBy: '2026-12-09T16:59:59.999Z' },
          }),
          // being worked on: the follow-up deadline counts, not the old verification one
          makeCase({
            trackingId: 'ADU-000004',
            status: 'in_progress',
            deadlines: {
              verifyBy: '2026-11-20T16:59:59.999Z',
              followUpBy: '2026-12-08T16:59:59.999Z',
            },
          }),
          // waiting for the citizen or finished: no agency deadline
          makeCase({
            trackingId: 'ADU-000005',
            status: 'resolved',
            deadlines: {
              followUpBy: '2026-11-20T16:59:59.999Z',
              autoCloseAt: '2026-11-30T16:59:59.999Z',
            },
          }),
          makeCase({
            trackingId: 'ADU-000006',
            status: 'needs_info',
            deadlines: { verifyBy: '2026-11-20T16:59:59.999Z' },
          }),
        ]);
      });

      test('filters by state', async () => {
        const sla = (state: 'overdue' | 'due_soon' | 'on_time') =>
          ids({ sla: { state, window } }, { order: 'oldest' });
        expect((await sla('overdue')).sort()).toEqual(['ADU-000001']);
        expect((await sla('due_soon')).sort()).toEqual(['ADU-000002']);
        expect((await sla('on_time')).sort()).toEqual(['ADU-000003', 'ADU-000004']);
      });

      test('counts per state in one query', async () => {
        expect(await backend.queries.countSla({}, window)).toEqual({
          overdue: 1,
          due_soon: 1,
          on_time: 2,
        });
        expect(await backend.queries.countSla({ status: ['in_progress'] }, window)).toEqual({
          overdue: 0,
          due_soon: 0,
          on_time: 1,
        });
      });

      test('a status change moves the case to its new deadline', async () => {
        const c = await backend.cases.get('ADU-000001');
        if (!c) throw new Error('missing');
        const worked: Case = {
          ...c,
          status: 'verified',
          deadlines: { ...c.deadlines, followUpBy: '2026-12-09T16:59:59.999Z' },
          version: 2,
        };
        await backend.commit({ cases: [{ case: worked, expectedVersion: 1 }] });
        expect(await backend.queries.countSla({}, window)).toEqual({
          overdue: 0,
          due_soon: 1,
          on_time: 3,
        });
      });

      test('auto-close due: resolved cases whose closing time has passed', async () => {
        expect(await ids({ autoCloseDue: new Date('2026-11-30T16:59:59.999Z') })).toEqual([]);
        expect(await ids({ autoCloseDue: new Date('2026-11-30T17:00:00.000Z') })).toEqual([
          'ADU-000005',
        ]);
      });
    });
  });
}

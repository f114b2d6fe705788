import type { Case } from '../../src/cases/types';
import { isCodedError } from '../../src/errors';
import { deadlineAlerts } from '../../src/staff/deadline-alerts';
import { staffQueue } from '../../src/staff/queue';
import { staffStats } from '../../src/staff/stats';
import { makeCase } from '../support/fixtures';
import { budi, calendar, openStore, sari } from './helpers';

/** Wednesday 2 Dec 2026, 08:00 in Jakarta. */
const NOW = new Date('2026-12-02T01:00:00Z');
const OVERDUE = '2026-12-01T16:59:59.999Z';
const DUE_TODAY = '2026-12-02T16:59:59.999Z';
const LATER = '2026-12-09T16:59:59.999Z';

let n = 0;
function pupr(overrides: Partial<Case>): Case {
  n++;
  return makeCase({
    trackingId: `ADU-P${String(n).padStart(5, '0')}`,
    createdAt: new Date(Date.UTC(2026, 10, 1, 0, n)).toISOString(),
    ...overrides,
  });
}

let store: ReturnType<typeof openStore>;
beforeEach(() => {
  store = openStore();
});
afterEach(async () => {
  await store.backend.close();
});

describe('staffQueue', () => {
  const open = () =>
    Array.from({ length: 7 }, (_, i) =>
      pupr({
        status: (['received', 'verified', 'in_progress', 'needs_info', 'reopened'] as const)[i % 5],
      }),
    );

  test("pages through the identity's open cases with the total, none lost or repeated", async () => {
    const mine = open();
    await store.save(
      ...mine,
      pupr({ status: 'resolved' }),
      pupr({ status: 'closed' }),
      pupr({ status: 'rejected' }),
      pupr({ agencyId: 'pdam', category: 'water_utility' }),
    );
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page = await staffQueue(store.backend.queries, sari, 'en', {
        limit: 3,
        ...(after ? { after } : {}),
      });
      expect(page.total).toBe(7);
      expect(page.cases.length).toBeLessThanOrEqual(3);
      seen.push(...page.cases.map((c) => c.trackingId));
      after = page.next;
      pages++;
    } while (after && pages < 10);
    expect(pages).toBe(3);
    // Newest first, every open case once, nothing of another agency or finished.
    expect(seen).toEqual(mine.map((c) => c.trackingId).reverse());
  });

  test('a status narrows the queue, finished statuses included when asked', async () => {
    await store.save(pupr({ status: 'closed' }), pupr({ status: 'received' }));
    const closed = await staffQueue(store.backend.queries, sari, 'en', { status: ['closed'] });
    expect(closed.total).toBe(1);
    expect(closed.cases.map((c) => c.status)).toEqual(['closed']);
    expect(closed.next).toBeNull();
    const none = await staffQueue(store.backend.queries, budi, 'en');
    expect(none).toEqual({ cases: [], next: null, total: 0 });
  });

  test('the cases come as staff may see them', async () => {
    await store.save(pupr({ identity: 'confidential', text: 'hp 0812-3456-7890' }));
    const [v] = (await staffQueue(store.backend.queries, sari, 'en')).cases;
    expect(v?.text).toBe('hp [phone hidden]');
    expect(v?.reporter).toBeNull();
  });

  test('a cursor of another list is refused with bad_cursor', async () => {
    await store.save(...open());
    const first = await staffQueue(store.backend.queries, sari, 'en', { limit: 2 });
    const err = await staffQueue(store.backend.queries, sari, 'en', {
      limit: 2,
      order: 'oldest',
      after: first.next ?? '',
    }).catch((e: unknown) => e);
    expect(isCodedError(err, 'bad_cursor')).toBe(true);
  });
});

describe('staffStats', () => {
  test('counts by status and SLA state in the database, for the identity only', async () => {
    await store.save(
      pupr({ deadlines: { verifyBy: OVERDUE } }),
      pupr({ deadlines: { verifyBy: DUE_TODAY } }),
      pupr({ status: 'in_progress', deadlines: { followUpBy: DUE_TODAY } }),
      pupr({ status: 'in_progress', deadlines: { followUpBy: LATER } }),
      // Waiting for the citizen, resolved, closed: no agency deadline.
      pupr({ status: 'needs_info', deadlines: { followUpBy: OVERDUE } }),
      pupr({ status: 'resolved', deadlines: { autoCloseAt: OVERDUE } }),
      pupr({ status: 'closed', deadlines: {} }),
      pupr({ agencyId: 'pdam', category: 'water_utility', deadlines: { verifyBy: OVERDUE } }),
    );
    expect(await staffStats(store.backend.queries, sari, calendar, NOW)).toEqual({
      byStatus: { received: 2, in_progress: 2, needs_info: 1, resolved: 1, closed: 1 },
      sla: { overdue: 1, due_soon: 2, on_time: 1 },
    });
    expect(await staffStats(store.backend.queries, budi, calendar, NOW)).toEqual({
      byStatus: { received: 1 },
      sla: { overdue: 1, due_soon: 0, on_time: 0 },
    });
  });

  test('due soon follows the working calendar: Friday to Monday is one working day', async () => {
    // Friday 27 Nov 09:00 WIB; due at the end of Monday 30 Nov.
    await store.save(pupr({ deadlines: { verifyBy: '2026-11-30T16:59:59.999Z' } }));
    const friday = new Date('2026-11-27T02:00:00Z');
    expect((await staffStats(store.backend.queries, sari, calendar, friday)).sla).toEqual({
      overdue: 0,
      due_soon: 1,
      on_time: 0,
    });
  });
});

describe('deadlineAlerts', () => {
  test('overdue first, then due soon, each by deadline; on-time and finished left out', async () => {
    await store.save(
      makeCase({ trackingId: 'ADU-AAAAAA', deadlines: { verifyBy: DUE_TODAY } }),
      makeCase({ trackingId: 'ADU-BBBBBB', deadlines: { verifyBy: OVERDUE } }),
      makeCase({ trackingId: 'ADU-CCCCCC', deadlines: { verifyBy: LATER } }),
      makeCase({
        trackingId: 'ADU-DDDDDD',
        status: 'resolved',
        deadlines: { autoCloseAt: OVERDUE },
      }),
      makeCase({
        trackingId: 'ADU-EEEEEE',
        status: 'in_progress',
        deadlines: { followUpBy: '2026-11-30T16:59:59.999Z' },
      }),
      makeCase({
        trackingId: 'ADU-FFFFFF',
        agencyId: 'pdam',
        category: 'water_utility',
        deadlines: { verifyBy: OVERDUE },
      }),
    );
    expect(await deadlineAlerts(store.backend.queries, sari, calendar, NOW)).toEqual([
      { trackingId: 'ADU-EEEEEE', state: 'overdue' },
      { trackingId: 'ADU-BBBBBB', state: 'overdue' },
      { trackingId: 'ADU-AAAAAA', state: 'due_soon' },
    ]);
  });

  test('pages on past one read-model page, and stops at max', async () => {
    const many = Array.from({ length: 520 }, (_, i) =>
      makeCase({
        trackingId: `ADU-${String(i).padStart(6, '0')}`,
        deadlines: { verifyBy: i < 510 ? OVERDUE : DUE_TODAY },
      }),
    );
    await store.save(...many);
    const all = await deadlineAlerts(store.backend.queries, sari, calendar, NOW, 1000);
    expect(all).toHaveLength(520);
    expect(new Set(all.map((a) => a.trackingId)).size).toBe(520);
    expect(all.slice(508, 512).map((a) => a.state)).toEqual([
      'overdue',
      'overdue',
      'due_soon',
      'due_soon',
    ]);
    expect(await deadlineAlerts(store.backend.queries, sari, calendar, NOW, 3)).toEqual(
      all.slice(0, 3),
    );
  });
});

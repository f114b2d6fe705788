import type { Case } from '../../src/cases/types';
import { CodedError } from '../../src/errors';
import { staffActor } from '../../src/staff/identity';
import { actAsStaff, planStaffAction, staffSteps } from '../../src/staff/workflow';
import { createdEvent, makeCase } from '../support/fixtures';
import { budi, openStore, sari } from './helpers';

async function refusal(run: () => unknown): Promise<CodedError> {
  try {
    await run();
  } catch (err) {
    if (err instanceof CodedError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('staffSteps (pure)', () => {
  test('resolve on a received case starts it first', () => {
    const resolve = { type: 'resolve', note: 'Sudah ditambal' } as const;
    expect(staffSteps({ status: 'received' }, resolve)).toEqual([{ type: 'start' }, resolve]);
  });

  test('every other action is itself', () => {
    const resolve = { type: 'resolve', note: 'Sudah ditambal' } as const;
    expect(staffSteps({ status: 'in_progress' }, resolve)).toEqual([resolve]);
    expect(staffSteps({ status: 'received' }, { type: 'start' })).toEqual([{ type: 'start' }]);
    expect(staffSteps({ status: 'received' }, { type: 'reject', note: 'x' })).toEqual([
      { type: 'reject', note: 'x' },
    ]);
  });
});

describe('staffActor', () => {
  test('records the staff id and, when known, the name', () => {
    expect(staffActor(sari)).toEqual({ type: 'staff', id: 'U024BE7LH', name: 'sari' });
    expect(staffActor(budi)).toEqual({ type: 'staff', id: 'U0PDAM01' });
  });
});

describe('planStaffAction (pure)', () => {
  const road = makeCase();

  test('returns the case and the steps of an allowed action', () => {
    const planned = planStaffAction(sari, road, road.trackingId, { type: 'resolve', note: 'ok' });
    expect(planned.case).toBe(road);
    expect(planned.steps.map((s) => s.type)).toEqual(['start', 'resolve']);
  });

  test.each([
    ['not_found', null, { type: 'start' }],
    ['forbidden', makeCase({ agencyId: 'pdam' }), { type: 'start' }],
    ['invalid_transition', makeCase({ status: 'closed' }), { type: 'resolve', note: 'ok' }],
    ['invalid_transition', makeCase({ status: 'in_progress' }), { type: 'verify' }],
    ['note_required', road, { type: 'resolve', note: '  ' }],
    ['same_agency', road, { type: 'transfer', toAgencyId: 'dinas-pupr' }],
  ] as const)('refuses with %s', async (code, c, action) => {
    expect((await refusal(() => planStaffAction(sari, c, road.trackingId, action))).code).toBe(
      code,
    );
  });
});

describe('actAsStaff on a real store', () => {
  let store: ReturnType<typeof openStore>;
  let road: Case;
  beforeEach(async () => {
    store = openStore();
    road = makeCase({ trackingId: 'ADU-AAAAAA' });
    await store.backend.commit({
      cases: [{ case: road, expectedVersion: null }],
      events: [createdEvent(road)],
    });
  });
  afterEach(async () => {
    await store.backend.close();
  });
  const deps = () => ({ cases: store.cases, repository: store.backend.cases });
  const history = async () =>
    (await store.backend.cases.events(road.trackingId)).map((e) => [e.type, e.actor, e.toStatus]);

  test('resolve on a received case starts it, then resolves it, as the staff member', async () => {
    const after = await actAsStaff(deps(), sari, road.trackingId, {
      type: 'resolve',
      note: 'Lubang sudah ditambal.',
    });
    expect(after.status).toBe('resolved');
    expect((await store.backend.cases.get(road.trackingId))?.status).toBe('resolved');
    const actor = { type: 'staff', id: 'U024BE7LH', name: 'sari' };
    expect((await history()).slice(1)).toEqual([
      ['start', actor, 'in_progress'],
      ['resolve', actor, 'resolved'],
    ]);
  });

  test('one step when no start is needed', async () => {
    await actAsStaff(deps(), sari, road.trackingId, { type: 'start' });
    await actAsStaff(deps(), sari, road.trackingId, { type: 'resolve', note: 'Selesai.' });
    expect((await history()).map(([type]) => type)).toEqual(['created', 'start', 'resolve']);
  });

  test("another agency's case is forbidden and left as it was", async () => {
    const err = await refusal(() => actAsStaff(deps(), budi, road.trackingId, { type: 'start' }));
    expect(err.code).toBe('forbidden');
    expect((await store.backend.cases.get(road.trackingId))?.status).toBe('received');
    expect(await history()).toHaveLength(1);
  });

  test('a resolve without a note writes nothing (no half-started case)', async () => {
    const err = await refusal(() =>
      actAsStaff(deps(), sari, road.trackingId, { type: 'resolve', note: '' }),
    );
    expect(err.code).toBe('note_required');
    expect((await store.backend.cases.get(road.trackingId))?.status).toBe('received');
    expect(await history()).toHaveLength(1);
  });

  test('invalid transitions and missing cases are refused with their codes', async () => {
    await actAsStaff(deps(), sari, road.trackingId, { type: 'reject', note: 'Bukan wewenang.' });
    expect(
      (await refusal(() => actAsStaff(deps(), sari, road.trackingId, { type: 'start' }))).code,
    ).toBe('invalid_transition');
    expect(
      (await refusal(() => actAsStaff(deps(), sari, 'ADU-ZZZZZZ', { type: 'start' }))).code,
    ).toBe('not_found');
  });

  test('a case transferred away after it was read is forbidden at write time', async () => {
    const stale = road;
    await store.cases.act(
      road.trackingId,
      { type: 'transfer', toAgencyId: 'pdam' },
      { type: 'staff', id: 'U0OTHER' },
    );
    // The read says the case is still Dinas PUPR's; the write checks the version it changes.
    const racing = { cases: store.cases, repository: { get: async () => stale } };
    const err = await refusal(() =>
      actAsStaff(racing, sari, road.trackingId, { type: 'resolve', note: 'Selesai.' }),
    );
    expect(err.code).toBe('forbidden');
    expect((await history()).map(([type]) => type)).toEqual(['created', 'transfer']);
  });

  test('the case service refuses a transfer to an unknown agency', async () => {
    const err = await refusal(() =>
      actAsStaff(deps(), sari, road.trackingId, { type: 'transfer', toAgencyId: 'nowhere' }),
    );
    expect(err.code).toBe('unknown_agency');
  });
});

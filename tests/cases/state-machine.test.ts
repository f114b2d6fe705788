import { type CaseAction, transition } from '../../src/cases/state-machine';
import type { Actor, Case, CaseStatus } from '../../src/cases/types';
import { citizen, makeCase, staff, system } from './helpers';

const NOW = new Date('2026-11-30T03:15:00.000Z');

type ActionType = CaseAction['type'];

/** One valid action of each type (valid payload, so only the state decides). */
const ACTIONS: Record<ActionType, CaseAction> = {
  verify: { type: 'verify' },
  start: { type: 'start' },
  request_info: { type: 'request_info', note: 'Mohon kirim foto lokasi.' },
  info_received: { type: 'info_received' },
  resolve: { type: 'resolve', note: 'Lubang sudah ditambal.' },
  reject: { type: 'reject', note: 'Bukan kewenangan pemerintah kota.' },
  close: { type: 'close', rating: 4 },
  reopen: { type: 'reopen', note: 'Masih berlubang.' },
  transfer: { type: 'transfer', toAgencyId: 'dinas-perhubungan' },
  note: { type: 'note', note: 'Sudah dicek petugas.', public: false },
};

const X = null; // refused
const KEEP = 'keep'; // allowed, state unchanged
type Outcome = CaseStatus | typeof X | typeof KEEP;

// Written by hand from the spec. Columns:
//                 verify      start          request_info   info_received  resolve     reject      close     reopen      transfer note
const COLUMNS: ActionType[] = [
  'verify',
  'start',
  'request_info',
  'info_received',
  'resolve',
  'reject',
  'close',
  'reopen',
  'transfer',
  'note',
];
// biome-ignore format: keep the table aligned
const TABLE: Record<CaseStatus, Outcome[]> = {
  received:    ['verified', 'in_progress', 'needs_info', X,          X,          'rejected', X,        X,          KEEP, KEEP],
  verified:    [X,          'in_progress', 'needs_info', X,          'resolved', 'rejected', X,        X,          KEEP, KEEP],
  in_progress: [X,          X,             'needs_info', X,          'resolved', 'rejected', X,        X,          KEEP, KEEP],
  // the needs_info fixture was entered from `verified`, so info_received returns there
  needs_info:  [X,          X,             X,            'verified', X,          'rejected', X,        X,          KEEP, KEEP],
  resolved:    [X,          X,             X,            X,          X,          X,          'closed', 'reopened', X,    KEEP],
  closed:      [X,          X,             X,            X,          X,          X,          X,        X,          X,    KEEP],
  rejected:    [X,          X,             X,            X,          X,          X,          X,        X,          X,    KEEP],
  reopened:    [X,          'in_progress', 'needs_info', X,          'resolved', 'rejected', X,        X,          KEEP, KEEP],
};

function caseIn(status: CaseStatus): Case {
  return makeCase(status === 'needs_info' ? { status, resumeStatus: 'verified' } : { status });
}

const cells = (Object.keys(TABLE) as CaseStatus[]).flatMap((status) =>
  COLUMNS.map((action, i) => ({ status, action, outcome: TABLE[status][i] as Outcome })),
);

test('the expected table has 8 statuses × 10 actions', () => {
  expect(cells).toHaveLength(80);
});

describe.each(cells.filter((c) => c.outcome !== X))(
  'allowed: $action from $status',
  ({ status, action, outcome }) => {
    test(`gives ${outcome === KEEP ? status : outcome}`, () => {
      const before = caseIn(status);
      const r = transition(before, ACTIONS[action], staff, NOW);
      if (!r.ok) throw new Error(`refused: ${r.error.code} ${r.error.message}`);
      const expected = outcome === KEEP ? status : outcome;
      expect(r.case.status).toBe(expected);
      expect(r.event.type).toBe(action);
      expect(r.event.fromStatus).toBe(status);
      expect(r.event.toStatus).toBe(expected);
      expect(r.case.version).toBe(2);
      expect(r.case.agencyId).toBe(action === 'transfer' ? 'dinas-perhubungan' : 'dinas-pupr');
      if (action === 'request_info') expect(r.case.resumeStatus).toBe(status);
      else if (expected !== 'needs_info') expect(r.case.resumeStatus).toBeUndefined();
    });
  },
);

describe.each(cells.filter((c) => c.outcome === X))(
  'refused: $action from $status',
  ({ status, action }) => {
    test('invalid_transition, input unchanged', () => {
      const before = caseIn(status);
      const copy = structuredClone(before);
      const r = transition(before, ACTIONS[action], staff, NOW);
      expect(r).toEqual({
        ok: false,
        error: { code: 'invalid_transition', message: expect.any(String) },
      });
      expect(before).toEqual(copy);
    });
  },
);

describe('needs_info and resumeStatus', () => {
  test.each<CaseStatus>(['received', 'verified', 'in_progress', 'reopened'])(
    'request_info from %s, then info_received, returns to %s',
    (status) => {
      const asked = transition(makeCase({ status }), ACTIONS.request_info, staff, NOW);
      if (!asked.ok) throw new Error(asked.error.code);
      expect(asked.case.status).toBe('needs_info');
      expect(asked.case.resumeStatus).toBe(status);
      const answered = transition(asked.case, { type: 'info_received' }, citizen, NOW);
      if (!answered.ok) throw new Error(answered.error.code);
      expect(answered.case.status).toBe(status);
      expect(answered.case.resumeStatus).toBeUndefined();
      expect(answered.case.version).toBe(3);
    },
  );

  test('info_received without a remembered status goes to in_progress', () => {
    const r = transition(
      makeCase({ status: 'needs_info' }),
      { type: 'info_received' },
      citizen,
      NOW,
    );
    expect(r.ok && r.case.status).toBe('in_progress');
  });

  test('a note or a transfer while needs_info keeps resumeStatus', () => {
    const c = makeCase({ status: 'needs_info', resumeStatus: 'reopened' });
    const noted = transition(c, { type: 'note', note: 'ditunggu', public: false }, staff, NOW);
    expect(noted.ok && noted.case.resumeStatus).toBe('reopened');
    const moved = transition(c, ACTIONS.transfer, staff, NOW);
    expect(moved.ok && moved.case.resumeStatus).toBe('reopened');
  });
});

describe('transfer', () => {
  test('to the same agency is refused with same_agency', () => {
    const c = makeCase({ status: 'in_progress' });
    const copy = structuredClone(c);
    const r = transition(c, { type: 'transfer', toAgencyId: 'dinas-pupr' }, staff, NOW);
    expect(!r.ok && r.error.code).toBe('same_agency');
    expect(c).toEqual(copy);
  });

  test('the event carries fromAgencyId and toAgencyId', () => {
    const r = transition(makeCase({ status: 'verified' }), ACTIONS.transfer, staff, NOW);
    if (!r.ok) throw new Error(r.error.code);
    expect(r.event.fromAgencyId).toBe('dinas-pupr');
    expect(r.event.toAgencyId).toBe('dinas-perhubungan');
    expect(r.case.status).toBe('verified');
  });
});

describe('notes', () => {
  test.each([
    ['request_info', 'received'],
    ['resolve', 'in_progress'],
    ['reject', 'received'],
    ['note', 'closed'],
  ] as const)('%s needs a note (from %s)', (type, status) => {
    for (const note of ['', '   ', '\n\t ']) {
      const c = makeCase({ status });
      const copy = structuredClone(c);
      const r = transition(c, { type, note, public: false } as CaseAction, staff, NOW);
      expect(!r.ok && r.error.code).toBe('note_required');
      expect(c).toEqual(copy);
    }
  });

  test('a note of more than 4000 characters is refused; 4000 is fine', () => {
    const c = makeCase({ status: 'in_progress' });
    const tooLong = transition(c, { type: 'resolve', note: 'a'.repeat(4001) }, staff, NOW);
    expect(!tooLong.ok && tooLong.error.code).toBe('note_too_long');
    const optional = transition(makeCase(), { type: 'verify', note: 'b'.repeat(4001) }, staff, NOW);
    expect(!optional.ok && optional.error.code).toBe('note_too_long');
    const max = transition(c, { type: 'resolve', note: ` ${'a'.repeat(4000)} ` }, staff, NOW);
    expect(max.ok && max.event.note).toBe('a'.repeat(4000));
  });

  test('the event note is trimmed; no note means no note field', () => {
    const r = transition(makeCase(), { type: 'reject', note: '  Spam.  \n' }, staff, NOW);
    expect(r.ok && r.event.note).toBe('Spam.');
    const bare = transition(makeCase(), { type: 'verify', note: '   ' }, staff, NOW);
    if (!bare.ok) throw new Error(bare.error.code);
    expect(bare.event).not.toHaveProperty('note');
  });
});

describe('close rating', () => {
  test.each([0, 6, 2.5, -1, Number.NaN])('rating %p is invalid_rating', (rating) => {
    const c = makeCase({ status: 'resolved' });
    const copy = structuredClone(c);
    const r = transition(c, { type: 'close', rating }, citizen, NOW);
    expect(!r.ok && r.error.code).toBe('invalid_rating');
    expect(c).toEqual(copy);
  });

  test.each([1, 5])('rating %p is kept on the case and the event', (rating) => {
    const r = transition(makeCase({ status: 'resolved' }), { type: 'close', rating }, citizen, NOW);
    if (!r.ok) throw new Error(r.error.code);
    expect(r.case.rating).toBe(rating);
    expect(r.event.rating).toBe(rating);
  });

  test('closing without a rating is allowed', () => {
    const r = transition(makeCase({ status: 'resolved' }), { type: 'close' }, citizen, NOW);
    if (!r.ok) throw new Error(r.error.code);
    expect(r.case.status).toBe('closed');
    expect(r.case.rating).toBeUndefined();
    expect(r.event).not.toHaveProperty('rating');
  });
});

describe('actors', () => {
  const staffOnly: [ActionType, CaseStatus][] = [
    ['verify', 'received'],
    ['start', 'verified'],
    ['request_info', 'in_progress'],
    ['resolve', 'in_progress'],
    ['reject', 'received'],
    ['transfer', 'in_progress'],
  ];
  test.each(staffOnly)('a citizen cannot %s (from %s)', (action, status) => {
    const c = makeCase({ status });
    const copy = structuredClone(c);
    const r = transition(c, ACTIONS[action], citizen, NOW);
    expect(!r.ok && r.error.code).toBe('actor_not_allowed');
    expect(c).toEqual(copy);
  });

  test.each(staffOnly)('staff and system can %s (from %s)', (action, status) => {
    for (const actor of [staff, system]) {
      expect(transition(makeCase({ status }), ACTIONS[action], actor, NOW).ok).toBe(true);
    }
  });

  test.each<[ActionType, CaseStatus]>([
    ['close', 'resolved'],
    ['reopen', 'resolved'],
    ['info_received', 'needs_info'],
    ['note', 'in_progress'],
  ])('a citizen can %s (from %s)', (action, status) => {
    const r = transition(caseIn(status), ACTIONS[action], citizen, NOW);
    expect(r.ok).toBe(true);
  });
});

describe('the new case and its event', () => {
  test('version + 1, updatedAt = now, createdAt kept, other fields untouched', () => {
    const c = makeCase({ status: 'in_progress', version: 7 });
    const r = transition(c, ACTIONS.resolve, staff, NOW);
    if (!r.ok) throw new Error(r.error.code);
    expect(r.case).toEqual({
      ...c,
      status: 'resolved',
      version: 8,
      updatedAt: '2026-11-30T03:15:00.000Z',
    });
  });

  test('event fields: seq = new version, actor, at, note, statuses', () => {
    const actor: Actor = { type: 'staff', id: 'U1', name: 'Budi' };
    const r = transition(
      makeCase({ status: 'verified', version: 3 }),
      { type: 'request_info', note: ' Di RT berapa? ' },
      actor,
      NOW,
    );
    if (!r.ok) throw new Error(r.error.code);
    expect(r.event).toEqual({
      trackingId: 'ADU-7K3M9Q',
      seq: 4,
      type: 'request_info',
      actor,
      at: '2026-11-30T03:15:00.000Z',
      note: 'Di RT berapa?',
      public: true,
      fromStatus: 'verified',
      toStatus: 'needs_info',
    });
  });

  const publicByDefault: [ActionType, CaseStatus, boolean][] = [
    ['request_info', 'received', true],
    ['resolve', 'in_progress', true],
    ['reject', 'received', true],
    ['close', 'resolved', true],
    ['reopen', 'resolved', true],
    ['verify', 'received', false],
    ['start', 'verified', false],
    ['transfer', 'in_progress', false],
    ['note', 'in_progress', false],
    ['info_received', 'needs_info', false],
  ];
  test.each(publicByDefault)('%s (from %s) is public by default: %p', (type, status, expected) => {
    // Strip any explicit `public` so only the default applies.
    const { public: _ignored, ...action } = ACTIONS[type] as CaseAction & { public?: boolean };
    const r = transition(caseIn(status), action as CaseAction, staff, NOW);
    expect(r.ok && r.event.public).toBe(expected);
  });

  test.each<[CaseAction, CaseStatus, boolean]>([
    [{ type: 'verify', public: true }, 'received', true],
    [{ type: 'note', note: 'Untuk warga', public: true }, 'in_progress', true],
    [{ type: 'close', public: false }, 'resolved', false],
    [{ type: 'reopen', public: false }, 'resolved', false],
    [{ type: 'transfer', toAgencyId: 'pdam', public: true }, 'received', true],
  ])('an explicit public flag is honoured: %j', (action, status, expected) => {
    const r = transition(makeCase({ status }), action, staff, NOW);
    expect(r.ok && r.event.public).toBe(expected);
  });

  test('accepted transitions do not mutate the input case', () => {
    const c = makeCase({ status: 'needs_info', resumeStatus: 'in_progress' });
    const copy = structuredClone(c);
    const r = transition(c, { type: 'info_received', note: 'foto terlampir' }, citizen, NOW);
    expect(r.ok).toBe(true);
    expect(c).toEqual(copy);
  });
});

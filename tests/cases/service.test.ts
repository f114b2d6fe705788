import type { NewCaseInput } from '../../src/cases/new-case';
import { type CaseChange, CaseService } from '../../src/cases/service';
import type { CaseAction } from '../../src/cases/state-machine';
import type { RandomBytes } from '../../src/cases/tracking-id';
import type { CaseEvent } from '../../src/cases/types';
import { CodedError } from '../../src/errors';
import type { NewOutboxMessage } from '../../src/outbox/port';
import { SqliteBackend } from '../../src/store/sqlite/backend';
import {
  bytesSequence,
  citizen,
  endOfWib,
  projectDirectory,
  projectPlanner,
  staff,
} from './helpers';

const INPUT: NewCaseInput = {
  kind: 'complaint',
  text: '  Jalan Merdeka berlubang besar di depan SDN 3  ',
  language: 'id',
  category: 'roads_drainage',
  location: { text: 'Jl. Merdeka', lat: -6.2, lon: 106.8 },
  reporter: { channel: 'telegram', channelUserId: '1001' },
  identity: 'named',
};

/** One message to the reporter per accepted event. */
function notify(change: CaseChange): NewOutboxMessage[] {
  const { after, event } = change;
  return [
    {
      idempotencyKey: `${event.trackingId}#${event.seq}`,
      channel: after.reporter.channel,
      recipient: after.reporter.channelUserId,
      payload: { type: event.type, status: after.status },
      trackingId: event.trackingId,
    },
  ];
}

let backend: SqliteBackend;
let now: Date;
let service: CaseService;

function makeService(randomBytes: RandomBytes, withNotify = true): CaseService {
  return new CaseService({
    backend,
    directory: projectDirectory(),
    planner: projectPlanner(),
    clock: () => now,
    randomBytes,
    ...(withNotify ? { notify } : {}),
    minRouteConfidence: 0.5,
  });
}

beforeEach(() => {
  backend = SqliteBackend.open({ path: ':memory:' });
  now = new Date('2026-11-27T02:00:00.000Z'); // Friday 09:00 WIB
  service = makeService(bytesSequence([7, 19, 3, 20, 9, 23])); // ADU-7K3M9Q
});
afterEach(() => backend.close());

/** The CodedError code a promise rejects with. */
async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CodedError) return err.code;
    throw err;
  }
  throw new Error('did not throw');
}

describe('open', () => {
  test('creates a received case, routed, with a verify deadline, and persists it', async () => {
    const { case: c, event, routeReason } = await service.open(INPUT, citizen);
    expect(c).toEqual({
      trackingId: 'ADU-7K3M9Q',
      kind: 'complaint',
      text: 'Jalan Merdeka berlubang besar di depan SDN 3',
      language: 'id',
      category: 'roads_drainage',
      agencyId: 'dinas-pupr',
      priority: 'normal',
      location: { text: 'Jl. Merdeka', lat: -6.2, lon: 106.8 },
      attachments: [],
      reporter: { channel: 'telegram', channelUserId: '1001' },
      identity: 'named',
      status: 'received',
      deadlines: { verifyBy: endOfWib('2026-12-02') }, // Fri + 3 working days
      createdAt: '2026-11-27T02:00:00.000Z',
      updatedAt: '2026-11-27T02:00:00.000Z',
      version: 1,
      // Friday 27 Nov 2026 is in the week of Monday 23 Nov.
      stats: { week: '2026-11-23', open: true, reopened: false },
    });
    expect(routeReason).toBe('category');
    const created: CaseEvent = {
      trackingId: 'ADU-7K3M9Q',
      seq: 1,
      type: 'created',
      actor: citizen,
      at: '2026-11-27T02:00:00.000Z',
      public: false,
      fromStatus: null,
      toStatus: 'received',
      toAgencyId: 'dinas-pupr',
    };
    expect(event).toEqual(created);
    expect(await backend.cases.get('ADU-7K3M9Q')).toEqual(c);
    expect(await backend.cases.events('ADU-7K3M9Q')).toEqual([created]);
  });

  test('an urgent disaster case gets a 1-day verify deadline and its agency', async () => {
    const { case: c } = await service.open(
      { ...INPUT, category: 'disaster_fire', priority: 'urgent' },
      citizen,
    );
    expect(c.agencyId).toBe('bpbd-damkar');
    expect(c.deadlines).toEqual({ verifyBy: endOfWib('2026-11-30') });
  });

  test('a low-confidence category goes to triage', async () => {
    const r = await service.open({ ...INPUT, categoryConfidence: 0.2 }, citizen);
    expect(r.routeReason).toBe('low_confidence');
    expect(r.case.agencyId).toBe('triage');
  });

  test('`other` goes to triage', async () => {
    const r = await service.open({ ...INPUT, category: 'other' }, citizen);
    expect(r.case.agencyId).toBe('triage');
  });

  test('an id already in the store is skipped: the next draw is used', async () => {
    const first = await makeService(bytesSequence([0, 0, 0, 0, 0, 0])).open(INPUT, citizen);
    expect(first.case.trackingId).toBe('ADU-000000');
    const draws = bytesSequence([0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1]);
    const second = await makeService(draws).open(INPUT, citizen);
    expect(second.case.trackingId).toBe('ADU-111111');
    expect((await backend.cases.get('ADU-000000'))?.version).toBe(1);
    expect(await backend.cases.events('ADU-111111')).toHaveLength(1);
  });

  test('gives up with id_exhausted when every draw collides', async () => {
    const zeros = bytesSequence([0, 0, 0, 0, 0, 0]);
    await makeService(zeros).open(INPUT, citizen);
    expect(await codeOf(makeService(zeros).open(INPUT, citizen))).toBe('id_exhausted');
  });

  test('an id taken between the check and the insert (another instance) makes it draw again', async () => {
    const draws = bytesSequence([0, 0, 0, 0, 0, 0], [2, 2, 2, 2, 2, 2]);
    const racing = makeService(draws);
    // The store says the id is free, then another instance inserts it before our commit.
    const realExists = backend.cases.exists.bind(backend.cases);
    let raced = false;
    backend.cases.exists = async (id: string) => {
      if (!raced) {
        raced = true;
        await makeService(bytesSequence([0, 0, 0, 0, 0, 0])).open(INPUT, citizen);
        return false;
      }
      return realExists(id);
    };
    const r = await racing.open(INPUT, citizen);
    expect(r.case.trackingId).toBe('ADU-222222');
  });

  test('a duplicate in the caller’s own extra changes is not mistaken for an id collision', async () => {
    const draws = jest.fn(bytesSequence([5, 5, 5, 5, 5, 5], [6, 6, 6, 6, 6, 6]));
    const first = await makeService(draws).open(INPUT, citizen);
    const clash = { ...(await backend.cases.events(first.case.trackingId))[0] } as CaseEvent;
    draws.mockClear();
    const err = await makeService(draws)
      .open(INPUT, citizen, { events: [clash] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CodedError);
    expect((err as CodedError).code).toBe('duplicate');
    expect(draws).toHaveBeenCalledTimes(1);
  });

  test('the notification is written with the case', async () => {
    await service.open(INPUT, citizen);
    const outbox = await backend.outbox.list();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({
      idempotencyKey: 'ADU-7K3M9Q#1',
      channel: 'telegram',
      recipient: '1001',
      payload: { type: 'created', status: 'received' },
      trackingId: 'ADU-7K3M9Q',
      status: 'pending',
    });
  });
});

describe('act', () => {
  beforeEach(async () => {
    await service.open(INPUT, citizen);
  });

  test('applies a transition, appends history and plans the follow-up deadline', async () => {
    now = new Date('2026-11-30T03:00:00.000Z'); // Monday 10:00 WIB
    const { case: c, event } = await service.act('ADU-7K3M9Q', { type: 'verify' }, staff);
    expect(c.status).toBe('verified');
    expect(c.version).toBe(2);
    expect(c.updatedAt).toBe('2026-11-30T03:00:00.000Z');
    // Mon + 5 working days → Mon 7 December
    expect(c.deadlines).toEqual({
      verifyBy: endOfWib('2026-12-02'),
      followUpBy: endOfWib('2026-12-07'),
    });
    expect(event).toMatchObject({ seq: 2, type: 'verify', actor: staff, fromStatus: 'received' });
    expect(await backend.cases.get('ADU-7K3M9Q')).toEqual(c);
    const history = await backend.cases.events('ADU-7K3M9Q');
    expect(history.map((e) => [e.seq, e.type, e.toStatus])).toEqual([
      [1, 'created', 'received'],
      [2, 'verify', 'verified'],
    ]);
  });

  test('a full life cycle with a transfer, resolution and closing', async () => {
    const steps: [CaseAction, string][] = [
      [{ type: 'verify' }, 'verified'],
      [{ type: 'transfer', toAgencyId: 'dinas-perhubungan', note: 'Salah dinas' }, 'verified'],
      [{ type: 'start' }, 'in_progress'],
      [{ type: 'resolve', note: 'Sudah diperbaiki.' }, 'resolved'],
    ];
    for (const [action, status] of steps) {
      const r = await service.act('ADU-7K3M9Q', action, staff);
      expect(r.case.status).toBe(status);
    }
    const resolved = await backend.cases.get('ADU-7K3M9Q');
    expect(resolved?.agencyId).toBe('dinas-perhubungan');
    // resolved on Fri 27 Nov + 10 working days → Fri 11 Dec
    expect(resolved?.deadlines.autoCloseAt).toBe(endOfWib('2026-12-11'));
    const closed = await service.act('ADU-7K3M9Q', { type: 'close', rating: 5 }, citizen);
    expect(closed.case).toMatchObject({ status: 'closed', rating: 5, version: 6 });
    const history = await backend.cases.events('ADU-7K3M9Q');
    expect(history.map((e) => e.type)).toEqual([
      'created',
      'verify',
      'transfer',
      'start',
      'resolve',
      'close',
    ]);
    expect(history[2]).toMatchObject({
      fromAgencyId: 'dinas-pupr',
      toAgencyId: 'dinas-perhubungan',
      note: 'Salah dinas',
    });
  });

  test('not_found for an unknown case', async () => {
    expect(await codeOf(service.act('ADU-ZZZZZZ', { type: 'verify' }, staff))).toBe('not_found');
  });

  test('invalid_transition, nothing written', async () => {
    const code = await codeOf(service.act('ADU-7K3M9Q', { type: 'close' }, citizen));
    expect(code).toBe('invalid_transition');
    expect((await backend.cases.get('ADU-7K3M9Q'))?.status).toBe('received');
    expect(await backend.cases.events('ADU-7K3M9Q')).toHaveLength(1);
  });

  test('other transition codes come through (note_required, actor_not_allowed, same_agency)', async () => {
    expect(await codeOf(service.act('ADU-7K3M9Q', { type: 'reject', note: ' ' }, staff))).toBe(
      'note_required',
    );
    expect(await codeOf(service.act('ADU-7K3M9Q', { type: 'verify' }, citizen))).toBe(
      'actor_not_allowed',
    );
    expect(
      await codeOf(
        service.act('ADU-7K3M9Q', { type: 'transfer', toAgencyId: 'dinas-pupr' }, staff),
      ),
    ).toBe('same_agency');
  });

  test('unknown_agency for a transfer outside the directory', async () => {
    const code = await codeOf(
      service.act('ADU-7K3M9Q', { type: 'transfer', toAgencyId: 'dinas-rahasia' }, staff),
    );
    expect(code).toBe('unknown_agency');
    expect((await backend.cases.get('ADU-7K3M9Q'))?.agencyId).toBe('dinas-pupr');
  });

  test('a transfer to the triage desk is allowed', async () => {
    const r = await service.act('ADU-7K3M9Q', { type: 'transfer', toAgencyId: 'triage' }, staff);
    expect(r.case.agencyId).toBe('triage');
  });

  test('notifications are written for accepted actions only', async () => {
    await service.act('ADU-7K3M9Q', { type: 'verify' }, staff);
    await expect(service.act('ADU-7K3M9Q', { type: 'verify' }, staff)).rejects.toThrow(CodedError);
    await expect(
      service.act('ADU-7K3M9Q', { type: 'transfer', toAgencyId: 'nope' }, staff),
    ).rejects.toThrow(CodedError);
    await service.act('ADU-7K3M9Q', { type: 'request_info', note: 'Foto?' }, staff);
    // Same clock for every write, so sort by key (the store orders by time, then a random id).
    const outbox = (await backend.outbox.list()).sort((a, b) =>
      a.idempotencyKey.localeCompare(b.idempotencyKey),
    );
    expect(outbox.map((m) => [m.idempotencyKey, m.payload])).toEqual([
      ['ADU-7K3M9Q#1', { type: 'created', status: 'received' }],
      ['ADU-7K3M9Q#2', { type: 'verify', status: 'verified' }],
      ['ADU-7K3M9Q#3', { type: 'request_info', status: 'needs_info' }],
    ]);
  });

  test('the case, its event and its notification commit together or not at all', async () => {
    const clash: CaseEvent = {
      trackingId: 'ADU-7K3M9Q',
      seq: 1, // already taken by the created event
      type: 'note',
      actor: staff,
      at: now.toISOString(),
      public: false,
      fromStatus: 'received',
      toStatus: 'received',
    };
    await expect(
      service.act('ADU-7K3M9Q', { type: 'verify' }, staff, { events: [clash] }),
    ).rejects.toThrow();
    expect((await backend.cases.get('ADU-7K3M9Q'))?.status).toBe('received');
    expect(await backend.cases.events('ADU-7K3M9Q')).toHaveLength(1);
    expect(await backend.outbox.list()).toHaveLength(1);
  });

  test('works without notify', async () => {
    const quiet = makeService(bytesSequence([1, 2, 3, 4, 5, 6]), false);
    const { case: c } = await quiet.open(INPUT, citizen);
    await quiet.act(c.trackingId, { type: 'verify' }, staff);
    expect(await backend.outbox.list()).toHaveLength(1); // only the one from the beforeEach case
  });
});

describe('find', () => {
  beforeEach(async () => {
    await service.open(INPUT, citizen);
  });

  test.each(['ADU-7K3M9Q', 'adu 7k3m9q', ' Adu-7k3m9q ', 'adu7k3m9q'])(
    '%j finds the case',
    async (typed) => {
      expect((await service.find(typed))?.trackingId).toBe('ADU-7K3M9Q');
    },
  );

  test('O/0 and I/L/1 confusions', async () => {
    await makeService(bytesSequence([0, 1, 10, 11, 12, 13])).open(INPUT, citizen); // ADU-01ABCD
    expect((await service.find('adu-oiabcd'))?.trackingId).toBe('ADU-01ABCD');
    expect((await service.find('ADU OLABCD'))?.trackingId).toBe('ADU-01ABCD');
  });

  test.each(['ADU-ZZZZZZ', 'not an id', '', 'ADU-7K3M9U'])('%j → null', async (typed) => {
    expect(await service.find(typed)).toBeNull();
  });
});

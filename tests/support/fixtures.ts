import type { Case, CaseEvent } from '../../src/cases/types';

/** A minimal valid case; override any field. */
export function makeCase(overrides: Partial<Case> = {}): Case {
  const at = '2026-11-27T02:00:00.000Z';
  return {
    trackingId: 'ADU-7K3M9Q',
    kind: 'complaint',
    text: 'Jalan depan rumah saya berlubang sudah 2 bulan',
    language: 'id',
    category: 'roads_drainage',
    agencyId: 'dinas-pupr',
    priority: 'normal',
    attachments: [],
    reporter: { channel: 'telegram', channelUserId: '1001' },
    identity: 'named',
    status: 'received',
    deadlines: { verifyBy: '2026-12-02T16:59:59.999Z' },
    createdAt: at,
    updatedAt: at,
    version: 1,
    ...overrides,
  };
}

/** The `created` event matching a case from makeCase. */
export function createdEvent(c: Case): CaseEvent {
  return {
    trackingId: c.trackingId,
    seq: 1,
    type: 'created',
    actor: { type: 'citizen', id: c.reporter.channelUserId },
    at: c.createdAt,
    public: false,
    fromStatus: null,
    toStatus: 'received',
  };
}

/** A clock that only moves when told to. */
export function manualClock(start = '2026-11-27T02:00:00.000Z') {
  let now = new Date(start).getTime();
  const clock = () => new Date(now);
  clock.advance = (ms: number) => {
    now += ms;
  };
  clock.set = (iso: string) => {
    now = new Date(iso).getTime();
  };
  return clock;
}

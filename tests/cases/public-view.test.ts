import { lastPublicNote, publicTimeline } from '../../src/cases/public-view';
import type { CaseEvent } from '../../src/cases/types';
import { createdEvent, makeCase } from '../support/fixtures';

const c = makeCase();
const staff = { type: 'staff' as const, id: 'U1', name: 'sari' };
let seq = 1;
function event(e: Partial<CaseEvent> & Pick<CaseEvent, 'type' | 'toStatus'>): CaseEvent {
  seq += 1;
  return {
    trackingId: c.trackingId,
    seq,
    actor: staff,
    at: `2026-11-2${seq}T03:00:00.000Z`,
    public: false,
    fromStatus: 'received',
    ...e,
  };
}

const history: CaseEvent[] = [
  createdEvent(c),
  event({ type: 'verify', fromStatus: 'received', toStatus: 'verified' }),
  event({ type: 'note', toStatus: 'verified', fromStatus: 'verified', note: 'internal: call PLN' }),
  event({
    type: 'transfer',
    fromStatus: 'verified',
    toStatus: 'verified',
    fromAgencyId: 'dinas-pupr',
    toAgencyId: 'pdam',
  }),
  event({
    type: 'request_info',
    fromStatus: 'verified',
    toStatus: 'needs_info',
    public: true,
    note: 'Mohon kirim foto lokasi.',
  }),
  event({
    type: 'info_received',
    actor: { type: 'citizen', id: '1001' },
    fromStatus: 'needs_info',
    toStatus: 'verified',
    public: true,
    note: 'Rumah saya Jl. Mawar 3, hp 0812345678',
  }),
];

describe('the public view of a case', () => {
  test('status changes, transfers and staff public notes; never internal notes or the citizen’s words', () => {
    const timeline = publicTimeline(c, history);
    expect(timeline.map((e) => [e.type, e.status, e.agencyId ?? null, e.note ?? null])).toEqual([
      ['created', 'received', null, null],
      ['verify', 'verified', null, null],
      ['transfer', 'verified', 'pdam', null],
      ['request_info', 'needs_info', null, 'Mohon kirim foto lokasi.'],
      ['info_received', 'verified', null, null],
    ]);
    expect(JSON.stringify(timeline)).not.toMatch(/internal|0812345678|Mawar/);
    expect(lastPublicNote(c, history)).toBe('Mohon kirim foto lokasi.');
  });

  test('a confidential case has no public history and no public note', () => {
    const secret = makeCase({ identity: 'confidential' });
    expect(publicTimeline(secret, history)).toEqual([]);
    expect(lastPublicNote(secret, history)).toBeUndefined();
  });
});

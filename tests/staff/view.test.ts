import type { Case, CaseEvent, IdentityMode } from '../../src/cases/types';
import { citizenText, staffCaseView, staffEventView } from '../../src/staff/view';
import { createdEvent, makeCase } from '../support/fixtures';

const NIK = '3201012345670001';
const PHONE = '0812-3456-7890';
const EMAIL = 'budi.santoso@mail.co.id';
const TEXT = `Jalan rusak. NIK saya ${NIK}, hp ${PHONE}, email ${EMAIL}`;

function report(identity: IdentityMode): Case {
  return makeCase({
    identity,
    text: TEXT,
    location: { text: `Depan rumah, hubungi ${PHONE}`, lat: -6.2, lon: 106.8 },
    reporter: {
      channel: 'telegram',
      channelUserId: '777001',
      conversationId: '777001',
      name: 'Budi Santoso',
      phone: '081299998888',
      email: 'budi@example.org',
    },
    attachments: [{ kind: 'photo', ref: 'file-1' }],
  });
}

/** Everything a view would send out: its JSON. */
const json = (value: unknown) => JSON.stringify(value);

describe('staffCaseView', () => {
  test('named: the text as written and the reporter shown, without their ids', () => {
    const v = staffCaseView(report('named'), 'en');
    expect(v.text).toBe(TEXT);
    expect(v.location).toEqual({ text: `Depan rumah, hubungi ${PHONE}`, lat: -6.2, lon: 106.8 });
    expect(v.reporter).toEqual({
      channel: 'telegram',
      name: 'Budi Santoso',
      phone: '081299998888',
      email: 'budi@example.org',
    });
    expect(json(v)).not.toContain('777001');
  });

  test.each(['anonymous', 'confidential'] as const)(
    '%s: NIK, phone and e-mail masked, nothing of the reporter shown',
    (identity) => {
      const v = staffCaseView(report(identity), 'en');
      expect(v.identity).toBe(identity);
      expect(v.text).toBe(
        'Jalan rusak. NIK saya [NIK hidden], hp [phone hidden], email [e-mail hidden]',
      );
      expect(v.location).toEqual({
        text: 'Depan rumah, hubungi [phone hidden]',
        lat: -6.2,
        lon: 106.8,
      });
      expect(v.reporter).toBeNull();
      const out = json(v);
      for (const secret of [
        NIK,
        PHONE,
        EMAIL,
        'Budi Santoso',
        '081299998888',
        'budi@example.org',
        '777001',
        'telegram',
      ])
        expect(out).not.toContain(secret);
    },
  );

  test('mask labels in the staff language', () => {
    expect(staffCaseView(report('anonymous'), 'id').text).toBe(
      'Jalan rusak. NIK saya [NIK disamarkan], hp [nomor telepon disamarkan], email [email disamarkan]',
    );
  });

  test('the rest of the case is shown as it is', () => {
    const c = report('confidential');
    const v = staffCaseView(c, 'en');
    expect(v).toMatchObject({
      trackingId: c.trackingId,
      kind: c.kind,
      category: c.category,
      agencyId: c.agencyId,
      priority: c.priority,
      status: c.status,
      deadlines: c.deadlines,
      attachments: c.attachments,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      version: c.version,
    });
  });

  test('a raw case is not mistaken for a view: only views carry the mark', () => {
    const c = report('named');
    const v = staffCaseView(c, 'en');
    const marks = (x: object) => Object.getOwnPropertySymbols(x).length;
    expect(marks(v)).toBe(1);
    expect(marks(c)).toBe(0);
  });
});

describe('staffEventView', () => {
  const infoFrom = (c: Case): CaseEvent => ({
    ...createdEvent(c),
    seq: 3,
    type: 'info_received',
    note: `nomor saya ${PHONE}`,
    fromStatus: 'needs_info',
    toStatus: 'in_progress',
  });

  test("a citizen's note is masked unless named, and the citizen is never an id", () => {
    const anonymous = staffEventView(report('anonymous'), infoFrom(report('anonymous')), 'en');
    expect(anonymous.note).toBe('nomor saya [phone hidden]');
    expect(anonymous.actor).toEqual({ type: 'citizen' });
    expect(json(anonymous)).not.toContain('1001');
    const named = staffEventView(report('named'), infoFrom(report('named')), 'en');
    expect(named.note).toBe(`nomor saya ${PHONE}`);
    expect(named.actor).toEqual({ type: 'citizen' });
  });

  test('staff notes and staff actors are shown as written', () => {
    const c = report('confidential');
    const e: CaseEvent = {
      ...createdEvent(c),
      seq: 2,
      type: 'note',
      actor: { type: 'staff', id: 'U024BE7LH', name: 'sari' },
      note: `Sudah ditelepon ke ${PHONE}`,
      fromStatus: 'received',
    };
    const v = staffEventView(c, e, 'en');
    expect(v.note).toBe(`Sudah ditelepon ke ${PHONE}`);
    expect(v.actor).toEqual({ type: 'staff', id: 'U024BE7LH', name: 'sari' });
  });

  test('citizenText masks by the report kind', () => {
    expect(citizenText({ identity: 'named' }, `hp ${PHONE}`, 'en')).toBe(`hp ${PHONE}`);
    expect(citizenText({ identity: 'confidential' }, `hp ${PHONE}`, 'en')).toBe(
      'hp [phone hidden]',
    );
  });
});

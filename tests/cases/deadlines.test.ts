import { parseDeadlineRules, parseHolidays } from '../../src/cases/deadline-rules';
import {
  type DeadlinePlanner,
  type DeadlineRules,
  daysFor,
  nextDeadline,
  planDeadlines,
  slaState,
} from '../../src/cases/deadlines';
import type { Case, CaseStatus } from '../../src/cases/types';
import { calendarWith, endOfWib, loadIntentsYaml, makeCase, realCalendar } from './helpers';

function shippedRules(): DeadlineRules {
  const r = parseDeadlineRules(loadIntentsYaml('deadlines.yaml'));
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.value.rules;
}

const planner: DeadlinePlanner = { calendar: realCalendar(), rules: shippedRules() };
/** Friday 2026-11-27, 09:00 WIB. */
const FRIDAY = new Date('2026-11-27T02:00:00.000Z');
// From Friday 27 Nov 2026 (no holidays until 24 Dec): +1 Mon 30, +2 Tue 1, +3 Wed 2, +5 Fri 4, +10 Fri 11
const PLUS1 = endOfWib('2026-11-30');
const PLUS2 = endOfWib('2026-12-01');
const PLUS3 = endOfWib('2026-12-02');
const PLUS5 = endOfWib('2026-12-04');
const PLUS10 = endOfWib('2026-12-11');
const OLD = '2026-11-20T16:59:59.999Z';

describe('parseDeadlineRules', () => {
  test('reads the shipped intents/deadlines.yaml', () => {
    expect(parseDeadlineRules(loadIntentsYaml('deadlines.yaml'))).toEqual({
      ok: true,
      value: {
        timeZone: 'Asia/Jakarta',
        rules: {
          defaults: { verify: 3, followUp: 5, autoClose: 10 },
          categories: {
            disaster_fire: { verify: 1, followUp: 1 },
            health: { followUp: 3 },
            electricity: { followUp: 3 },
            water_utility: { followUp: 3 },
          },
          urgent: { verify: 1, followUp: 2 },
          autoCloseNote: {
            id: expect.stringMatching(/^Laporan ditutup otomatis/),
            en: expect.stringMatching(/^Report closed automatically/),
          },
        },
      },
    });
  });

  test('time_zone defaults to Asia/Jakarta; categories and urgent are optional', () => {
    const r = parseDeadlineRules({ defaults: { verify: 2, follow_up: 4, auto_close: 7 } });
    expect(r).toEqual({
      ok: true,
      value: {
        timeZone: 'Asia/Jakarta',
        rules: { defaults: { verify: 2, followUp: 4, autoClose: 7 }, categories: {} },
      },
    });
  });

  const good = { defaults: { verify: 3, follow_up: 5, auto_close: 10 } };
  test.each([
    [
      'a negative number of days',
      { defaults: { ...good.defaults, verify: -1 } },
      'defaults.verify',
    ],
    [
      'a fraction of a day',
      { defaults: { ...good.defaults, auto_close: 1.5 } },
      'defaults.auto_close',
    ],
    ['missing defaults', {}, 'defaults'],
    ['an unknown category key', { ...good, categories: { potholes: { verify: 1 } } }, 'categories'],
    ['an unknown step', { ...good, categories: { health: { follow: 1 } } }, 'categories.health'],
    ['a negative urgent value', { ...good, urgent: { follow_up: -2 } }, 'urgent.follow_up'],
    ['an unknown time zone', { ...good, time_zone: 'Asia/Atlantis' }, 'time_zone'],
    [
      'an auto-close note without English',
      { ...good, auto_close_note: { id: 'Ditutup' } },
      'auto_close_note.en',
    ],
  ])('refuses %s with an error line naming the field', (_what, raw, field) => {
    const r = parseDeadlineRules(raw);
    if (r.ok) throw new Error('accepted bad input');
    expect(r.errors.length).toBeGreaterThan(0);
    expect(r.errors.some((line) => line.startsWith(field))).toBe(true);
  });

  test('the time zone error names the zone', () => {
    const r = parseDeadlineRules({ ...good, time_zone: 'Asia/Atlantis' });
    expect(!r.ok && r.errors.join('\n')).toMatch(/Asia\/Atlantis/);
  });
});

describe('parseHolidays', () => {
  test('the shipped file has 2026 and 2027 (25 + 26 dates) incl. cuti bersama', () => {
    const r = parseHolidays(loadIntentsYaml('holidays.yaml'));
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect([...r.value].filter((d) => d.startsWith('2026-'))).toHaveLength(25);
    expect([...r.value].filter((d) => d.startsWith('2027-'))).toHaveLength(26);
    for (const d of ['2026-03-18', '2026-03-20', '2026-03-24', '2026-12-24', '2027-01-01']) {
      expect(r.value.has(d)).toBe(true);
    }
    expect(r.value.has('2026-03-25')).toBe(false);
  });

  test.each([
    [
      'a bad date',
      { date: '2026-13-01', name: { id: 'x', en: 'x' }, type: 'national' },
      'holidays.0.date',
    ],
    [
      'an unknown type',
      { date: '2026-01-02', name: { id: 'x', en: 'x' }, type: 'regional' },
      'holidays.0.type',
    ],
    ['a missing name', { date: '2026-01-02', type: 'national' }, 'holidays.0.name'],
  ])('refuses %s', (_what, entry, field) => {
    const r = parseHolidays({ holidays: [entry] });
    expect(!r.ok && r.errors.some((line) => line.startsWith(field))).toBe(true);
  });
});

describe('daysFor', () => {
  const rules = shippedRules();
  test.each([
    ['roads_drainage', 'normal', { verify: 3, followUp: 5, autoClose: 10 }],
    ['health', 'normal', { verify: 3, followUp: 3, autoClose: 10 }],
    ['disaster_fire', 'normal', { verify: 1, followUp: 1, autoClose: 10 }],
    ['other', 'normal', { verify: 3, followUp: 5, autoClose: 10 }],
    ['roads_drainage', 'urgent', { verify: 1, followUp: 2, autoClose: 10 }],
    ['health', 'urgent', { verify: 1, followUp: 2, autoClose: 10 }],
    ['disaster_fire', 'urgent', { verify: 1, followUp: 1, autoClose: 10 }],
  ] as const)('%s, %s', (category, priority, expected) => {
    expect(daysFor(rules, category, priority)).toEqual(expected);
  });

  test('urgent takes the minimum of urgent and the category value', () => {
    const custom: DeadlineRules = {
      defaults: { verify: 3, followUp: 5, autoClose: 10 },
      categories: { education: { followUp: 8, autoClose: 4 } },
      urgent: { followUp: 6, autoClose: 7 },
    };
    expect(daysFor(custom, 'education', 'urgent')).toEqual({
      verify: 3,
      followUp: 6,
      autoClose: 4,
    });
    expect(daysFor(custom, 'education', 'normal')).toEqual({
      verify: 3,
      followUp: 8,
      autoClose: 4,
    });
  });

  test('urgent without urgent rules is like normal', () => {
    const custom: DeadlineRules = {
      defaults: { verify: 2, followUp: 4, autoClose: 6 },
      categories: {},
    };
    expect(daysFor(custom, 'health', 'urgent')).toEqual({ verify: 2, followUp: 4, autoClose: 6 });
  });

  test('does not change the rules it reads', () => {
    const before = structuredClone(rules);
    daysFor(rules, 'health', 'urgent');
    expect(rules).toEqual(before);
  });
});

describe('planDeadlines', () => {
  const plan = (c: Case, event: Parameters<typeof planDeadlines>[2], now = FRIDAY) =>
    planDeadlines(planner, c, event, now);

  test('created → verifyBy only (3 working days)', () => {
    const c = makeCase({ deadlines: { followUpBy: OLD } });
    expect(plan(c, 'created')).toEqual({ verifyBy: PLUS3 });
  });

  test('created, urgent → verifyBy in 1 working day', () => {
    expect(plan(makeCase({ priority: 'urgent', deadlines: {} }), 'created')).toEqual({
      verifyBy: PLUS1,
    });
  });

  test('created on the eve of Idul Fitri 2026 → after the holidays', () => {
    const c = makeCase({ deadlines: {} });
    expect(plan(c, 'created', new Date('2026-03-17T03:00:00Z'))).toEqual({
      verifyBy: endOfWib('2026-03-27'),
    });
  });

  test('verify → followUpBy in 5 days, verifyBy kept, autoCloseAt dropped', () => {
    const c = makeCase({ status: 'verified', deadlines: { verifyBy: OLD, autoCloseAt: OLD } });
    expect(plan(c, 'verify')).toEqual({ verifyBy: OLD, followUpBy: PLUS5 });
  });

  test('verify for a health case → follow-up in 3 days', () => {
    const c = makeCase({ status: 'verified', category: 'health', deadlines: {} });
    expect(plan(c, 'verify')).toEqual({ followUpBy: PLUS3 });
  });

  test('verify for an urgent case → follow-up in 2 days', () => {
    const c = makeCase({ status: 'verified', priority: 'urgent', deadlines: {} });
    expect(plan(c, 'verify')).toEqual({ followUpBy: PLUS2 });
  });

  test('start straight from received → a follow-up period starts', () => {
    const c = makeCase({ status: 'in_progress', deadlines: { verifyBy: OLD } });
    expect(plan(c, 'start')).toEqual({ verifyBy: OLD, followUpBy: PLUS5 });
  });

  test('start after verify keeps the running follow-up deadline', () => {
    const c = makeCase({ status: 'in_progress', deadlines: { verifyBy: OLD, followUpBy: OLD } });
    expect(plan(c, 'start')).toEqual({ verifyBy: OLD, followUpBy: OLD });
  });

  test('transfer of a case in follow-up → a new follow-up period for the new agency', () => {
    const c = makeCase({ status: 'in_progress', deadlines: { verifyBy: OLD, followUpBy: OLD } });
    expect(plan(c, 'transfer')).toEqual({ verifyBy: OLD, followUpBy: PLUS5 });
  });

  test('transfer of a received case → a new verify period', () => {
    const c = makeCase({ status: 'received', deadlines: { verifyBy: OLD } });
    expect(plan(c, 'transfer')).toEqual({ verifyBy: PLUS3 });
  });

  test('resolve → autoCloseAt in 10 working days, the rest kept', () => {
    const c = makeCase({ status: 'resolved', deadlines: { verifyBy: OLD, followUpBy: OLD } });
    expect(plan(c, 'resolve')).toEqual({ verifyBy: OLD, followUpBy: OLD, autoCloseAt: PLUS10 });
  });

  test('resolve just before year end → auto-close skips Christmas and New Year', () => {
    // Wed 2026-12-23: Mon 28 (1), Tue 29 (2), Wed 30 (3), Thu 31 (4), [Fri 1 Jan holiday],
    // Mon 4 (5), [Tue 5 Isra Mikraj], Wed 6 (6), Thu 7 (7), Fri 8 (8), Mon 11 (9), Tue 12 (10)
    const c = makeCase({ status: 'resolved', deadlines: {} });
    expect(plan(c, 'resolve', new Date('2026-12-23T03:00:00Z'))).toEqual({
      autoCloseAt: endOfWib('2027-01-12'),
    });
  });

  test('reopen → a new follow-up period, autoCloseAt dropped', () => {
    const c = makeCase({ status: 'reopened', deadlines: { followUpBy: OLD, autoCloseAt: OLD } });
    expect(plan(c, 'reopen')).toEqual({ followUpBy: PLUS5 });
  });

  test('info_received back to work → a new follow-up period (as planDeadlines documents)', () => {
    const c = makeCase({ status: 'in_progress', deadlines: { verifyBy: OLD, followUpBy: OLD } });
    expect(plan(c, 'info_received')).toEqual({ verifyBy: OLD, followUpBy: PLUS5 });
  });

  test.each(['request_info', 'reject', 'close', 'note'] as const)(
    '%s leaves deadlines as they are',
    (event) => {
      const deadlines = { verifyBy: OLD, followUpBy: OLD };
      expect(plan(makeCase({ status: 'in_progress', deadlines }), event)).toEqual(deadlines);
    },
  );

  test('does not mutate the case it is given', () => {
    const c = makeCase({ status: 'reopened', deadlines: { followUpBy: OLD, autoCloseAt: OLD } });
    const copy = structuredClone(c);
    plan(c, 'reopen');
    expect(c).toEqual(copy);
  });
});

describe('nextDeadline', () => {
  const deadlines = { verifyBy: 'V', followUpBy: 'F', autoCloseAt: 'A' };
  test.each<[CaseStatus, ReturnType<typeof nextDeadline>]>([
    ['received', { kind: 'verify', due: 'V' }],
    ['verified', { kind: 'follow_up', due: 'F' }],
    ['in_progress', { kind: 'follow_up', due: 'F' }],
    ['reopened', { kind: 'follow_up', due: 'F' }],
    ['resolved', { kind: 'auto_close', due: 'A' }],
    ['needs_info', null],
    ['closed', null],
    ['rejected', null],
  ])('%s → %j', (status, expected) => {
    expect(nextDeadline(makeCase({ status, deadlines }))).toEqual(expected);
  });

  test('null when the relevant deadline is missing', () => {
    expect(nextDeadline(makeCase({ status: 'received', deadlines: {} }))).toBeNull();
    expect(
      nextDeadline(makeCase({ status: 'in_progress', deadlines: { verifyBy: 'V' } })),
    ).toBeNull();
    expect(
      nextDeadline(makeCase({ status: 'resolved', deadlines: { followUpBy: 'F' } })),
    ).toBeNull();
  });
});

describe('slaState', () => {
  const plain = calendarWith();
  const real = realCalendar();
  const MONDAY_9 = new Date('2026-11-30T02:00:00.000Z'); // Mon 30 Nov 2026, 09:00 WIB

  test.each([
    ['2026-11-30T01:59:59.999Z', 'overdue'], // 1 ms before now
    ['2026-11-30T02:00:00.000Z', 'due_soon'], // exactly now: not yet past
    [endOfWib('2026-11-30'), 'due_soon'], // end of today
    [endOfWib('2026-12-01'), 'due_soon'], // end of the next working day
    [endOfWib('2026-12-02'), 'on_time'],
    [endOfWib('2026-12-11'), 'on_time'],
  ])('Monday 09:00 WIB, due %s → %s', (dueAt, expected) => {
    expect(slaState(plain, dueAt, MONDAY_9)).toBe(expected);
  });

  test('a Date is accepted as the due time', () => {
    expect(slaState(plain, new Date(endOfWib('2026-12-02')), MONDAY_9)).toBe('on_time');
  });

  test('the last millisecond of the due day is still due_soon, the next is overdue', () => {
    const dueAt = endOfWib('2026-11-30');
    expect(slaState(plain, dueAt, new Date('2026-11-30T16:59:59.999Z'))).toBe('due_soon');
    expect(slaState(plain, dueAt, new Date('2026-11-30T17:00:00.000Z'))).toBe('overdue');
  });

  test('on Friday, a deadline on Monday is due soon, on Tuesday it is on time', () => {
    expect(slaState(plain, endOfWib('2026-11-30'), FRIDAY)).toBe('due_soon');
    expect(slaState(plain, endOfWib('2026-12-01'), FRIDAY)).toBe('on_time');
  });

  test('holidays stretch "due soon": before Christmas 2026 the next working day is Mon 28', () => {
    const wed23 = new Date('2026-12-23T03:00:00Z');
    expect(slaState(real, endOfWib('2026-12-28'), wed23)).toBe('due_soon');
    expect(slaState(plain, endOfWib('2026-12-28'), wed23)).toBe('on_time');
  });

  test('dueSoonDays widens the window', () => {
    expect(slaState(plain, endOfWib('2026-12-02'), MONDAY_9, 2)).toBe('due_soon');
    expect(slaState(plain, endOfWib('2026-12-03'), MONDAY_9, 2)).toBe('on_time');
  });
});

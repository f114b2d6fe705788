import {
  addWorkingDays,
  endOfLocalDay,
  isWorkingDay,
  localDate,
  nextDate,
  type WorkingCalendar,
} from '../../src/cases/calendar';
import { calendarWith, endOfWib, JAKARTA, realCalendar } from './helpers';

const real = realCalendar();
const plain = calendarWith();

/** addWorkingDays as an ISO string. */
function due(calendar: WorkingCalendar, from: string, days: number): string {
  return addWorkingDays(calendar, new Date(from), days).toISOString();
}

describe('localDate', () => {
  test.each([
    ['2026-01-01T16:59:59.999Z', '2026-01-01'], // 23:59:59.999 WIB
    ['2026-01-01T17:00:00.000Z', '2026-01-02'], // 00:00 WIB next day
    ['2026-01-01T17:30:00.000Z', '2026-01-02'],
    ['2026-12-31T17:00:00.000Z', '2027-01-01'], // year end
    ['2028-02-28T17:00:00.000Z', '2028-02-29'], // leap day
    ['2026-02-28T17:00:00.000Z', '2026-03-01'], // not a leap year
  ])('%s is %s in Jakarta', (instant, date) => {
    expect(localDate(new Date(instant), JAKARTA)).toBe(date);
  });

  test('uses the given zone', () => {
    expect(localDate(new Date('2026-01-01T17:30:00Z'), 'UTC')).toBe('2026-01-01');
    expect(localDate(new Date('2026-01-01T23:30:00Z'), 'Asia/Jayapura')).toBe('2026-01-02'); // UTC+9
  });
});

describe('endOfLocalDay', () => {
  test('is 23:59:59.999 WIB = 16:59:59.999Z', () => {
    expect(endOfLocalDay('2026-12-02', JAKARTA).toISOString()).toBe('2026-12-02T16:59:59.999Z');
    expect(endOfLocalDay('2028-02-29', JAKARTA).toISOString()).toBe('2028-02-29T16:59:59.999Z');
  });

  test('follows the zone offset', () => {
    expect(endOfLocalDay('2026-12-02', 'UTC').toISOString()).toBe('2026-12-02T23:59:59.999Z');
    expect(endOfLocalDay('2026-12-02', 'Asia/Makassar').toISOString()).toBe(
      '2026-12-02T15:59:59.999Z',
    );
  });

  test('rejects a malformed date', () => {
    expect(() => endOfLocalDay('2026-1-2', JAKARTA)).toThrow(RangeError);
  });
});

describe('nextDate', () => {
  test.each([
    ['2026-11-27', '2026-11-28'],
    ['2026-11-30', '2026-12-01'],
    ['2026-12-31', '2027-01-01'],
    ['2026-02-28', '2026-03-01'],
    ['2028-02-28', '2028-02-29'],
    ['2028-02-29', '2028-03-01'],
    ['2100-02-28', '2100-03-01'], // not a leap year
  ])('%s → %s', (date, next) => {
    expect(nextDate(date)).toBe(next);
  });
});

describe('isWorkingDay', () => {
  test.each([
    ['2026-11-27', true], // Friday
    ['2026-11-28', false], // Saturday
    ['2026-11-29', false], // Sunday
    ['2026-11-30', true], // Monday
    ['2026-08-17', false], // Independence Day (Monday)
    ['2026-12-24', false], // cuti bersama (Thursday)
    ['2026-12-25', false], // Christmas (Friday)
    ['2027-01-01', false], // New Year (Friday)
    ['2027-01-04', true], // Monday
  ])('%s → %p with the real holiday file', (date, working) => {
    expect(isWorkingDay(real, date)).toBe(working);
  });

  test.each([
    '2026-03-18',
    '2026-03-19',
    '2026-03-20',
    '2026-03-21',
    '2026-03-22',
    '2026-03-23',
    '2026-03-24',
  ])('Nyepi / Idul Fitri 2026 incl. cuti bersama: %s is not a working day', (date) => {
    expect(isWorkingDay(real, date)).toBe(false);
  });

  test('a custom weekend (Friday only)', () => {
    const fridayWeekend: WorkingCalendar = {
      timeZone: JAKARTA,
      holidays: new Set(),
      weekend: new Set([5]),
    };
    expect(isWorkingDay(fridayWeekend, '2026-11-27')).toBe(false); // Friday
    expect(isWorkingDay(fridayWeekend, '2026-11-28')).toBe(true); // Saturday
  });
});

describe('addWorkingDays', () => {
  test('Friday + 3 working days → end of Wednesday', () => {
    // Fri 2026-11-27 09:00 WIB; Mon 30 (1), Tue 1 (2), Wed 2 (3)
    expect(due(plain, '2026-11-27T02:00:00Z', 3)).toBe(endOfWib('2026-12-02'));
    expect(due(real, '2026-11-27T02:00:00Z', 3)).toBe(endOfWib('2026-12-02'));
  });

  test('Monday + 3 → Thursday; + 5 → next Monday', () => {
    expect(due(plain, '2026-11-30T02:00:00Z', 3)).toBe(endOfWib('2026-12-03'));
    expect(due(plain, '2026-11-30T02:00:00Z', 5)).toBe(endOfWib('2026-12-07'));
  });

  test.each([
    ['Saturday', '2026-11-28T05:00:00Z'],
    ['Sunday', '2026-11-29T05:00:00Z'],
  ])('a report on %s counts from Monday: + 1 → Monday, + 3 → Wednesday', (_day, at) => {
    expect(due(plain, at, 1)).toBe(endOfWib('2026-11-30'));
    expect(due(plain, at, 3)).toBe(endOfWib('2026-12-02'));
  });

  test('Idul Fitri 2026: Tuesday 17 March + 3 → Friday 27 March', () => {
    // 18–24 March are Nyepi, Idul Fitri and cuti bersama; Wed 25 (1), Thu 26 (2), Fri 27 (3)
    expect(due(real, '2026-03-17T03:00:00Z', 3)).toBe(endOfWib('2026-03-27'));
    // + 5: Mon 30 (4), Tue 31 (5)
    expect(due(real, '2026-03-17T03:00:00Z', 5)).toBe(endOfWib('2026-03-31'));
    // a report during the holidays (Sat 21 March) + 1 → Wed 25
    expect(due(real, '2026-03-21T03:00:00Z', 1)).toBe(endOfWib('2026-03-25'));
  });

  test('year end: Wed 2026-12-23 + 3 → Wed 2026-12-30 (24, 25 holidays, 26–27 weekend)', () => {
    expect(due(real, '2026-12-23T03:00:00Z', 3)).toBe(endOfWib('2026-12-30'));
  });

  test('year end: Thu 2026-12-31 + 3 → Thu 2027-01-07 (1 Jan and Isra Mikraj 5 Jan are holidays)', () => {
    // Fri 1 holiday, Sat 2, Sun 3, Mon 4 (1), Tue 5 holiday, Wed 6 (2), Thu 7 (3)
    expect(due(real, '2026-12-31T03:00:00Z', 3)).toBe(endOfWib('2027-01-07'));
    // Without holidays: Fri 1 (1), Mon 4 (2), Tue 5 (3)
    expect(due(plain, '2026-12-31T03:00:00Z', 3)).toBe(endOfWib('2027-01-05'));
  });

  test('New Year evening in Jakarta is already next year', () => {
    // 2026-12-31T18:00Z = Fri 2027-01-01 01:00 WIB (holiday): Mon 4 (1)
    expect(due(real, '2026-12-31T18:00:00Z', 1)).toBe(endOfWib('2027-01-04'));
  });

  describe('Jakarta midnight boundary', () => {
    const lastSecondOfFriday = '2026-11-27T16:59:59Z'; // Fri 23:59:59 WIB
    const firstSecondOfSaturday = '2026-11-27T17:00:00Z'; // Sat 00:00:00 WIB

    test('days = 0: Friday night is due Friday, Saturday 00:00 is due Monday', () => {
      expect(due(plain, lastSecondOfFriday, 0)).toBe(endOfWib('2026-11-27'));
      expect(due(plain, firstSecondOfSaturday, 0)).toBe(endOfWib('2026-11-30'));
    });

    test('days ≥ 1: Friday night and Saturday 00:00 both count from Monday', () => {
      // Friday does not count (day of receipt) and Saturday is not a working day,
      // so for n ≥ 1 both land on the same day.
      expect(due(plain, lastSecondOfFriday, 1)).toBe(endOfWib('2026-11-30'));
      expect(due(plain, firstSecondOfSaturday, 1)).toBe(endOfWib('2026-11-30'));
      expect(due(plain, lastSecondOfFriday, 3)).toBe(endOfWib('2026-12-02'));
      expect(due(plain, firstSecondOfSaturday, 3)).toBe(endOfWib('2026-12-02'));
    });

    test('days = 3 across Thursday/Friday midnight: Tuesday vs Wednesday', () => {
      expect(due(plain, '2026-11-26T16:59:59.999Z', 3)).toBe(endOfWib('2026-12-01'));
      expect(due(plain, '2026-11-26T17:00:00.000Z', 3)).toBe(endOfWib('2026-12-02'));
    });

    test('a UTC date would be wrong: 2026-11-26T20:00Z is already Friday in Jakarta', () => {
      expect(due(plain, '2026-11-26T20:00:00Z', 1)).toBe(endOfWib('2026-11-30'));
    });
  });

  describe('days = 0', () => {
    test('on a working day: the end of that day', () => {
      expect(due(real, '2026-11-30T01:00:00Z', 0)).toBe(endOfWib('2026-11-30'));
    });

    test('on a holiday run: the end of the first working day after it', () => {
      expect(due(real, '2026-03-18T01:00:00Z', 0)).toBe(endOfWib('2026-03-25'));
      expect(due(real, '2026-12-24T01:00:00Z', 0)).toBe(endOfWib('2026-12-28'));
    });
  });

  test('synthetic holidays are skipped', () => {
    // Mon 2026-11-30 + 2, with Tue 1 and Wed 2 December off → Thu 3 (1), Fri 4 (2)
    const cal = calendarWith('2026-12-01', '2026-12-02');
    expect(due(cal, '2026-11-30T02:00:00Z', 2)).toBe(endOfWib('2026-12-04'));
  });

  test('a holiday on a weekend counts only once (nothing extra skipped)', () => {
    const cal = calendarWith('2026-11-28'); // a Saturday
    expect(due(cal, '2026-11-27T02:00:00Z', 3)).toBe(endOfWib('2026-12-02'));
  });

  test('across February in a leap year', () => {
    // Fri 2028-02-25 + 2: Mon 28 (1), Tue 29 (2)
    expect(due(plain, '2028-02-25T02:00:00Z', 2)).toBe(endOfWib('2028-02-29'));
    // Mon 2028-02-28 + 2: Tue 29 (1), Wed 1 March (2)
    expect(due(plain, '2028-02-28T02:00:00Z', 2)).toBe(endOfWib('2028-03-01'));
  });

  test('UTC calendar gives the end of the UTC day', () => {
    const utc: WorkingCalendar = { timeZone: 'UTC', holidays: new Set() };
    expect(due(utc, '2026-11-27T20:00:00Z', 1)).toBe('2026-11-30T23:59:59.999Z');
  });

  test.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'days = %p throws RangeError',
    (days) => {
      expect(() => addWorkingDays(plain, new Date('2026-11-27T02:00:00Z'), days)).toThrow(
        RangeError,
      );
    },
  );
});

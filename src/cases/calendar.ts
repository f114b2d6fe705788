/**
 * Working-day arithmetic in a fixed time zone (Asia/Jakarta by default), skipping weekends and a
 * holiday list. Dates are `YYYY-MM-DD` strings in the calendar's zone; instants are `Date`s.
 * Pure: no clock and no I/O.
 */

export interface WorkingCalendar {
  /** IANA zone, e.g. `Asia/Jakarta`. */
  timeZone: string;
  /** Non-working dates (`YYYY-MM-DD`): national holidays and cuti bersama. */
  holidays: ReadonlySet<string>;
  /** Weekend days as `Date#getUTCDay()` numbers (0 = Sunday). Default Saturday and Sunday. */
  weekend?: ReadonlySet<number>;
}

const DEFAULT_WEEKEND: ReadonlySet<number> = new Set([0, 6]);
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock parts (year, month, day, hour, minute, second) of `instant` in `timeZone`. */
export function zonedParts(instant: Date, timeZone: string): Record<string, number> {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return parts;
}

/** Offset of `timeZone` from UTC at `instant`, in milliseconds (Jakarta: +7 h). */
export function offsetMs(instant: Date, timeZone: string): number {
  const p = zonedParts(instant, timeZone);
  const asUtc = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The calendar date of `instant` in `timeZone`.
 *
 * @example
 * localDate(new Date('2026-01-01T17:30:00Z'), 'Asia/Jakarta') // '2026-01-02' (00:30 WIB)
 */
export function localDate(instant: Date, timeZone: string): string {
  const p = zonedParts(instant, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** The last millisecond of `date` in `timeZone`, as an instant. */
export function endOfLocalDay(date: string, timeZone: string): Date {
  const [y, m, d] = parseDate(date);
  const noonUtc = new Date(Date.UTC(y, m - 1, d, 12));
  return new Date(Date.UTC(y, m - 1, d, 23, 59, 59, 999) - offsetMs(noonUtc, timeZone));
}

export function isWorkingDay(calendar: WorkingCalendar, date: string): boolean {
  const [y, m, d] = parseDate(date);
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return !(calendar.weekend ?? DEFAULT_WEEKEND).has(weekday) && !calendar.holidays.has(date);
}

/** The calendar day after `date`. */
export function nextDate(date: string): string {
  const [y, m, d] = parseDate(date);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/**
 * The end of the `days`-th working day after the local date of `from`. The day of receipt does
 * not count, so a report on Friday with 3 days is due at the end of Wednesday (no holidays).
 * With `days` = 0: the end of the first working day on or after `from`'s date.
 *
 * @example
 * addWorkingDays(jakarta, new Date('2026-11-27T08:00:00Z'), 3) // end of Wed 2026-12-02, 16:59:59.999Z
 */
export function addWorkingDays(calendar: WorkingCalendar, from: Date, days: number): Date {
  if (!Number.isInteger(days) || days < 0) {
    throw new RangeError(`working days must be a non-negative integer, got ${days}`);
  }
  let date = localDate(from, calendar.timeZone);
  let remaining = days;
  if (remaining === 0) {
    while (!isWorkingDay(calendar, date)) date = nextDate(date);
  }
  while (remaining > 0) {
    date = nextDate(date);
    if (isWorkingDay(calendar, date)) remaining--;
  }
  return endOfLocalDay(date, calendar.timeZone);
}

function parseDate(date: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function pad(n: number | undefined): string {
  return String(n ?? 0).padStart(2, '0');
}

/**
 * W3C datetimes (the ISO 8601 profile of https://www.w3.org/TR/NOTE-datetime) as GeoReport v2
 * uses them: written in the service's time zone with its offset, read with any offset.
 */

import { offsetMs, zonedParts } from '../../src/cases/calendar';

/** Minutes `timeZone` is ahead of UTC at `instant` (Jakarta: 420). */
function offsetMinutes(instant: Date, timeZone: string): number {
  return Math.round(offsetMs(instant, timeZone) / 60_000);
}

const pad = (n: number, width = 2) => String(Math.trunc(Math.abs(n))).padStart(width, '0');

/**
 * An instant as a W3C datetime in `timeZone`, to the second, with its UTC offset.
 *
 * @example
 * formatW3c('2026-11-27T02:00:00.000Z', 'Asia/Jakarta') // '2026-11-27T09:00:00+07:00'
 */
export function formatW3c(instant: Date | string, timeZone: string): string {
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  const p = zonedParts(at, timeZone);
  const offset = offsetMinutes(at, timeZone);
  const zone =
    offset === 0 ? 'Z' : `${offset < 0 ? '-' : '+'}${pad(offset / 60)}:${pad(offset % 60)}`;
  return `${p.year}-${pad(p.month ?? 0)}-${pad(p.day ?? 0)}T${pad(p.hour ?? 0)}:${pad(p.minute ?? 0)}:${pad(p.second ?? 0)}${zone}`;
}

const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Reads a W3C datetime with a time zone (`2010-01-01T00:00:00Z`, `2026-11-27T09:00+07:00`), or a
 * bare date (`2026-11-27`), taken in `timeZone` as its first instant (`edge: 'start'`) or its last
 * (`'end'`). Null for anything else, or an impossible date.
 *
 * @example
 * parseW3c('2026-11-27', 'Asia/Jakarta', 'start')?.toISOString() // '2026-11-26T17:00:00.000Z'
 */
export function parseW3c(text: string, timeZone: string, edge: 'start' | 'end'): Date | null {
  const full = DATETIME.exec(text);
  if (full) {
    const [, y, mo, d, h, mi, s = '00', frac = '', zone] = full;
    if (!validDate(Number(y), Number(mo), Number(d)) || Number(h) > 23 || Number(mi) > 59)
      return null;
    if (Number(s) > 59) return null;
    const ms = frac ? `.${frac.slice(0, 3).padEnd(3, '0')}` : '';
    const at = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${ms}${zone}`);
    return Number.isNaN(at.getTime()) ? null : at;
  }
  const date = DATE.exec(text);
  if (!date) return null;
  const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
  if (!validDate(y, m, d)) return null;
  const wall = edge === 'start' ? Date.UTC(y, m - 1, d) : Date.UTC(y, m - 1, d, 23, 59, 59, 999);
  // The zone's offset around noon of that day (no zone of interest changes it at midnight).
  const offset = offsetMinutes(new Date(Date.UTC(y, m - 1, d, 12)), timeZone);
  return new Date(wall - offset * 60_000);
}

function validDate(y: number, m: number, d: number): boolean {
  const at = new Date(Date.UTC(y, m - 1, d));
  return at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d;
}

import { createHash } from 'node:crypto';
import { endOfLocalDay, type WorkingCalendar } from '../../src/cases/calendar';
import { type CasePageRequest, type CaseQuery, slaWindow } from '../../src/cases/queries';
import type { StaffIdentity } from '../../src/staff/identity';
import { StaffApiError } from './errors';
import type { ListQuery } from './schemas';

/** The read-model request of one page of `GET /api/v1/cases`. */
export interface ListPlan {
  query: CaseQuery;
  page: CasePageRequest;
  /** What the list is about (the filters and order, not the time): binds its cursors. */
  fingerprint: string;
}

/**
 * Turns a validated list query into the read model's query for `identity`: the key's agencies
 * (or those of them named in `agency`; naming another is 403 `forbidden`), statuses, categories,
 * the SLA state of the agency deadline at `now` on `calendar`, and the creation range, where a
 * date is a whole day in the calendar's time zone (`created_from=2026-11-01&created_to=2026-11-30`
 * is all of November) and a date-time an exact instant (`created_to` excluded). The cursor must
 * come from the same list (400 `bad_cursor` otherwise).
 *
 * @example
 * listPlan({ status: ['received'], order: 'newest', limit: 50, lang: 'id' }, key, calendar, now).query
 * // { agencyIds: ['dinas-pupr'], status: ['received'] }
 */
export function listPlan(
  q: ListQuery,
  identity: Pick<StaffIdentity, 'agencyIds'>,
  calendar: WorkingCalendar,
  now: Date,
): ListPlan {
  const refused = (q.agency ?? []).filter((a) => !identity.agencyIds.includes(a));
  if (refused.length > 0) {
    throw new StaffApiError(
      403,
      'forbidden',
      `this API key does not work for agency ${refused.join(', ')}`,
    );
  }
  const agencyIds = q.agency ?? [...identity.agencyIds];
  const zone = calendar.timeZone;
  const from = q.created_from === undefined ? undefined : instant(q.created_from, zone, 'start');
  const to = q.created_to === undefined ? undefined : instant(q.created_to, zone, 'after');
  const query: CaseQuery = {
    agencyIds,
    ...(q.status ? { status: q.status } : {}),
    ...(q.category ? { categories: q.category } : {}),
    ...(from || to ? { created: { ...(from ? { from } : {}), ...(to ? { to } : {}) } } : {}),
    ...(q.sla ? { sla: { state: q.sla, window: slaWindow(calendar, now) } } : {}),
  };
  const fingerprint = digest([
    [...agencyIds].sort(),
    [...(q.status ?? [])].sort(),
    [...(q.category ?? [])].sort(),
    q.sla ?? null,
    from?.toISOString() ?? null,
    to?.toISOString() ?? null,
    q.order,
  ]);
  const after = q.cursor === undefined ? undefined : readCursor(q.cursor, fingerprint);
  return {
    query,
    page: { limit: q.limit, order: q.order, ...(after !== undefined ? { after } : {}) },
    fingerprint,
  };
}

/** The API cursor of the page after the read model's `next` (null on the last page). */
export function listCursor(fingerprint: string, next: string | null): string | null {
  return next === null
    ? null
    : Buffer.from(JSON.stringify([fingerprint, next])).toString('base64url');
}

function readCursor(cursor: string, fingerprint: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    parsed[0] !== fingerprint ||
    typeof parsed[1] !== 'string'
  ) {
    throw new StaffApiError(
      400,
      'bad_cursor',
      'this cursor does not belong to this list (same filters and order)',
    );
  }
  return parsed[1];
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 16);
}

/**
 * A date-time as its instant; a date as the start of that day in `zone`, or (`after`) the start
 * of the next day, so the day itself is included.
 */
function instant(value: string, zone: string, edge: 'start' | 'after'): Date {
  if (value.length > 10) return new Date(value);
  const endOfDay = endOfLocalDay(edge === 'start' ? dayBefore(value) : value, zone);
  return new Date(endOfDay.getTime() + 1);
}

function dayBefore(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, (d ?? 1) - 1)).toISOString().slice(0, 10);
}

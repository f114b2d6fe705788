import { CodedError } from '../errors';
import type { Category } from '../taxonomy';
import { addWorkingDays, type WorkingCalendar } from './calendar';
import { nextDeadline, type SlaState } from './deadlines';
import type { Case, CaseKind, CaseStatus, IdentityMode } from './types';

/**
 * The instants that separate the SLA states at one moment: a deadline before `now` is overdue,
 * one up to `dueSoonUntil` is due soon, a later one is on time. Computed from the working
 * calendar by {@link slaWindow}, so a store only compares instants.
 */
export interface SlaWindow {
  now: Date;
  dueSoonUntil: Date;
}

/** The SLA window at `now`: due soon means due within `dueSoonDays` working days (default 1). */
export function slaWindow(calendar: WorkingCalendar, now: Date, dueSoonDays = 1): SlaWindow {
  return { now, dueSoonUntil: addWorkingDays(calendar, now, dueSoonDays) };
}

/**
 * The deadline the agency must meet now (verification while received, follow-up while being
 * worked on), or null: resolved cases wait for the citizen, finished ones have none. Stores keep
 * it as a column so SLA filters and counts run in the database.
 */
export function agencyDeadline(c: Case): string | null {
  const next = nextDeadline(c);
  return next && next.kind !== 'auto_close' ? next.due : null;
}

/** Which cases a query is about. Every field narrows; an empty query means every case. */
export interface CaseQuery {
  agencyIds?: readonly string[];
  status?: readonly CaseStatus[];
  kind?: readonly CaseKind[];
  categories?: readonly Category[];
  /** Identity modes (e.g. every mode but `confidential` for public lists). */
  identity?: readonly IdentityMode[];
  /** Only these cases (exact, normalised tracking ids). */
  trackingIds?: readonly string[];
  reporter?: { channel: string; channelUserId: string };
  /** Created at or after `from` and before `to`. */
  created?: { from?: Date; to?: Date };
  /** Only cases whose agency deadline ({@link agencyDeadline}) is in this state. */
  sla?: { state: SlaState; window: SlaWindow };
  /** Only resolved cases whose automatic closing time has passed at this instant. */
  autoCloseDue?: Date;
  /** Only cases written before statistics were kept (see src/stats/backfill.ts). */
  statsMissing?: true;
}

/** List order: newest first (default), oldest first, or by agency deadline (soonest first, none last). */
export type CaseOrder = 'newest' | 'oldest' | 'deadline';

export interface CasePageRequest {
  /** 1–{@link MAX_PAGE}; default 50. */
  limit?: number;
  /** The `next` of the previous page. */
  after?: string;
  order?: CaseOrder;
}

export interface CasePage {
  cases: Case[];
  /** Pass as `after` for the following page; null on the last page. */
  next: string | null;
}

/** The largest page a list returns. Callers page on; nothing is capped silently. */
export const MAX_PAGE = 500;

/** What {@link CaseQueries.countBy} can group by. */
export type CaseDimension = 'status' | 'agency' | 'category' | 'kind';

/**
 * The read model of cases: paged lists, counts and aggregates computed by the store (never by
 * loading every case into memory). The staff rules (`src/staff`), the desk, and later the REST
 * API and dashboard all read through it.
 *
 * @example
 * const page = await queries.list({ agencyIds: ['dinas-pupr'], status: ['received'] }, { limit: 20 });
 * const more = page.next ? await queries.list(sameQuery, { limit: 20, after: page.next }) : null;
 * const byStatus = await queries.countBy({ agencyIds: ['dinas-pupr'] }, 'status');
 */
export interface CaseQueries {
  /** One page of cases. Throws CodedError `bad_cursor` for an `after` this query did not produce. */
  list(query: CaseQuery, page?: CasePageRequest): Promise<CasePage>;
  count(query: CaseQuery): Promise<number>;
  /** Case counts per value of `dimension` (values with no case are absent). */
  countBy(query: CaseQuery, dimension: CaseDimension): Promise<Record<string, number>>;
  /** How many cases have their agency deadline in each SLA state (cases without one are not counted). */
  countSla(query: CaseQuery, window: SlaWindow): Promise<Record<SlaState, number>>;
}

/** The page size asked for, within 1–{@link MAX_PAGE}. */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return 50;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new CodedError('bad_request', `page limit must be a whole number from 1 to ${MAX_PAGE}`);
  }
  return Math.min(limit, MAX_PAGE);
}

/** A page cursor: the order and the sort key of the last case on the page, opaque to callers. */
export interface CaseCursor {
  order: CaseOrder;
  key: string;
  trackingId: string;
}

export function encodeCursor(cursor: CaseCursor): string {
  return Buffer.from(JSON.stringify([cursor.order, cursor.key, cursor.trackingId])).toString(
    'base64url',
  );
}

/** Reads a cursor made by {@link encodeCursor} for `order`; throws `bad_cursor` otherwise. */
export function decodeCursor(text: string, order: CaseOrder): CaseCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    parsed[0] !== order ||
    typeof parsed[1] !== 'string' ||
    typeof parsed[2] !== 'string'
  ) {
    throw new CodedError('bad_cursor', 'this page cursor does not belong to this list');
  }
  return { order, key: parsed[1], trackingId: parsed[2] };
}

import { type CaseQueries, type CaseQuery, MAX_PAGE } from '../../src/cases/queries';
import { normalizeTrackingId } from '../../src/cases/tracking-id';
import type { Case, CaseStatus } from '../../src/cases/types';
import type { Category } from '../../src/taxonomy';
import { type Fields, field, listField } from './body';
import { parseW3c } from './datetime';
import { badRequest, notFound } from './errors';
import { LISTED_IDENTITIES, OPEN311_STATUSES } from './requests';
import { knownServiceCode } from './services';

/**
 * The filters of `GET requests`: `service_request_id` (overrides every other filter),
 * `service_code`, `status`, `start_date`/`end_date` (at most 90 days apart, the latest 90 days by
 * default), and this interface's paging, `page_size` (1–{@link MAX_PAGE_SIZE}, default
 * {@link DEFAULT_PAGE_SIZE}) and `page` (1–{@link MAX_PAGE_NUMBER}). Newest first.
 */

/** Longest span of `start_date`–`end_date`, and the default window before now. */
export const WINDOW_DAYS = 90;
export const DEFAULT_PAGE_SIZE = 200;
export const MAX_PAGE_SIZE = 200;
/** Deepest page: past it, narrow the dates (each page costs the pages before it). */
export const MAX_PAGE_NUMBER = 50;
/** Most ids in one `service_request_id`. */
export const MAX_IDS = 200;

const DAY_MS = 86_400_000;

/** What to list: these ids, or a filtered page. */
export type RequestsQuery =
  | { kind: 'ids'; query: CaseQuery }
  | { kind: 'page'; query: CaseQuery; page: number; pageSize: number };

/** Only complaints, never confidential ones, are service requests. */
const PUBLIC: CaseQuery = { kind: ['complaint'], identity: LISTED_IDENTITIES };

function whole(fields: Fields, name: string, fallback: number, max: number): number {
  const given = field(fields, name);
  if (given === undefined) return fallback;
  const n = /^\d{1,6}$/.test(given) ? Number(given) : 0;
  if (n < 1 || n > max) throw badRequest(`${name} must be a whole number from 1 to ${max}`);
  return n;
}

/**
 * The created-at window: at most {@link WINDOW_DAYS} days; by default the latest ones (open at
 * the end, so a request filed this very millisecond is in it).
 */
function window(fields: Fields, now: Date, timeZone: string): { from: Date; to?: Date } {
  const read = (name: 'start_date' | 'end_date') => {
    const given = field(fields, name);
    if (given === undefined) return undefined;
    const at = parseW3c(given, timeZone, name === 'start_date' ? 'start' : 'end');
    if (!at) throw badRequest(`${name} must be a W3C datetime such as 2026-01-31T00:00:00+07:00`);
    return at;
  };
  const start = read('start_date');
  const end = read('end_date');
  const span = WINDOW_DAYS * DAY_MS;
  if (!start && !end) return { from: new Date(now.getTime() - span) };
  // `to` is exclusive in a case query; end_date is the latest instant included.
  const to = end ? new Date(end.getTime() + 1) : new Date((start as Date).getTime() + span);
  const from = start ?? new Date(to.getTime() - span);
  if (from.getTime() >= to.getTime()) throw badRequest('start_date must be before end_date');
  if (to.getTime() - from.getTime() > span)
    throw badRequest(`start_date and end_date may not span more than ${WINDOW_DAYS} days`);
  return { from, to };
}

/**
 * Reads the parameters of `GET requests`. Throws {@link Open311Error}: 404 for an unknown
 * service code, 400 for a bad status, date, window or page.
 *
 * @example
 * readRequestsQuery(queryFields(req), clock(), 'Asia/Jakarta')
 * // { kind: 'page', query: { kind: ['complaint'], identity: […], created: {…} }, page: 1, pageSize: 200 }
 */
export function readRequestsQuery(fields: Fields, now: Date, timeZone: string): RequestsQuery {
  const ids = listField(fields, 'service_request_id');
  if (ids.length > 0) {
    if (ids.length > MAX_IDS) throw badRequest(`at most ${MAX_IDS} service_request_id at once`);
    const known = ids.map(normalizeTrackingId).filter((id): id is string => id !== null);
    return { kind: 'ids', query: { ...PUBLIC, trackingIds: [...new Set(known)] } };
  }
  const query: CaseQuery = { ...PUBLIC, created: window(fields, now, timeZone) };
  const codes = listField(fields, 'service_code');
  if (codes.length > 0) {
    const categories: Category[] = [];
    for (const code of codes) {
      const category = knownServiceCode(code);
      if (!category) throw notFound(`service_code ${code.slice(0, 64)} not found`);
      categories.push(category);
    }
    query.categories = [...new Set(categories)];
  }
  const statuses = listField(fields, 'status');
  if (statuses.length > 0) {
    const wanted: CaseStatus[] = [];
    for (const s of statuses) {
      if (s !== 'open' && s !== 'closed') throw badRequest('status must be open or closed');
      wanted.push(...OPEN311_STATUSES[s]);
    }
    query.status = [...new Set(wanted)];
  }
  const pageSize = whole(fields, 'page_size', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  return { kind: 'page', query, pageSize, page: whole(fields, 'page', 1, MAX_PAGE_NUMBER) };
}

/**
 * The cases of a query, newest first: every case of an id list (at most {@link MAX_IDS}), or one
 * page. `more` tells whether a later page has cases. Skipped cases are counted, not kept.
 */
export async function listRequests(
  queries: CaseQueries,
  q: RequestsQuery,
): Promise<{ cases: Case[]; more: boolean }> {
  if (q.kind === 'ids') {
    if (q.query.trackingIds?.length === 0) return { cases: [], more: false };
    const { cases } = await queries.list(q.query, { limit: MAX_IDS, order: 'newest' });
    return { cases, more: false };
  }
  let skip = (q.page - 1) * q.pageSize;
  const cases: Case[] = [];
  let after: string | undefined;
  do {
    const want = skip + q.pageSize + 1 - cases.length;
    const page = await queries.list(q.query, {
      limit: Math.min(MAX_PAGE, want),
      order: 'newest',
      ...(after ? { after } : {}),
    });
    for (const c of page.cases) {
      if (skip > 0) skip--;
      else cases.push(c);
    }
    after = page.next ?? undefined;
  } while (after && cases.length <= q.pageSize);
  return { cases: cases.slice(0, q.pageSize), more: cases.length > q.pageSize };
}

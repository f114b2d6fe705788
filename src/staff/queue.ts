import type { CaseOrder, CaseQueries, CaseQuery } from '../cases/queries';
import type { CaseStatus } from '../cases/types';
import type { Language } from '../taxonomy';
import type { StaffIdentity } from './identity';
import { type StaffCaseView, staffCaseView } from './view';

/** The statuses of a staff queue by default: the cases still in the agency's hands. */
export const OPEN_STATUSES: readonly CaseStatus[] = [
  'received',
  'verified',
  'in_progress',
  'needs_info',
  'reopened',
];

/** Which page of a staff queue to read. */
export interface StaffQueueRequest {
  /** Only these statuses; default {@link OPEN_STATUSES}. */
  status?: readonly CaseStatus[];
  /** Page size, 1–500 (the read model's); default 50. */
  limit?: number;
  /** The `next` of the previous page. */
  after?: string;
  /** Default newest first. */
  order?: CaseOrder;
}

/** One page of a staff queue, as staff may see the cases, and how many the whole queue holds. */
export interface StaffQueuePage {
  cases: StaffCaseView[];
  /** Pass as `after` for the following page; null on the last page. */
  next: string | null;
  /** Cases in the whole queue (every page). */
  total: number;
}

/**
 * The read-model query of an identity's cases, optionally of some statuses.
 *
 * @example
 * staffQuery({ agencyIds: ['dinas-pupr'] }, ['received']) // { agencyIds: ['dinas-pupr'], status: ['received'] }
 */
export function staffQuery(
  identity: Pick<StaffIdentity, 'agencyIds'>,
  status?: readonly CaseStatus[],
): CaseQuery {
  return { agencyIds: identity.agencyIds, ...(status ? { status } : {}) };
}

/**
 * One page of the cases of the identity's agencies (open ones unless `status` says otherwise),
 * as staff may see them ({@link staffCaseView}, mask labels in `lang`), with the queue's total
 * count. Paged and counted by the read model, never by loading the whole queue. Throws CodedError
 * `bad_cursor` for an `after` of another list, `bad_request` for a bad `limit`.
 *
 * @example
 * const first = await staffQueue(backend.queries, sari, 'id', { limit: 20 });
 * const second = first.next ? await staffQueue(backend.queries, sari, 'id', { limit: 20, after: first.next }) : null;
 */
export async function staffQueue(
  queries: CaseQueries,
  identity: Pick<StaffIdentity, 'agencyIds'>,
  lang: Language,
  request: StaffQueueRequest = {},
): Promise<StaffQueuePage> {
  const query = staffQuery(identity, request.status ?? OPEN_STATUSES);
  const [page, total] = await Promise.all([
    queries.list(query, {
      ...(request.limit !== undefined ? { limit: request.limit } : {}),
      ...(request.after !== undefined ? { after: request.after } : {}),
      ...(request.order ? { order: request.order } : {}),
    }),
    queries.count(query),
  ]);
  return { cases: page.cases.map((c) => staffCaseView(c, lang)), next: page.next, total };
}

import type { WorkingCalendar } from '../cases/calendar';
import type { SlaState } from '../cases/deadlines';
import { type CaseQueries, slaWindow } from '../cases/queries';
import { CASE_STATUSES, type CaseStatus } from '../cases/types';
import type { StaffIdentity } from './identity';
import { staffQuery } from './queue';

/** The figures of an identity's cases. */
export interface StaffStats {
  /** Cases per status, every status (finished ones too); statuses with none are absent. */
  byStatus: Partial<Record<CaseStatus, number>>;
  /**
   * Cases whose agency deadline (verify or follow-up) is overdue, due soon or on time at `now`;
   * cases without one (waiting for the citizen, resolved, finished) are not counted.
   */
  sla: Record<SlaState, number>;
}

/**
 * Counts the cases of the identity's agencies by status and by SLA state at `now` (due soon:
 * within one working day of `calendar`). Counted by the read model, never by loading cases.
 *
 * @example
 * const { byStatus, sla } = await staffStats(backend.queries, sari, calendar, now);
 * // byStatus: { received: 3, in_progress: 1 }, sla: { overdue: 1, due_soon: 2, on_time: 1 }
 */
export async function staffStats(
  queries: CaseQueries,
  identity: Pick<StaffIdentity, 'agencyIds'>,
  calendar: WorkingCalendar,
  now: Date,
): Promise<StaffStats> {
  const query = staffQuery(identity);
  const [counts, sla] = await Promise.all([
    queries.countBy(query, 'status'),
    queries.countSla(query, slaWindow(calendar, now)),
  ]);
  const byStatus: Partial<Record<CaseStatus, number>> = {};
  for (const s of CASE_STATUSES) {
    const n = counts[s];
    if (n) byStatus[s] = n;
  }
  return { byStatus, sla };
}

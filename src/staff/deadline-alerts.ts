import type { WorkingCalendar } from '../cases/calendar';
import { type CaseQueries, MAX_PAGE, slaWindow } from '../cases/queries';
import type { StaffIdentity } from './identity';
import { staffQuery } from './queue';

/** A case whose agency deadline is overdue or due soon. */
export interface DeadlineAlert {
  trackingId: string;
  state: 'overdue' | 'due_soon';
}

/** The most alerts {@link deadlineAlerts} returns by default. */
export const MAX_ALERTS = 500;

/**
 * The cases of the identity's agencies whose agency deadline (verify or follow-up) is overdue or
 * due soon at `now` (within one working day of `calendar`): overdue ones first, each state by
 * deadline (soonest first). Chosen by the read model's SLA filter, page by page; at most `max`
 * (default {@link MAX_ALERTS}). Cases waiting for the citizen, resolved or finished have no
 * agency deadline and never appear.
 *
 * @example
 * await deadlineAlerts(backend.queries, { agencyIds: ['dinas-pupr'] }, calendar, now)
 * // [{ trackingId: 'ADU-BBBBBB', state: 'overdue' }, { trackingId: 'ADU-AAAAAA', state: 'due_soon' }]
 */
export async function deadlineAlerts(
  queries: CaseQueries,
  identity: Pick<StaffIdentity, 'agencyIds'>,
  calendar: WorkingCalendar,
  now: Date,
  max = MAX_ALERTS,
): Promise<DeadlineAlert[]> {
  const window = slaWindow(calendar, now);
  const alerts: DeadlineAlert[] = [];
  for (const state of ['overdue', 'due_soon'] as const) {
    const query = { ...staffQuery(identity), sla: { state, window } };
    let after: string | null = null;
    while (alerts.length < max) {
      const page = await queries.list(query, {
        limit: Math.min(MAX_PAGE, max - alerts.length),
        order: 'deadline',
        ...(after ? { after } : {}),
      });
      for (const c of page.cases) alerts.push({ trackingId: c.trackingId, state });
      after = page.next;
      if (!after) break;
    }
  }
  return alerts;
}

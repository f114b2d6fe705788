import { isWorkingDay, localDate, type WorkingCalendar } from '../../src/cases/calendar';
import { nextDeadline, slaState } from '../../src/cases/deadlines';
import type { Case } from '../../src/cases/types';
import type { ChannelContext } from '../../src/channel';
import { notify } from '../../src/core/notifications';
import type { NewOutboxMessage } from '../../src/outbox/port';
import type { Desk } from './desk';
import { localHour } from './format';

/** Statuses whose deadline is the agency's to meet (a resolved case waits for the citizen). */
const WORKED: Case['status'][] = ['received', 'verified', 'in_progress', 'reopened'];

/**
 * The local date a digest is due for at `now`: a working day at or after `digestHour` (service
 * time zone), else null.
 */
export function digestDate(
  calendar: WorkingCalendar,
  digestHour: number,
  now: Date,
): string | null {
  const date = localDate(now, calendar.timeZone);
  if (!isWorkingDay(calendar, date)) return null;
  return localHour(now, calendar.timeZone) >= digestHour ? date : null;
}

/** The due-soon and overdue cases among `cases`, overdue first. Pure. */
export function digestItems(
  cases: Case[],
  calendar: WorkingCalendar,
  now: Date,
): { trackingId: string; state: 'overdue' | 'due_soon' }[] {
  const items: { trackingId: string; state: 'overdue' | 'due_soon'; due: string }[] = [];
  for (const c of cases) {
    if (!WORKED.includes(c.status)) continue;
    const next = nextDeadline(c);
    if (!next) continue;
    const state = slaState(calendar, next.due, now);
    if (state !== 'on_time') items.push({ trackingId: c.trackingId, state, due: next.due });
  }
  items.sort((a, b) =>
    a.state === b.state ? a.due.localeCompare(b.due) : a.state === 'overdue' ? -1 : 1,
  );
  return items.map(({ trackingId, state }) => ({ trackingId, state }));
}

/**
 * Puts today's digest of each agency with due-soon or overdue cases on the outbox, once: the
 * idempotency key `digest:<agency>:<local date>` makes a second run (another instance, a
 * restart) a no-op. Returns how many agencies had something to report; 0 when no digest is due.
 */
export async function enqueueDigests(
  ctx: ChannelContext,
  desk: Desk,
  digestHour: number,
): Promise<number> {
  const now = ctx.clock();
  const calendar = ctx.domain.planner.calendar;
  const date = digestDate(calendar, digestHour, now);
  if (!date) return 0;
  const messages: NewOutboxMessage[] = [];
  for (const agency of [desk.directory.triage, ...desk.directory.agencies]) {
    if (!desk.channelFor(agency.id)) continue;
    const cases = await ctx.backend.queries.list(
      { agencyIds: [agency.id], status: WORKED },
      { limit: 500, order: 'deadline' },
    );
    const items = digestItems(cases.cases, calendar, now);
    if (items.length === 0) continue;
    messages.push(
      notify(
        { kind: 'desk', agencyId: agency.id },
        { kind: 'digest', agencyId: agency.id, date, items },
        { idempotencyKey: `digest:${agency.id}:${date}` },
      ),
    );
  }
  if (messages.length > 0) await ctx.backend.outbox.enqueue(messages, now);
  return messages.length;
}

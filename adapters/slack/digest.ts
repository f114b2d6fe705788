import { isWorkingDay, localDate, type WorkingCalendar } from '../../src/cases/calendar';
import type { ChannelContext } from '../../src/channel';
import { notify } from '../../src/core/notifications';
import type { NewOutboxMessage } from '../../src/outbox/port';
import { deadlineAlerts } from '../../src/staff/deadline-alerts';
import type { Desk } from './desk';
import { localHour } from './format';

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

/**
 * Puts today's digest of each agency with due-soon or overdue cases (as the staff rules choose
 * them: overdue first, then due soon, each by deadline) on the outbox, once: the
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
    const items = await deadlineAlerts(
      ctx.backend.queries,
      { agencyIds: [agency.id] },
      calendar,
      now,
    );
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

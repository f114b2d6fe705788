import {
  isWorkingDay,
  localDate,
  nextDate,
  offsetMs,
  type WorkingCalendar,
} from '../cases/calendar';
import { agencyDeadline } from '../cases/queries';
import type { Case, CaseEvent, CaseStatus } from '../cases/types';

/**
 * What one case adds to the statistics, kept on the case and updated with each of its events:
 * the week it came in, whether it is open, and its milestones (first response, first finish)
 * with their durations in working days. The stores add these up in summary tables as cases
 * change (see `stats_cases` and `stats_durations` in the migrations), so the statistics never
 * read the cases themselves.
 */
export interface CaseStats {
  /** The Monday (local date) of the week the case came in. */
  week: string;
  /** Not finished (not resolved, rejected or closed). */
  open: boolean;
  /** When staff first answered: a status change or a public note by an officer. */
  firstResponseAt?: string;
  /** Working days from the report to the first response, in tenths (rounded). */
  responseTenths?: number;
  /** When it was first finished (resolved, rejected or closed). */
  finishedAt?: string;
  /** Working days from the report to the first finish, in tenths (rounded). */
  finishTenths?: number;
  /** Whether the first finish came by the agency deadline running then. */
  onTime?: boolean;
  /** The citizen said it was not fixed at least once. */
  reopened: boolean;
}

/** The weekly counter of questions the knowledge base answered (see `TurnContext.count`). */
export const QUESTIONS_ANSWERED = 'questions_answered';

/** Statuses in which a case is finished (not open). */
export const FINISHED_STATUSES: readonly CaseStatus[] = ['resolved', 'rejected', 'closed'];

/** Events by staff that count as answering the citizen (an internal note or a transfer does not). */
const RESPONSES = new Set<CaseEvent['type']>([
  'verify',
  'start',
  'request_info',
  'resolve',
  'reject',
]);

/** Longest span counted, in days (a bound on the day loop; older cases count as this long). */
const MAX_SPAN_DAYS = 3660;

/**
 * The working days between two instants: each working day (of `calendar`, in its zone) counts the
 * share of its 24 hours inside the span, weekends and holidays nothing. Pure.
 *
 * @example
 * // Friday 09:00 WIB to Monday 09:00 WIB: 15 h of Friday + 9 h of Monday = 1 working day.
 * workingDaysBetween(jakarta, new Date('2026-11-27T02:00:00Z'), new Date('2026-11-30T02:00:00Z')) // 1
 */
export function workingDaysBetween(calendar: WorkingCalendar, from: Date, to: Date): number {
  if (to.getTime() <= from.getTime()) return 0;
  let total = 0;
  let date = localDate(from, calendar.timeZone);
  let start = from.getTime();
  for (let i = 0; i < MAX_SPAN_DAYS && start < to.getTime(); i++) {
    const next = nextDate(date);
    const dayEnd = startOfLocalDay(next, calendar.timeZone);
    const end = Math.min(dayEnd, to.getTime());
    if (isWorkingDay(calendar, date))
      total += (end - start) / (dayEnd - startOfLocalDay(date, calendar.timeZone));
    date = next;
    start = dayEnd;
  }
  return total;
}

/** The Monday of the week of a local date (`YYYY-MM-DD`). */
export function weekOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return new Date(d.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}

/** The statistics of a case with no milestone yet: its week and whether it is open. */
function noMilestones(calendar: WorkingCalendar, c: Case): CaseStats {
  return {
    week: weekOf(localDate(new Date(c.createdAt), calendar.timeZone)),
    open: !FINISHED_STATUSES.includes(c.status),
    reopened: false,
  };
}

/**
 * The statistics of `after`, the case after `event` (`before` null: the event created it). Pure:
 * the milestones are taken from the event that reaches them, and kept afterwards.
 *
 * @example
 * after.stats = caseStats(calendar, before, after, event);
 */
export function caseStats(
  calendar: WorkingCalendar,
  before: Case | null,
  after: Case,
  event: CaseEvent,
): CaseStats {
  const stats: CaseStats = { ...(before?.stats ?? noMilestones(calendar, after)) };
  stats.open = !FINISHED_STATUSES.includes(after.status);
  const created = new Date(after.createdAt);
  const at = new Date(event.at);
  const tenths = () => Math.round(workingDaysBetween(calendar, created, at) * 10);
  if (
    stats.firstResponseAt === undefined &&
    event.actor.type === 'staff' &&
    (RESPONSES.has(event.type) || (event.type === 'note' && event.public === true))
  ) {
    stats.firstResponseAt = event.at;
    stats.responseTenths = tenths();
  }
  if (stats.finishedAt === undefined && !stats.open && before) {
    stats.finishedAt = event.at;
    stats.finishTenths = tenths();
    const due =
      agencyDeadline(before) ?? before.deadlines.followUpBy ?? before.deadlines.verifyBy ?? null;
    stats.onTime = due === null || at.getTime() <= new Date(due).getTime();
  }
  if (event.type === 'reopen') stats.reopened = true;
  return stats;
}

/**
 * The statistics of a case from its whole history, for cases written before statistics were kept.
 * The deadlines before each event are not in the history: the first finish is measured against
 * the deadlines the case has now. Pure.
 */
export function statsFromHistory(
  calendar: WorkingCalendar,
  c: Case,
  events: readonly CaseEvent[],
): CaseStats {
  let stats: CaseStats | undefined;
  for (const event of events) {
    const after: Case = { ...c, status: event.toStatus };
    const before: Case | null = stats
      ? { ...c, status: event.fromStatus ?? event.toStatus, stats }
      : null;
    stats = caseStats(calendar, before, after, event);
  }
  return stats ?? noMilestones(calendar, c);
}

/** Local midnight of `date` in `timeZone`, as epoch milliseconds. */
function startOfLocalDay(date: string, timeZone: string): number {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) - offsetMs(new Date(Date.UTC(y, m - 1, d, 12)), timeZone);
}

import type { Category, LocalizedText } from '../taxonomy';
import { addWorkingDays, type WorkingCalendar } from './calendar';
import type { Case, CaseDeadlines, CaseEventType, Priority } from './types';

/** Working days allowed for each step. */
export interface DeadlineDays {
  /** From receipt to verification by the triage desk. */
  verify: number;
  /** From verification (or transfer, or reopening) to the agency's follow-up. */
  followUp: number;
  /** From `resolved` to automatic closure when the citizen does not answer. */
  autoClose: number;
}

/** The deadline policy: defaults, per-category overrides, and an optional stricter set for urgent cases. */
export interface DeadlineRules {
  defaults: DeadlineDays;
  categories: Partial<Record<Category, Partial<DeadlineDays>>>;
  /** For urgent cases each step takes the smaller of this and the category's value. */
  urgent?: Partial<DeadlineDays>;
  /** The public note on a case closed automatically, per language. */
  autoCloseNote?: LocalizedText;
}

/** SP4N-LAPOR! defaults: verify in 3, follow up in 5, auto-close 10 working days after resolution. */
export const DEFAULT_DEADLINE_DAYS: DeadlineDays = { verify: 3, followUp: 5, autoClose: 10 };

/** The days that apply to one case. */
export function daysFor(
  rules: DeadlineRules,
  category: Category,
  priority: Priority,
): DeadlineDays {
  const days: DeadlineDays = { ...rules.defaults, ...rules.categories[category] };
  if (priority === 'urgent' && rules.urgent) {
    for (const key of Object.keys(days) as (keyof DeadlineDays)[]) {
      const urgent = rules.urgent[key];
      if (urgent !== undefined) days[key] = Math.min(days[key], urgent);
    }
  }
  return days;
}

/** Everything needed to compute deadlines. */
export interface DeadlinePlanner {
  calendar: WorkingCalendar;
  rules: DeadlineRules;
}

/**
 * The deadlines after `event` moved the case into its current state (`next` is the case after
 * the event). Pure: `now` is the event time.
 *
 * - created → verify-by
 * - verify, start from received, transfer, reopen, info_received back to work → follow-up-by (a new period)
 * - resolve → auto-close-at
 */
export function planDeadlines(
  planner: DeadlinePlanner,
  next: Case,
  event: CaseEventType,
  now: Date,
): CaseDeadlines {
  const days = daysFor(planner.rules, next.category, next.priority);
  const at = (n: number) => addWorkingDays(planner.calendar, now, n).toISOString();
  const deadlines: CaseDeadlines = { ...next.deadlines };
  switch (event) {
    case 'created':
      return { verifyBy: at(days.verify) };
    case 'verify':
    case 'reopen':
      delete deadlines.autoCloseAt;
      deadlines.followUpBy = at(days.followUp);
      return deadlines;
    case 'start':
      if (!deadlines.followUpBy) deadlines.followUpBy = at(days.followUp);
      return deadlines;
    case 'transfer':
      if (deadlines.followUpBy) deadlines.followUpBy = at(days.followUp);
      else if (next.status === 'received') deadlines.verifyBy = at(days.verify);
      return deadlines;
    case 'resolve':
      deadlines.autoCloseAt = at(days.autoClose);
      return deadlines;
    case 'info_received':
      // The clock stopped while waiting for the citizen; the step starts a new period.
      if (next.status === 'received') deadlines.verifyBy = at(days.verify);
      else deadlines.followUpBy = at(days.followUp);
      return deadlines;
    default:
      return deadlines;
  }
}

export type DeadlineKind = 'verify' | 'follow_up' | 'auto_close';

/** The deadline that matters now for a case, or `null` when none runs (waiting for the citizen, or finished). */
export function nextDeadline(
  c: Pick<Case, 'status' | 'deadlines'>,
): { kind: DeadlineKind; due: string } | null {
  switch (c.status) {
    case 'received':
      return c.deadlines.verifyBy ? { kind: 'verify', due: c.deadlines.verifyBy } : null;
    case 'verified':
    case 'in_progress':
    case 'reopened':
      return c.deadlines.followUpBy ? { kind: 'follow_up', due: c.deadlines.followUpBy } : null;
    case 'resolved':
      return c.deadlines.autoCloseAt ? { kind: 'auto_close', due: c.deadlines.autoCloseAt } : null;
    default:
      return null;
  }
}

export type SlaState = 'on_time' | 'due_soon' | 'overdue';

/**
 * Whether a deadline is met: `overdue` once `now` is past it, `due_soon` when it falls within
 * `dueSoonDays` working days from now (default 1: due by the end of the next working day).
 */
export function slaState(
  calendar: WorkingCalendar,
  due: string | Date,
  now: Date,
  dueSoonDays = 1,
): SlaState {
  const dueAt = typeof due === 'string' ? new Date(due) : due;
  if (now.getTime() > dueAt.getTime()) return 'overdue';
  if (dueAt.getTime() <= addWorkingDays(calendar, now, dueSoonDays).getTime()) return 'due_soon';
  return 'on_time';
}

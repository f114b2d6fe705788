import type { Case, CaseEvent } from '../../src/cases/types';
import type { CaseWithHistory } from './history';

// The figures of a generated history computed here from the cases and their events, without the
// code under test: Jakarta as a fixed UTC+7, weekends and the calendar's holidays by hand.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WIB = 7 * HOUR;
const FINISHED = ['resolved', 'rejected', 'closed'];
const RESPONSES = ['verify', 'start', 'request_info', 'resolve', 'reject'];

/** Working days between two instants: the hours of each weekday that is not a holiday, / 24. */
export function workingDaysByHand(from: number, to: number, holidays: ReadonlySet<string>): number {
  let total = 0;
  for (let day = Math.floor((from + WIB) / DAY) * DAY - WIB; day < to; day += DAY) {
    const local = new Date(day + WIB);
    const weekday = local.getUTCDay();
    if (weekday === 0 || weekday === 6 || holidays.has(local.toISOString().slice(0, 10))) continue;
    total += Math.max(0, Math.min(to, day + DAY) - Math.max(from, day)) / DAY;
  }
  return total;
}

/** The Monday of the week (in WIB) of an instant. */
export function mondayByHand(at: string): string {
  const local = new Date(Date.parse(at) + WIB);
  const back = (local.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - back))
    .toISOString()
    .slice(0, 10);
}

/** The deadline an agency had to meet when the case stood as `c`. */
function deadlineOf(c: Case): string | undefined {
  if (c.status === 'received') return c.deadlines.verifyBy;
  if (['verified', 'in_progress', 'reopened'].includes(c.status)) return c.deadlines.followUpBy;
  return c.deadlines.followUpBy ?? c.deadlines.verifyBy;
}

export interface CaseFactsByHand {
  week: string;
  agencyId: string;
  category: string;
  kind: string;
  open: boolean;
  responseTenths?: number;
  finishTenths?: number;
  onTime?: boolean;
  reopened: boolean;
  rating?: number;
}

export function factsByHand(x: CaseWithHistory, holidays: ReadonlySet<string>): CaseFactsByHand {
  const { c, events } = x;
  const created = Date.parse(c.createdAt);
  const tenths = (e: CaseEvent) =>
    Math.round(workingDaysByHand(created, Date.parse(e.at), holidays) * 10);
  const response = events.find(
    (e) =>
      e.actor.type === 'staff' && (RESPONSES.includes(e.type) || (e.type === 'note' && e.public)),
  );
  const finish = events.find((e) => e.seq > 1 && FINISHED.includes(e.toStatus));
  const due = x.rec.beforeFinish ? deadlineOf(x.rec.beforeFinish) : undefined;
  return {
    week: mondayByHand(c.createdAt),
    agencyId: c.agencyId,
    category: c.category,
    kind: c.kind,
    open: !FINISHED.includes(c.status),
    ...(response ? { responseTenths: tenths(response) } : {}),
    ...(finish
      ? {
          finishTenths: tenths(finish),
          onTime: due === undefined || Date.parse(finish.at) <= Date.parse(due),
        }
      : {}),
    reopened: events.some((e) => e.type === 'reopen'),
    ...(c.rating !== undefined ? { rating: c.rating } : {}),
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const tenths =
    sorted.length % 2 === 1
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return tenths / 10;
}

/** The figures `/api/v1/stats` must show for a group of cases. */
export function figuresByHand(facts: CaseFactsByHand[]) {
  const finished = facts.filter((f) => f.finishTenths !== undefined);
  const rated = facts.filter((f) => f.rating !== undefined);
  return {
    cases: facts.length,
    open: facts.filter((f) => f.open).length,
    finished: finished.length,
    finished_on_time:
      finished.length > 0 ? finished.filter((f) => f.onTime).length / finished.length : null,
    median_response_days: median(
      facts.flatMap((f) => (f.responseTenths === undefined ? [] : [f.responseTenths])),
    ),
    median_resolution_days: median(
      facts.flatMap((f) => (f.finishTenths === undefined ? [] : [f.finishTenths])),
    ),
    rating: {
      average:
        rated.length > 0 ? rated.reduce((s, f) => s + (f.rating ?? 0), 0) / rated.length : null,
      count: rated.length,
    },
    reopened:
      finished.length > 0 ? finished.filter((f) => f.reopened).length / finished.length : null,
  };
}

import type { Case } from '../cases/types';
import { type CaseSums, noSums } from './port';

// What one case write changes in the statistics' summaries, computed in code: the same sums the
// SQL stores' triggers keep (src/store/sql/stats.ts), for a store that has no triggers (MongoDB
// applies these as `$inc` updates in the write's transaction).

/** The change of one summary row of cases (per week, agency, category and kind). */
export interface CaseSumsDelta {
  week: string;
  agencyId: string;
  category: string;
  kind: string;
  inc: CaseSums;
}

/** The change of one histogram count (per week, agency, metric and tenths of a working day). */
export interface DurationDelta {
  week: string;
  agencyId: string;
  metric: 'response' | 'finish';
  tenths: number;
  n: number;
}

/** The summary changes of one write, in key order (so concurrent writers lock rows alike). */
export interface StatsDelta {
  cases: CaseSumsDelta[];
  durations: DurationDelta[];
}

/**
 * The summary changes when a case goes from `before` to `after` (`before` null: created; `after`
 * null: deleted): the old contribution taken away, the new one added, per key, zero changes left
 * out. A case without statistics (`stats` absent) contributes nothing. Pure.
 *
 * @example
 * const { cases, durations } = statsDelta(before, after);
 * // cases: [{ week: '2026-11-23', agencyId: 'dinas-pupr', …, inc: { open: -1, finished: 1, … } }]
 */
export function statsDelta(before: Case | null, after: Case | null): StatsDelta {
  const cases = new Map<string, CaseSumsDelta>();
  const durations = new Map<string, DurationDelta>();
  const add = (c: Case | null, sign: 1 | -1) => {
    const s = c?.stats;
    if (!c || !s) return;
    const key = [s.week, c.agencyId, c.category, c.kind].join('\u0000');
    const row = cases.get(key) ?? {
      week: s.week,
      agencyId: c.agencyId,
      category: c.category,
      kind: c.kind,
      inc: noSums(),
    };
    row.inc.cases += sign;
    row.inc.open += sign * (s.open ? 1 : 0);
    row.inc.finished += sign * (s.finishedAt !== undefined ? 1 : 0);
    row.inc.onTime += sign * (s.onTime ? 1 : 0);
    row.inc.reopened += sign * (s.reopened ? 1 : 0);
    row.inc.ratingSum += sign * (c.rating ?? 0);
    row.inc.ratingCount += sign * (c.rating !== undefined ? 1 : 0);
    cases.set(key, row);
    const histogram = (metric: DurationDelta['metric'], tenths: number | undefined) => {
      if (tenths === undefined) return;
      const k = [s.week, c.agencyId, metric, tenths].join('\u0000');
      const d = durations.get(k) ?? { week: s.week, agencyId: c.agencyId, metric, tenths, n: 0 };
      d.n += sign;
      durations.set(k, d);
    };
    histogram('response', s.responseTenths);
    histogram('finish', s.finishTenths);
  };
  add(before, -1);
  add(after, 1);
  const byKey = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  return {
    cases: byKey(cases)
      .map(([, row]) => row)
      .filter((row) => Object.values(row.inc).some((v) => v !== 0)),
    durations: byKey(durations)
      .map(([, d]) => d)
      .filter((d) => d.n !== 0),
  };
}

import { CASE_KINDS, type CaseKind } from '../cases/types';
import { QUESTIONS_ANSWERED } from './facts';
import { addSums, type CaseSums, noSums, type StatsFilter, type StatsSums } from './port';

/** The figures of one agency, or of all agencies together. */
export interface AgencyFigures {
  /** Cases that came in during the weeks. */
  cases: number;
  /** Of those, still open now. */
  open: number;
  /** Of those, finished (resolved, rejected or closed) at least once. */
  finished: number;
  /** Share of the finished ones finished by their deadline (0–1), null when none finished. */
  finishedOnTime: number | null;
  /** Median working days to the first response, null when none was answered. */
  medianResponseDays: number | null;
  /** Median working days to the first finish, null when none finished. */
  medianResolutionDays: number | null;
  /** The citizens' ratings: their average (1–5, null without any) and how many. */
  rating: { average: number | null; count: number };
  /** Share of the finished ones the citizen reopened (0–1), null when none finished. */
  reopened: number | null;
}

/** The statistics of a span of weeks, as the page, the dashboard and `/api/v1/stats` show them. */
export interface StatsReport {
  /** The first day (a Monday) and the last day (a Sunday) counted. */
  from: string;
  to: string;
  /** The agency the figures are limited to when it is one, else null. */
  agencyId: string | null;
  /** Every week of the span, oldest first. `questionsAnswered` is null for one agency's figures. */
  weeks: { week: string; byKind: Record<CaseKind, number>; questionsAnswered: number | null }[];
  /** Cases per category, most first (categories without cases left out). */
  categories: { category: string; cases: number }[];
  /** Per agency with cases, most cases first. */
  agencies: ({ agencyId: string } & AgencyFigures)[];
  total: AgencyFigures;
}

/** The weeks from `fromWeek` to `toWeek` (Mondays, both included). */
export function weeksBetween(fromWeek: string, toWeek: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${fromWeek}T00:00:00Z`); t <= Date.parse(`${toWeek}T00:00:00Z`); ) {
    out.push(new Date(t).toISOString().slice(0, 10));
    t += 7 * 86_400_000;
  }
  return out;
}

/**
 * The median of a histogram of tenths, in days (the mean of the two middle values when the count
 * is even), or null when it is empty. Pure.
 *
 * @example
 * medianDays(new Map([[10, 2], [30, 1]])) // 1 (values 1.0, 1.0, 3.0)
 */
export function medianDays(histogram: ReadonlyMap<number, number>): number | null {
  const values = [...histogram.entries()].filter(([, n]) => n > 0).sort(([a], [b]) => a - b);
  const count = values.reduce((sum, [, n]) => sum + n, 0);
  if (count === 0) return null;
  const at = (rank: number): number => {
    let seen = 0;
    for (const [tenths, n] of values) {
      seen += n;
      if (rank < seen) return tenths;
    }
    return values.at(-1)?.[0] ?? 0;
  };
  const middle = Math.floor(count / 2);
  const tenths = count % 2 === 1 ? at(middle) : (at(middle - 1) + at(middle)) / 2;
  return Math.round(tenths * 10) / 100;
}

const ratio = (part: number, whole: number) =>
  whole > 0 ? Math.round((part / whole) * 1000) / 1000 : null;

function figures(sums: CaseSums, response: Map<number, number>, finish: Map<number, number>) {
  return {
    cases: sums.cases,
    open: sums.open,
    finished: sums.finished,
    finishedOnTime: ratio(sums.onTime, sums.finished),
    medianResponseDays: medianDays(response),
    medianResolutionDays: medianDays(finish),
    rating: {
      average:
        sums.ratingCount > 0 ? Math.round((sums.ratingSum / sums.ratingCount) * 100) / 100 : null,
      count: sums.ratingCount,
    },
    reopened: ratio(sums.reopened, sums.finished),
  } satisfies AgencyFigures;
}

const add = (into: Map<number, number>, tenths: number, n: number) =>
  into.set(tenths, (into.get(tenths) ?? 0) + n);

/**
 * The report of the sums read for `filter`. Pure.
 *
 * @example
 * const report = statsReport(filter, await backend.stats.read(filter));
 */
export function statsReport(filter: StatsFilter, sums: StatsSums): StatsReport {
  const weeks = weeksBetween(filter.fromWeek, filter.toWeek);
  const byWeek = new Map(
    weeks.map((w) => [
      w,
      Object.fromEntries(CASE_KINDS.map((k) => [k, 0])) as Record<CaseKind, number>,
    ]),
  );
  for (const r of sums.weeks) {
    const row = byWeek.get(r.week);
    if (row && (CASE_KINDS as readonly string[]).includes(r.kind))
      row[r.kind as CaseKind] += r.cases;
  }
  const questions = new Map<string, number>();
  for (const c of sums.counters) {
    if (c.name === QUESTIONS_ANSWERED) questions.set(c.week, (questions.get(c.week) ?? 0) + c.n);
  }
  // Questions belong to no agency: they are shown only for every agency's figures.
  const someAgencies = filter.agencyIds !== undefined;

  const histograms = new Map<
    string,
    { response: Map<number, number>; finish: Map<number, number> }
  >();
  const all = { response: new Map<number, number>(), finish: new Map<number, number>() };
  for (const d of sums.durations) {
    let h = histograms.get(d.agencyId);
    if (!h) {
      h = { response: new Map(), finish: new Map() };
      histograms.set(d.agencyId, h);
    }
    add(h[d.metric], d.tenths, d.n);
    add(all[d.metric], d.tenths, d.n);
  }
  const total = noSums();
  for (const a of sums.agencies) addSums(total, a);
  const empty = new Map<number, number>();
  return {
    from: filter.fromWeek,
    to: new Date(Date.parse(`${filter.toWeek}T00:00:00Z`) + 6 * 86_400_000)
      .toISOString()
      .slice(0, 10),
    agencyId: filter.agencyIds?.length === 1 ? (filter.agencyIds[0] ?? null) : null,
    weeks: weeks.map((week) => ({
      week,
      byKind:
        byWeek.get(week) ??
        ({ complaint: 0, aspiration: 0, handoff: 0 } as Record<CaseKind, number>),
      questionsAnswered: someAgencies ? null : (questions.get(week) ?? 0),
    })),
    categories: sums.categories
      .filter((c) => c.cases > 0)
      .sort((a, b) => b.cases - a.cases || a.category.localeCompare(b.category)),
    agencies: sums.agencies
      .filter((a) => a.cases > 0)
      .sort((a, b) => b.cases - a.cases || a.agencyId.localeCompare(b.agencyId))
      .map((a) => ({
        agencyId: a.agencyId,
        ...figures(
          a,
          histograms.get(a.agencyId)?.response ?? empty,
          histograms.get(a.agencyId)?.finish ?? empty,
        ),
      })),
    total: figures(total, all.response, all.finish),
  };
}

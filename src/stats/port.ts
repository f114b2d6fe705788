/**
 * The statistics' read port: sums from the summary tables the stores keep as cases change (see
 * src/store/sql/stats.ts), never a read of the cases themselves.
 */

/** Which weeks (Mondays, `YYYY-MM-DD`, both included) and which agencies (all when absent). */
export interface StatsFilter {
  fromWeek: string;
  toWeek: string;
  agencyIds?: readonly string[];
}

/** The counts of one group of cases (cases that came in during the filter's weeks). */
export interface CaseSums {
  cases: number;
  open: number;
  finished: number;
  onTime: number;
  reopened: number;
  ratingSum: number;
  ratingCount: number;
}

/** Sums of no case (a fresh object each call). */
export function noSums(): CaseSums {
  return { cases: 0, open: 0, finished: 0, onTime: 0, reopened: 0, ratingSum: 0, ratingCount: 0 };
}

/** Adds `more` into `into` (every field). */
export function addSums(into: CaseSums, more: CaseSums): void {
  for (const k of Object.keys(into) as (keyof CaseSums)[]) into[k] += more[k];
}

/** How many cases took each number of tenths of a working day (a histogram). */
export type Durations = Map<number, number>;

/** What {@link StatsQueries.read} returns. */
export interface StatsSums {
  /** Cases per week and kind. */
  weeks: { week: string; kind: string; cases: number }[];
  /** Cases per category. */
  categories: { category: string; cases: number }[];
  /** The sums per agency. */
  agencies: ({ agencyId: string } & CaseSums)[];
  /** Per agency, the durations to a first response and to a first finish. */
  durations: { agencyId: string; metric: 'response' | 'finish'; tenths: number; n: number }[];
  /** Weekly counters (`questions_answered`…) by name: not per agency. */
  counters: { name: string; week: string; n: number }[];
}

/**
 * Reads the statistics' sums.
 *
 * @example
 * const sums = await backend.stats.read({ fromWeek: '2026-06-01', toWeek: '2026-11-30' });
 */
export interface StatsQueries {
  read(filter: StatsFilter): Promise<StatsSums>;
}

import type { StatsFilter, StatsQueries, StatsSums } from '../../stats/port';
import type { SqlParam, SqlReader } from './case-queries';

// The statistics' summary tables, the same in SQLite and PostgreSQL. Each case row carries what
// it adds to the statistics (its `stat_*` columns, from `Case.stats`); triggers on `cases` add a
// row's contribution when it is written and take the old one away, in the same transaction, so
// the sums are always those of the cases as they are. The statistics read only these tables:
// a year is a few thousand rows, however many cases there are.

/** The columns of `cases` the statistics read, added by the migration. */
export const STATS_CASE_COLUMNS = `
  ALTER TABLE cases ADD COLUMN stat_week TEXT;
  ALTER TABLE cases ADD COLUMN stat_open INTEGER;
  ALTER TABLE cases ADD COLUMN stat_finished INTEGER;
  ALTER TABLE cases ADD COLUMN stat_on_time INTEGER;
  ALTER TABLE cases ADD COLUMN stat_reopened INTEGER;
  ALTER TABLE cases ADD COLUMN stat_response INTEGER;
  ALTER TABLE cases ADD COLUMN stat_finish INTEGER;
  ALTER TABLE cases ADD COLUMN rating INTEGER;
`;

/**
 * The summary tables (`text` is the text type with the store's collation). `stats_cases`: per
 * week of arrival, agency, category and kind, the cases and how many of them are open, finished,
 * finished on time, reopened, and their ratings. `stats_durations`: per week and agency, how many
 * cases took each number of tenths of a working day to a first response and to a first finish
 * (medians come from these counts). `stats_counters`: weekly counts of other things
 * (`questions_answered`).
 */
export function statsTables(text: string): string {
  return `
  CREATE TABLE stats_cases (
    week ${text} NOT NULL,
    agency_id ${text} NOT NULL,
    category ${text} NOT NULL,
    kind ${text} NOT NULL,
    cases INTEGER NOT NULL,
    open INTEGER NOT NULL,
    finished INTEGER NOT NULL,
    on_time INTEGER NOT NULL,
    reopened INTEGER NOT NULL,
    rating_sum INTEGER NOT NULL,
    rating_n INTEGER NOT NULL,
    PRIMARY KEY (week, agency_id, category, kind)
  );
  CREATE TABLE stats_durations (
    week ${text} NOT NULL,
    agency_id ${text} NOT NULL,
    metric ${text} NOT NULL,
    tenths INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (week, agency_id, metric, tenths)
  );
  CREATE TABLE stats_counters (
    name ${text} NOT NULL,
    week ${text} NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (name, week)
  );
  CREATE INDEX cases_stats_missing ON cases (created_at) WHERE stat_week IS NULL;
`;
}

/**
 * The statements that add (`sign` 1) or take away (-1) the contribution of the trigger's `NEW` or
 * `OLD` row. Rows without statistics (`stat_week` null: not yet filled in) contribute nothing.
 */
export function contribution(row: 'NEW' | 'OLD', sign: 1 | -1): string {
  const r = (column: string) => `${row}.${column}`;
  const s = (expr: string) => (sign === 1 ? expr : `-(${expr})`);
  const flag = (column: string) => s(`coalesce(${r(column)}, 0)`);
  const duration = (metric: string, column: string) => `
    INSERT INTO stats_durations (week, agency_id, metric, tenths, n)
      SELECT ${r('stat_week')}, ${r('agency_id')}, '${metric}', ${r(column)}, ${sign}
      WHERE ${r('stat_week')} IS NOT NULL AND ${r(column)} IS NOT NULL
      ON CONFLICT (week, agency_id, metric, tenths) DO UPDATE SET n = stats_durations.n + excluded.n;`;
  return `
    INSERT INTO stats_cases (week, agency_id, category, kind, cases, open, finished, on_time,
        reopened, rating_sum, rating_n)
      SELECT ${r('stat_week')}, ${r('agency_id')}, ${r('category')}, ${r('kind')}, ${sign},
        ${flag('stat_open')}, ${flag('stat_finished')}, ${flag('stat_on_time')},
        ${flag('stat_reopened')}, ${s(`coalesce(${r('rating')}, 0)`)},
        ${s(`CASE WHEN ${r('rating')} IS NULL THEN 0 ELSE 1 END`)}
      WHERE ${r('stat_week')} IS NOT NULL
      ON CONFLICT (week, agency_id, category, kind) DO UPDATE SET
        cases = stats_cases.cases + excluded.cases,
        open = stats_cases.open + excluded.open,
        finished = stats_cases.finished + excluded.finished,
        on_time = stats_cases.on_time + excluded.on_time,
        reopened = stats_cases.reopened + excluded.reopened,
        rating_sum = stats_cases.rating_sum + excluded.rating_sum,
        rating_n = stats_cases.rating_n + excluded.rating_n;
    ${duration('response', 'stat_response')}
    ${duration('finish', 'stat_finish')}`;
}

/** The columns an update must change for the statistics to change (the update trigger's guard). */
export const STATS_INPUTS = [
  'stat_week',
  'stat_open',
  'stat_finished',
  'stat_on_time',
  'stat_reopened',
  'stat_response',
  'stat_finish',
  'rating',
  'agency_id',
  'category',
  'kind',
];

/** `OLD.x IS DISTINCT FROM NEW.x OR …` in the dialect's words (SQLite: `IS NOT`). */
export function statsChanged(distinct: 'IS NOT' | 'IS DISTINCT FROM'): string {
  return STATS_INPUTS.map((c) => `OLD.${c} ${distinct} NEW.${c}`).join(' OR ');
}

/** Adds one to a weekly counter: the values are the name and the week. */
export const TALLY = `INSERT INTO stats_counters (name, week, n) VALUES (?, ?, 1)
  ON CONFLICT (name, week) DO UPDATE SET n = stats_counters.n + 1`;

/**
 * The statistics' sums in SQL both stores run, on the summary tables only (their primary keys
 * begin with the week, so a range of weeks is an index range).
 *
 * @example
 * const stats = new SqlStatsQueries(async (sql, params) => db.prepare(sql).all(...params));
 */
export class SqlStatsQueries implements StatsQueries {
  constructor(private readonly read_: SqlReader) {}

  async read(filter: StatsFilter): Promise<StatsSums> {
    const where = ['week >= ?', 'week <= ?'];
    const params: SqlParam[] = [filter.fromWeek, filter.toWeek];
    if (filter.agencyIds) {
      if (filter.agencyIds.length === 0) where.push('1 = 0');
      else {
        where.push(`agency_id IN (${filter.agencyIds.map(() => '?').join(', ')})`);
        params.push(...filter.agencyIds);
      }
    }
    const clause = `WHERE ${where.join(' AND ')}`;
    const n = (v: unknown) => Number(v ?? 0);
    const [weeks, categories, agencies, durations, counters] = await Promise.all([
      this.read_<{ week: string; kind: string; cases: unknown }>(
        `SELECT week, kind, sum(cases) AS cases FROM stats_cases ${clause} GROUP BY week, kind`,
        params,
      ),
      this.read_<{ category: string; cases: unknown }>(
        `SELECT category, sum(cases) AS cases FROM stats_cases ${clause} GROUP BY category`,
        params,
      ),
      this.read_<Record<string, unknown> & { agency_id: string }>(
        `SELECT agency_id, sum(cases) AS cases, sum(open) AS open, sum(finished) AS finished,
           sum(on_time) AS on_time, sum(reopened) AS reopened, sum(rating_sum) AS rating_sum,
           sum(rating_n) AS rating_n
         FROM stats_cases ${clause} GROUP BY agency_id`,
        params,
      ),
      this.read_<{ agency_id: string; metric: string; tenths: unknown; n: unknown }>(
        `SELECT agency_id, metric, tenths, sum(n) AS n FROM stats_durations ${clause}
         GROUP BY agency_id, metric, tenths`,
        params,
      ),
      this.read_<{ name: string; week: string; n: unknown }>(
        'SELECT name, week, n FROM stats_counters WHERE week >= ? AND week <= ?',
        [filter.fromWeek, filter.toWeek],
      ),
    ]);
    return {
      weeks: weeks.map((r) => ({ week: r.week, kind: r.kind, cases: n(r.cases) })),
      categories: categories.map((r) => ({ category: r.category, cases: n(r.cases) })),
      agencies: agencies.map((r) => ({
        agencyId: r.agency_id,
        cases: n(r.cases),
        open: n(r.open),
        finished: n(r.finished),
        onTime: n(r.on_time),
        reopened: n(r.reopened),
        ratingSum: n(r.rating_sum),
        ratingCount: n(r.rating_n),
      })),
      durations: durations
        .filter((r) => n(r.n) !== 0)
        .map((r) => ({
          agencyId: r.agency_id,
          metric: r.metric === 'finish' ? 'finish' : 'response',
          tenths: n(r.tenths),
          n: n(r.n),
        })),
      counters: counters.map((r) => ({ name: r.name, week: r.week, n: n(r.n) })),
    };
  }
}

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

/** The two SQL dialects the stores speak. */
export type Dialect = 'sqlite' | 'postgres';

/**
 * The summary tables in `dialect`. `stats_cases`: per
 * week of arrival, agency, category and kind, the cases and how many of them are open, finished,
 * finished on time, reopened, and their ratings. `stats_durations`: per week, agency and metric
 * (`response`, `finish`), one histogram: a JSON object of tenths of a working day → cases (medians
 * come from these counts; one row per week and agency keeps a year's read to a few thousand
 * rows however spread the durations are). `stats_counters`: weekly counts of other things
 * (`questions_answered`).
 */
export function statsTables(dialect: Dialect): string {
  const text = dialect === 'postgres' ? 'TEXT COLLATE "C"' : 'TEXT';
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
    counts ${dialect === 'postgres' ? 'JSONB' : 'TEXT'} NOT NULL,
    PRIMARY KEY (week, agency_id, metric)
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
export function contribution(row: 'NEW' | 'OLD', sign: 1 | -1, dialect: Dialect): string {
  const r = (column: string) => `${row}.${column}`;
  const s = (expr: string) => (sign === 1 ? expr : `-(${expr})`);
  const flag = (column: string) => s(`coalesce(${r(column)}, 0)`);
  // One key of the histogram object: its count plus `sign`.
  const bump = (column: string) => {
    const key = `CAST(${r(column)} AS TEXT)`;
    return dialect === 'postgres'
      ? `jsonb_set(stats_durations.counts, ARRAY[${key}],
          to_jsonb(coalesce((stats_durations.counts ->> ${key})::integer, 0) + ${sign}))`
      : `json_set(stats_durations.counts, '$."' || ${key} || '"',
          coalesce(json_extract(stats_durations.counts, '$."' || ${key} || '"'), 0) + ${sign})`;
  };
  const start = (column: string) =>
    dialect === 'postgres'
      ? `jsonb_build_object(CAST(${r(column)} AS TEXT), ${sign})`
      : `json_object(CAST(${r(column)} AS TEXT), ${sign})`;
  const duration = (metric: string, column: string) => `
    INSERT INTO stats_durations (week, agency_id, metric, counts)
      SELECT ${r('stat_week')}, ${r('agency_id')}, '${metric}', ${start(column)}
      WHERE ${r('stat_week')} IS NOT NULL AND ${r(column)} IS NOT NULL
      ON CONFLICT (week, agency_id, metric) DO UPDATE SET counts = ${bump(column)};`;
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
      this.read_<{ agency_id: string; metric: string; counts: unknown }>(
        `SELECT agency_id, metric, counts FROM stats_durations ${clause}`,
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
      durations: mergeHistograms(durations),
      counters: counters.map((r) => ({ name: r.name, week: r.week, n: n(r.n) })),
    };
  }
}

/**
 * The weekly histograms summed per agency and metric (a store gives JSON as text or parsed).
 * Summed into arrays indexed by tenths: at a year of all agencies (about 1,500 histograms of a
 * few hundred values each) this is several times faster than maps.
 */
function mergeHistograms(
  rows: { agency_id: string; metric: string; counts: unknown }[],
): StatsSums['durations'] {
  const sums = new Map<string, number[]>();
  for (const row of rows) {
    const counts = (typeof row.counts === 'string' ? JSON.parse(row.counts) : row.counts) as Record<
      string,
      number
    >;
    const key = `${row.metric === 'finish' ? 'finish' : 'response'} ${row.agency_id}`;
    let into = sums.get(key);
    if (!into) {
      into = [];
      sums.set(key, into);
    }
    for (const tenths in counts) {
      const i = Number(tenths);
      into[i] = (into[i] ?? 0) + Number(counts[tenths]);
    }
  }
  const out: StatsSums['durations'] = [];
  for (const [key, histogram] of sums) {
    const [metric, agencyId = ''] = key.split(' ') as ['response' | 'finish', string];
    histogram.forEach((n, tenths) => {
      if (n) out.push({ agencyId, metric, tenths, n });
    });
  }
  return out;
}

import type { SlaState } from '../../cases/deadlines';
import {
  type CaseDimension,
  type CasePage,
  type CasePageRequest,
  type CaseQueries,
  type CaseQuery,
  decodeCursor,
  encodeCursor,
  pageLimit,
  type SlaWindow,
} from '../../cases/queries';
import type { Case } from '../../cases/types';

/** Grouping columns (a fixed map: never interpolate caller input into SQL). */
const DIMENSIONS: Record<CaseDimension, string> = {
  status: 'status',
  agency: 'agency_id',
  category: 'category',
  kind: 'kind',
};

/** The deadline order's key: `~` sorts after every ISO date (cases without a deadline last). */
const DEADLINE = "coalesce(due_at, '~')";

/** Sort key and direction per order (the deadline key is indexed: migrations `deadline order indexes`). */
const ORDERS = {
  newest: { key: 'created_at', dir: 'DESC', cmp: '<' },
  oldest: { key: 'created_at', dir: 'ASC', cmp: '>' },
  deadline: { key: DEADLINE, dir: 'ASC', cmp: '>' },
} as const;

/** Parameters of the read model's SQL. */
export type SqlParam = string | number;

/**
 * Runs a read with `?` placeholders and returns its rows: what each store gives the shared read
 * model (SQLite runs the text as it is, PostgreSQL numbers the placeholders).
 */
export type SqlReader = <R>(sql: string, params: readonly SqlParam[]) => Promise<R[]>;

/**
 * The case read model as SQL that SQLite and PostgreSQL both run: filters, pages and counts in
 * the database, on the `cases` table's columns and indexes. Each store hands it a reader.
 *
 * @example
 * const queries = new SqlCaseQueries(async (sql, params) => db.prepare(sql).all(...params));
 */
export class SqlCaseQueries implements CaseQueries {
  constructor(private readonly read: SqlReader) {}

  async list(query: CaseQuery, page: CasePageRequest = {}): Promise<CasePage> {
    const limit = pageLimit(page.limit);
    const order = page.order ?? 'newest';
    const { key, dir, cmp } = ORDERS[order];
    const where = whereOf(query);
    if (page.after !== undefined) {
      const cursor = decodeCursor(page.after, order);
      where.clauses.push(`(${key} ${cmp} ? OR (${key} = ? AND tracking_id ${cmp} ?))`);
      where.params.push(cursor.key, cursor.key, cursor.trackingId);
    }
    const rows = await this.read<{ sort_key: string; tracking_id: string; data: string }>(
      `SELECT ${key} AS sort_key, tracking_id, data FROM cases ${sqlWhere(where.clauses)}
       ORDER BY ${key} ${dir}, tracking_id ${dir} LIMIT ?`,
      [...where.params, limit + 1],
    );
    const more = rows.length > limit;
    const shown = more ? rows.slice(0, limit) : rows;
    const last = shown.at(-1);
    return {
      cases: shown.map((r) => JSON.parse(r.data) as Case),
      next:
        more && last
          ? encodeCursor({ order, key: last.sort_key, trackingId: last.tracking_id })
          : null,
    };
  }

  async count(query: CaseQuery): Promise<number> {
    const where = whereOf(query);
    const [row] = await this.read<{ n: number }>(
      `SELECT count(*) AS n FROM cases ${sqlWhere(where.clauses)}`,
      where.params,
    );
    return row?.n ?? 0;
  }

  async countBy(query: CaseQuery, dimension: CaseDimension): Promise<Record<string, number>> {
    const column = DIMENSIONS[dimension];
    const where = whereOf(query);
    const rows = await this.read<{ value: string; n: number }>(
      `SELECT ${column} AS value, count(*) AS n FROM cases ${sqlWhere(where.clauses)} GROUP BY ${column}`,
      where.params,
    );
    return Object.fromEntries(rows.map((r) => [r.value, r.n]));
  }

  async countSla(query: CaseQuery, window: SlaWindow): Promise<Record<SlaState, number>> {
    const where = whereOf(query);
    where.clauses.push('due_at IS NOT NULL');
    const now = window.now.toISOString();
    const soon = window.dueSoonUntil.toISOString();
    const [row] = await this.read<Record<SlaState, number>>(
      `SELECT count(*) FILTER (WHERE due_at < ?) AS overdue,
         count(*) FILTER (WHERE due_at >= ? AND due_at <= ?) AS due_soon,
         count(*) FILTER (WHERE due_at > ?) AS on_time
       FROM cases ${sqlWhere(where.clauses)}`,
      [now, now, soon, soon, ...where.params],
    );
    return { overdue: row?.overdue ?? 0, due_soon: row?.due_soon ?? 0, on_time: row?.on_time ?? 0 };
  }
}

interface Where {
  clauses: string[];
  params: SqlParam[];
}

function sqlWhere(clauses: string[]): string {
  return clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
}

function whereOf(q: CaseQuery): Where {
  const clauses: string[] = [];
  const params: SqlParam[] = [];
  const oneOf = (column: string, values: readonly string[] | undefined) => {
    if (values === undefined) return;
    if (values.length === 0) clauses.push('1 = 0');
    else {
      clauses.push(`${column} IN (${values.map(() => '?').join(', ')})`);
      params.push(...values);
    }
  };
  oneOf('agency_id', q.agencyIds);
  oneOf('status', q.status);
  oneOf('kind', q.kind);
  oneOf('category', q.categories);
  oneOf('identity', q.identity);
  oneOf('tracking_id', q.trackingIds);
  if (q.reporter) {
    clauses.push('reporter_channel = ? AND reporter_user = ?');
    params.push(q.reporter.channel, q.reporter.channelUserId);
  }
  if (q.statsMissing) clauses.push('stat_week IS NULL');
  if (q.created?.from) {
    clauses.push('created_at >= ?');
    params.push(q.created.from.toISOString());
  }
  if (q.created?.to) {
    clauses.push('created_at < ?');
    params.push(q.created.to.toISOString());
  }
  if (q.sla) {
    const now = q.sla.window.now.toISOString();
    const soon = q.sla.window.dueSoonUntil.toISOString();
    // Overdue and due soon compare the deadline order's key (the same expression as the
    // `cases_*deadline` indexes; `~` is after every date, so no case without a deadline matches):
    // a page of them by deadline is one index range read in order.
    if (q.sla.state === 'overdue') {
      clauses.push(`${DEADLINE} < ?`);
      params.push(now);
    } else if (q.sla.state === 'due_soon') {
      clauses.push(`${DEADLINE} >= ? AND ${DEADLINE} <= ?`);
      params.push(now, soon);
    } else {
      clauses.push('due_at > ?');
      params.push(soon);
    }
  }
  if (q.autoCloseDue) {
    clauses.push(`status = 'resolved' AND auto_close_at < ?`);
    params.push(q.autoCloseDue.toISOString());
  }
  return { clauses, params };
}

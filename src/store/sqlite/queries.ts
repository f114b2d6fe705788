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
import type { Statements } from './statements';

/** Grouping columns (a fixed map: never interpolate caller input into SQL). */
const DIMENSIONS: Record<CaseDimension, string> = {
  status: 'status',
  agency: 'agency_id',
  category: 'category',
  kind: 'kind',
};

/** Sort key and direction per order; `~` sorts after every ISO date (cases without a deadline last). */
const ORDERS = {
  newest: { key: 'created_at', dir: 'DESC', cmp: '<' },
  oldest: { key: 'created_at', dir: 'ASC', cmp: '>' },
  deadline: { key: "coalesce(due_at, '~')", dir: 'ASC', cmp: '>' },
} as const;

/** The case read model on SQLite: filters, pages and counts run as indexed SQL. */
export class SqliteCaseQueries implements CaseQueries {
  constructor(private readonly sql: Statements) {}

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
    const rows = this.sql
      .get(
        `SELECT ${key} AS sort_key, tracking_id, data FROM cases ${sqlWhere(where.clauses)}
         ORDER BY ${key} ${dir}, tracking_id ${dir} LIMIT ?`,
      )
      .all(...where.params, limit + 1) as { sort_key: string; tracking_id: string; data: string }[];
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
    return (
      this.sql
        .get(`SELECT count(*) AS n FROM cases ${sqlWhere(where.clauses)}`)
        .get(...where.params) as { n: number }
    ).n;
  }

  async countBy(query: CaseQuery, dimension: CaseDimension): Promise<Record<string, number>> {
    const column = DIMENSIONS[dimension];
    const where = whereOf(query);
    const rows = this.sql
      .get(
        `SELECT ${column} AS value, count(*) AS n FROM cases ${sqlWhere(where.clauses)} GROUP BY ${column}`,
      )
      .all(...where.params) as { value: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.value, r.n]));
  }

  async countSla(query: CaseQuery, window: SlaWindow): Promise<Record<SlaState, number>> {
    const where = whereOf(query);
    where.clauses.push('due_at IS NOT NULL');
    const now = window.now.toISOString();
    const soon = window.dueSoonUntil.toISOString();
    const row = this.sql
      .get(
        `SELECT coalesce(sum(due_at < ?), 0) AS overdue,
           coalesce(sum(due_at >= ? AND due_at <= ?), 0) AS due_soon,
           coalesce(sum(due_at > ?), 0) AS on_time
         FROM cases ${sqlWhere(where.clauses)}`,
      )
      .get(now, now, soon, soon, ...where.params) as Record<SlaState, number>;
    return { overdue: row.overdue, due_soon: row.due_soon, on_time: row.on_time };
  }
}

interface Where {
  clauses: string[];
  params: (string | number)[];
}

function sqlWhere(clauses: string[]): string {
  return clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
}

function whereOf(q: CaseQuery): Where {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  const oneOf = (column: string, values: readonly string[] | undefined) => {
    if (values === undefined) return;
    if (values.length === 0) clauses.push('0');
    else {
      clauses.push(`${column} IN (${values.map(() => '?').join(', ')})`);
      params.push(...values);
    }
  };
  oneOf('agency_id', q.agencyIds);
  oneOf('status', q.status);
  oneOf('kind', q.kind);
  if (q.reporter) {
    clauses.push('reporter_channel = ? AND reporter_user = ?');
    params.push(q.reporter.channel, q.reporter.channelUserId);
  }
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
    if (q.sla.state === 'overdue') {
      clauses.push('due_at < ?');
      params.push(now);
    } else if (q.sla.state === 'due_soon') {
      clauses.push('due_at >= ? AND due_at <= ?');
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

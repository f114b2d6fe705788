import type pg from 'pg';
import type { CaseRepository } from '../../cases/repository';
import type { Case, CaseEvent } from '../../cases/types';
import {
  caseColumns,
  caseConflict,
  duplicateError,
  eventColumns,
  INSERT_CASE,
  INSERT_EVENT,
  UPDATE_CASE,
} from '../sql/cases';
import { isUniqueViolation, numbered, type Queryable, query } from './db';

// The shared writes with their placeholders numbered once.
const INSERT_CASE_PG = numbered(INSERT_CASE);
const UPDATE_CASE_PG = numbered(UPDATE_CASE);
const INSERT_EVENT_PG = numbered(INSERT_EVENT);

/** Cases and their events in PostgreSQL: reads for the repository, writes for the change set. */
export class PgCases implements CaseRepository {
  constructor(private readonly pool: pg.Pool) {}

  async get(trackingId: string): Promise<Case | null> {
    const { rows } = await query<{ data: string }>(
      this.pool,
      'SELECT data FROM cases WHERE tracking_id = $1',
      [trackingId],
    );
    return rows[0] ? (JSON.parse(rows[0].data) as Case) : null;
  }

  async exists(trackingId: string): Promise<boolean> {
    const { rowCount } = await query(this.pool, 'SELECT 1 FROM cases WHERE tracking_id = $1', [
      trackingId,
    ]);
    return (rowCount ?? 0) > 0;
  }

  async events(trackingId: string): Promise<CaseEvent[]> {
    const { rows } = await query<{ data: string }>(
      this.pool,
      'SELECT data FROM case_events WHERE tracking_id = $1 ORDER BY seq',
      [trackingId],
    );
    return rows.map((r) => JSON.parse(r.data) as CaseEvent);
  }

  /** Inserts (`expectedVersion` null) or updates a case guarded by its version. In a transaction. */
  async write(tx: Queryable, c: Case, expectedVersion: number | null): Promise<void> {
    if (expectedVersion === null) {
      try {
        await query(tx, INSERT_CASE_PG, caseColumns(c));
      } catch (err) {
        throw duplicateOr(err, 'case', `case ${c.trackingId}`);
      }
      return;
    }
    const r = await query(tx, UPDATE_CASE_PG, [...caseColumns(c), expectedVersion]);
    if (r.rowCount === 0) throw caseConflict(c, expectedVersion);
  }

  /** Appends an event to a case's history. In a transaction. */
  async writeEvent(tx: Queryable, e: CaseEvent): Promise<void> {
    try {
      await query(tx, INSERT_EVENT_PG, eventColumns(e));
    } catch (err) {
      throw duplicateOr(err, 'event', `event ${e.trackingId}#${e.seq}`);
    }
  }
}

function duplicateOr(err: unknown, entity: 'case' | 'event', what: string): unknown {
  return isUniqueViolation(err) ? duplicateError(entity, what) : err;
}

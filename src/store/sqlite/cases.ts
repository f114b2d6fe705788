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
import type { Statements } from './statements';

/** Cases and their events in SQLite: reads for the repository, writes for the change set. */
export class SqliteCases implements CaseRepository {
  constructor(private readonly sql: Statements) {}

  async get(trackingId: string): Promise<Case | null> {
    const row = this.sql.get('SELECT data FROM cases WHERE tracking_id = ?').get(trackingId) as
      | { data: string }
      | undefined;
    return row ? (JSON.parse(row.data) as Case) : null;
  }

  async exists(trackingId: string): Promise<boolean> {
    return this.sql.get('SELECT 1 FROM cases WHERE tracking_id = ?').get(trackingId) !== undefined;
  }

  async events(trackingId: string): Promise<CaseEvent[]> {
    return (
      this.sql
        .get('SELECT data FROM case_events WHERE tracking_id = ? ORDER BY seq')
        .all(trackingId) as { data: string }[]
    ).map((r) => JSON.parse(r.data) as CaseEvent);
  }

  /** Inserts (`expectedVersion` null) or updates a case guarded by its version. In a transaction. */
  write(c: Case, expectedVersion: number | null): void {
    if (expectedVersion === null) {
      try {
        this.sql.get(INSERT_CASE).run(...caseColumns(c));
      } catch (err) {
        throw translateConstraint(err, 'case', `case ${c.trackingId}`);
      }
      return;
    }
    const r = this.sql.get(UPDATE_CASE).run(...caseColumns(c), expectedVersion);
    if (r.changes === 0) throw caseConflict(c, expectedVersion);
  }

  /** Appends an event to a case's history. In a transaction. */
  writeEvent(e: CaseEvent): void {
    try {
      this.sql.get(INSERT_EVENT).run(...eventColumns(e));
    } catch (err) {
      throw translateConstraint(err, 'event', `event ${e.trackingId}#${e.seq}`);
    }
  }
}

function translateConstraint(err: unknown, entity: 'case' | 'event', what: string): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return duplicateError(entity, what);
  }
  return err;
}

import { agencyDeadline } from '../../cases/queries';
import type { CaseRepository } from '../../cases/repository';
import type { Case, CaseEvent } from '../../cases/types';
import { CodedError } from '../../errors';
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
    const cols = [
      c.kind,
      c.status,
      c.agencyId,
      c.category,
      c.priority,
      c.reporter.channel,
      c.reporter.channelUserId,
      c.createdAt,
      c.updatedAt,
      c.version,
      agencyDeadline(c),
      c.deadlines.autoCloseAt ?? null,
      JSON.stringify(c),
    ];
    if (expectedVersion === null) {
      try {
        this.sql
          .get(
            `INSERT INTO cases (kind, status, agency_id, category, priority, reporter_channel, reporter_user,
               created_at, updated_at, version, due_at, auto_close_at, data, tracking_id)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(...cols, c.trackingId);
      } catch (err) {
        throw translateConstraint(err, 'case', `case ${c.trackingId}`);
      }
      return;
    }
    const r = this.sql
      .get(
        `UPDATE cases SET kind = ?, status = ?, agency_id = ?, category = ?, priority = ?, reporter_channel = ?,
           reporter_user = ?, created_at = ?, updated_at = ?, version = ?, due_at = ?, auto_close_at = ?, data = ?
         WHERE tracking_id = ? AND version = ?`,
      )
      .run(...cols, c.trackingId, expectedVersion);
    if (r.changes === 0) {
      throw new CodedError(
        'conflict',
        `case ${c.trackingId} changed since version ${expectedVersion} (or does not exist)`,
      );
    }
  }

  /** Appends an event to a case's history. In a transaction. */
  writeEvent(e: CaseEvent): void {
    try {
      this.sql
        .get('INSERT INTO case_events (tracking_id, seq, at, data) VALUES (?, ?, ?, ?)')
        .run(e.trackingId, e.seq, e.at, JSON.stringify(e));
    } catch (err) {
      throw translateConstraint(err, 'event', `event ${e.trackingId}#${e.seq}`);
    }
  }
}

function translateConstraint(err: unknown, entity: 'case' | 'event', what: string): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return new CodedError('duplicate', `${what} already exists`, { entity });
  }
  return err;
}

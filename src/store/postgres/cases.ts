import type pg from 'pg';
import { agencyDeadline } from '../../cases/queries';
import type { CaseRepository } from '../../cases/repository';
import type { Case, CaseEvent } from '../../cases/types';
import { CodedError } from '../../errors';
import { isUniqueViolation, type Queryable, query } from './db';

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
      c.trackingId,
    ];
    if (expectedVersion === null) {
      try {
        await query(
          tx,
          `INSERT INTO cases (kind, status, agency_id, category, priority, reporter_channel, reporter_user,
             created_at, updated_at, version, due_at, auto_close_at, data, tracking_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
          cols,
        );
      } catch (err) {
        throw duplicateOr(err, 'case', `case ${c.trackingId}`);
      }
      return;
    }
    const r = await query(
      tx,
      `UPDATE cases SET kind = $1, status = $2, agency_id = $3, category = $4, priority = $5,
         reporter_channel = $6, reporter_user = $7, created_at = $8, updated_at = $9, version = $10,
         due_at = $11, auto_close_at = $12, data = $13
       WHERE tracking_id = $14 AND version = $15`,
      [...cols, expectedVersion],
    );
    if (r.rowCount === 0) {
      throw new CodedError(
        'conflict',
        `case ${c.trackingId} changed since version ${expectedVersion} (or does not exist)`,
      );
    }
  }

  /** Appends an event to a case's history. In a transaction. */
  async writeEvent(tx: Queryable, e: CaseEvent): Promise<void> {
    try {
      await query(
        tx,
        'INSERT INTO case_events (tracking_id, seq, at, data) VALUES ($1, $2, $3, $4)',
        [e.trackingId, e.seq, e.at, JSON.stringify(e)],
      );
    } catch (err) {
      throw duplicateOr(err, 'event', `event ${e.trackingId}#${e.seq}`);
    }
  }
}

function duplicateOr(err: unknown, entity: 'case' | 'event', what: string): unknown {
  return isUniqueViolation(err)
    ? new CodedError('duplicate', `${what} already exists`, { entity })
    : err;
}

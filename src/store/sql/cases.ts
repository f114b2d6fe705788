import { agencyDeadline } from '../../cases/queries';
import type { Case, CaseEvent } from '../../cases/types';
import { CodedError } from '../../errors';
import type { SqlParam } from './case-queries';

// The case writes, the same in SQLite and PostgreSQL: SQL with `?` placeholders (PostgreSQL runs
// it through `numbered`) and the values that go with it.

/** A value of a case or event column. */
export type CaseColumn = SqlParam | null;

/**
 * Inserts a case: the values are {@link caseColumns}. Fails on the primary key when the case
 * exists (the store turns that into {@link duplicateError}).
 */
export const INSERT_CASE = `INSERT INTO cases (kind, status, agency_id, category, priority, reporter_channel,
  reporter_user, created_at, updated_at, version, due_at, auto_close_at, identity, stat_week,
  stat_open, stat_finished, stat_on_time, stat_reopened, stat_response, stat_finish, rating, data,
  tracking_id)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/**
 * Updates a case guarded by its version: the values are {@link caseColumns} then the expected
 * version. Changes no row when the case changed since (or does not exist): {@link caseConflict}.
 */
export const UPDATE_CASE = `UPDATE cases SET kind = ?, status = ?, agency_id = ?, category = ?, priority = ?,
  reporter_channel = ?, reporter_user = ?, created_at = ?, updated_at = ?, version = ?, due_at = ?,
  auto_close_at = ?, identity = ?, stat_week = ?, stat_open = ?, stat_finished = ?, stat_on_time = ?,
  stat_reopened = ?, stat_response = ?, stat_finish = ?, rating = ?, data = ?
  WHERE tracking_id = ? AND version = ?`;

/** Appends an event to a case's history: the values are {@link eventColumns}. */
export const INSERT_EVENT =
  'INSERT INTO case_events (tracking_id, seq, at, data) VALUES (?, ?, ?, ?)';

/**
 * A case's column values in the order {@link INSERT_CASE} and {@link UPDATE_CASE} take them:
 * the read model's columns, the case as JSON, and its tracking id last.
 *
 * @example
 * db.prepare(UPDATE_CASE).run(...caseColumns(c), expectedVersion);
 */
export function caseColumns(c: Case): CaseColumn[] {
  return [
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
    c.identity,
    ...statsColumns(c),
    JSON.stringify(c),
    c.trackingId,
  ];
}

/** The `stat_*` columns and the rating (see src/store/sql/stats.ts); null without statistics. */
function statsColumns(c: Case): CaseColumn[] {
  const s = c.stats;
  const flag = (v: boolean | undefined) => (v === undefined ? null : v ? 1 : 0);
  if (!s) return [null, null, null, null, null, null, null, c.rating ?? null];
  return [
    s.week,
    flag(s.open),
    s.finishedAt !== undefined ? 1 : 0,
    flag(s.onTime) ?? 0,
    flag(s.reopened),
    s.responseTenths ?? null,
    s.finishTenths ?? null,
    c.rating ?? null,
  ];
}

/** An event's column values in the order {@link INSERT_EVENT} takes them. */
export function eventColumns(e: CaseEvent): CaseColumn[] {
  return [e.trackingId, e.seq, e.at, JSON.stringify(e)];
}

/** CodedError `conflict`: the update of case `c` expecting `expectedVersion` changed no row. */
export function caseConflict(c: Case, expectedVersion: number): CodedError {
  return new CodedError(
    'conflict',
    `case ${c.trackingId} changed since version ${expectedVersion} (or does not exist)`,
    { entity: 'case' },
  );
}

/** CodedError `duplicate`: `what` (e.g. `case T-1`) broke a unique key; `entity` in the details. */
export function duplicateError(entity: 'case' | 'event', what: string): CodedError {
  return new CodedError('duplicate', `${what} already exists`, { entity });
}

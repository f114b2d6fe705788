import type {
  ConversationKey,
  InboundRecord,
  Session,
  UnfinishedWork,
  WorkHold,
  WorkQueue,
} from '../../core/ledger';
import { CodedError } from '../../errors';

// The conversation ledger's SQL and rows, the same in SQLite and PostgreSQL: statements written
// with `?` placeholders (PostgreSQL runs them through `numbered`) and the mappers of their rows.
// Claiming unfinished work differs per engine (row locks) and stays in each store.

/** A session's row: values `(channel, conversation_id)`. */
export const SELECT_SESSION =
  'SELECT updated_at, data, version FROM sessions WHERE channel = ? AND conversation_id = ?';

/** Saves a session whatever its version: values `(channel, conversation_id, updated_at, data)`. */
export const UPSERT_SESSION = `INSERT INTO sessions (channel, conversation_id, updated_at, data, version) VALUES (?, ?, ?, ?, 1)
  ON CONFLICT (channel, conversation_id) DO UPDATE SET updated_at = excluded.updated_at, data = excluded.data,
  version = sessions.version + 1`;

/** Creates a session that must not exist: values `(channel, conversation_id, updated_at, data)`. */
export const INSERT_SESSION = `INSERT INTO sessions (channel, conversation_id, updated_at, data, version) VALUES (?, ?, ?, ?, 1)
  ON CONFLICT (channel, conversation_id) DO NOTHING`;

/** Saves a session still at a version: values `(updated_at, data, channel, conversation_id, version)`. */
export const UPDATE_SESSION = `UPDATE sessions SET updated_at = ?, data = ?, version = version + 1
  WHERE channel = ? AND conversation_id = ? AND version = ?`;

/** Deletes a session: values `(channel, conversation_id)`. */
export const DELETE_SESSION = 'DELETE FROM sessions WHERE channel = ? AND conversation_id = ?';

/** Deletes a session still at a version: values `(channel, conversation_id, version)`. */
export const DELETE_SESSION_AT = `${DELETE_SESSION} AND version = ?`;

/**
 * The one statement that writes a session change (see `ChangeSet.sessions`), and what its row
 * count must be: `changes` rows changed, or the write lost a race (`sessionConflict`). Without an
 * expected version the write is unconditional. A deletion expecting no session conflicts when one
 * appeared meanwhile (it deletes it, and the transaction rolls back).
 */
export function sessionWrite(
  key: ConversationKey,
  session: Session | null,
  expectedVersion: number | null | undefined,
): { sql: string; params: (string | number)[]; changes: number | null } {
  const where = [key.channel, key.conversationId];
  if (session === null) {
    if (expectedVersion === undefined) return { sql: DELETE_SESSION, params: where, changes: null };
    if (expectedVersion === null) return { sql: DELETE_SESSION, params: where, changes: 0 };
    return { sql: DELETE_SESSION_AT, params: [...where, expectedVersion], changes: 1 };
  }
  const values = [session.updatedAt, JSON.stringify(session.data)];
  if (expectedVersion === undefined)
    return { sql: UPSERT_SESSION, params: [...where, ...values], changes: null };
  if (expectedVersion === null)
    return { sql: INSERT_SESSION, params: [...where, ...values], changes: 1 };
  return { sql: UPDATE_SESSION, params: [...values, ...where, expectedVersion], changes: 1 };
}

/** CodedError `conflict` (entity `session`): another turn wrote the conversation's session first. */
export function sessionConflict(key: ConversationKey): CodedError {
  return new CodedError(
    'conflict',
    `session ${key.channel}/${key.conversationId} was changed by another turn`,
    { entity: 'session' },
  );
}

/**
 * Stores the result of an inbound message once: values `(channel, message_id, received_at,
 * result)`. Changes no row when the message has a result already ({@link alreadyHandled}).
 */
export const STORE_RESULT = `INSERT INTO inbound (channel, message_id, received_at, result) VALUES (?, ?, ?, ?)
  ON CONFLICT (channel, message_id) DO UPDATE SET result = excluded.result
  WHERE inbound.result IS NULL`;

/** Records a message as seen: values `(channel, message_id, received_at)`; one row when new. */
export const RECORD_INBOUND = `INSERT INTO inbound (channel, message_id, received_at) VALUES (?, ?, ?)
  ON CONFLICT (channel, message_id) DO NOTHING`;

/** Records a message and keeps its work: values {@link workColumns}; one row when new. */
export const RECORD_WORK = `INSERT INTO inbound (channel, message_id, received_at, work, owner, lease_until, work_key, work_order)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (channel, message_id) DO NOTHING`;

/** One conversation's kept work in its order: values `(channel, work_key, limit)`. */
export const SELECT_QUEUED_WORK = `SELECT message_id, received_at, work, work_attempts FROM inbound
  WHERE channel = ? AND work_key = ? AND work IS NOT NULL ORDER BY work_order, received_at, message_id LIMIT ?`;

/** Drops kept work: values `(channel, message_id)`. */
export const FINISH_WORK =
  'UPDATE inbound SET work = NULL, owner = NULL, lease_until = NULL WHERE channel = ? AND message_id = ?';

/** An inbound message's row: values `(channel, message_id)`. */
export const SELECT_INBOUND =
  'SELECT received_at, result FROM inbound WHERE channel = ? AND message_id = ?';

/** Forgets messages received before an instant: values `(received_at)`. */
export const PURGE_INBOUND = 'DELETE FROM inbound WHERE received_at < ?';

/** A row of {@link SELECT_SESSION}. */
export interface SessionRow {
  updated_at: string;
  data: string;
  version: number;
}

/** A row of {@link SELECT_INBOUND}. */
export interface InboundRow {
  received_at: string;
  result: string | null;
}

/** The columns of an unfinished message that a claim reads. */
export interface UnfinishedRow {
  message_id: string;
  received_at: string;
  work: string;
  work_attempts: number;
}

/** The session a row holds. */
export function fromSessionRow(key: ConversationKey, row: SessionRow): Session {
  return {
    key,
    data: JSON.parse(row.data),
    updatedAt: row.updated_at,
    version: Number(row.version),
  };
}

/** What the ledger remembers of message `channel`/`messageId`, from its row. */
export function fromInboundRow(channel: string, messageId: string, row: InboundRow): InboundRecord {
  return {
    channel,
    messageId,
    receivedAt: row.received_at,
    result: row.result === null ? null : JSON.parse(row.result),
  };
}

/** The work a claimed row holds; `attempts` counts this claim (the row holds those before it). */
export function fromUnfinishedRow(row: UnfinishedRow): UnfinishedWork {
  return {
    messageId: row.message_id,
    receivedAt: row.received_at,
    work: readJson(row.work),
    attempts: row.work_attempts + 1,
  };
}

/** The values of {@link RECORD_WORK}: the work as JSON, held by `hold.owner` for `hold.leaseMs`. */
export function workColumns(
  channel: string,
  messageId: string,
  at: Date,
  work: unknown,
  hold: WorkHold & { now: Date } & WorkQueue,
): (string | number | null)[] {
  return [
    channel,
    messageId,
    at.toISOString(),
    JSON.stringify(work ?? null),
    hold.owner,
    hold.now.getTime() + hold.leaseMs,
    hold.key ?? null,
    hold.order ?? null,
  ];
}

/** Queued work as it stands (not claimed: `attempts` counts the claims so far). */
export function fromQueuedRow(row: UnfinishedRow): UnfinishedWork {
  return { ...fromUnfinishedRow(row), attempts: row.work_attempts };
}

/** CodedError `duplicate` (entity `inbound`): the message has a result already. */
export function alreadyHandled(channel: string, messageId: string): CodedError {
  return new CodedError('duplicate', `message ${channel}/${messageId} was handled already`, {
    entity: 'inbound',
  });
}

/** Parsed JSON, or null when it cannot be read (the caller gives it up). */
export function readJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

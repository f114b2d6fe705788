import type {
  ConversationKey,
  InboundRecord,
  Session,
  UnfinishedWork,
  WorkHold,
} from '../../core/ledger';
import { CodedError } from '../../errors';

// The conversation ledger's SQL and rows, the same in SQLite and PostgreSQL: statements written
// with `?` placeholders (PostgreSQL runs them through `numbered`) and the mappers of their rows.
// Claiming unfinished work differs per engine (row locks) and stays in each store.

/** A session's row: values `(channel, conversation_id)`. */
export const SELECT_SESSION =
  'SELECT updated_at, data FROM sessions WHERE channel = ? AND conversation_id = ?';

/** Saves a session: values `(channel, conversation_id, updated_at, data)`. */
export const UPSERT_SESSION = `INSERT INTO sessions (channel, conversation_id, updated_at, data) VALUES (?, ?, ?, ?)
  ON CONFLICT (channel, conversation_id) DO UPDATE SET updated_at = excluded.updated_at, data = excluded.data`;

/** Deletes a session: values `(channel, conversation_id)`. */
export const DELETE_SESSION = 'DELETE FROM sessions WHERE channel = ? AND conversation_id = ?';

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
export const RECORD_WORK = `INSERT INTO inbound (channel, message_id, received_at, work, owner, lease_until)
  VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (channel, message_id) DO NOTHING`;

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
  return { key, data: JSON.parse(row.data), updatedAt: row.updated_at };
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
  hold: WorkHold & { now: Date },
): (string | number)[] {
  return [
    channel,
    messageId,
    at.toISOString(),
    JSON.stringify(work ?? null),
    hold.owner,
    hold.now.getTime() + hold.leaseMs,
  ];
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

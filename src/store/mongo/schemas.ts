import { type Connection, Schema } from 'mongoose';
import type {
  CaseDocument,
  EventDocument,
  KeyValueDocument,
  OutboxDocument,
  SessionDocument,
} from './documents';

// The collections of the MongoDB store, as mongoose schemas with their indexes. Every schema
// refuses fields it does not list (`strict: 'throw'`) and filters on paths it does not list
// (`strictQuery: 'throw'`); the connection also runs with `sanitizeFilter`. The indexes mirror
// the SQL stores' (migrations of src/store/sqlite and src/store/postgres).

/** How long inbound message ids are kept (the SQL stores' upkeep forgets them after as long). */
export const INBOUND_RETENTION_S = 7 * 24 * 3600;

const options = { strict: 'throw', strictQuery: 'throw', versionKey: false } as const;
const id = { type: String, required: true };
const text = { type: String, required: true };
const int = { type: Number, required: true };
const when = { type: Date, required: true };
const maybeDate = { type: Date, default: null };
const maybeText = { type: String, default: null };

export const caseSchema = new Schema<CaseDocument>(
  {
    _id: id,
    kind: text,
    status: text,
    agencyId: text,
    category: text,
    priority: text,
    identity: text,
    reporterChannel: text,
    reporterUser: text,
    createdAt: when,
    updatedAt: when,
    version: int,
    dueAt: maybeDate,
    autoCloseAt: maybeDate,
    statWeek: maybeText,
    rating: { type: Number, default: null },
    data: text,
  },
  { ...options, collection: 'cases' },
);
// The staff queue by deadline, per agency and across agencies; SLA counts.
caseSchema.index({ agencyId: 1, dueAt: 1, _id: 1, status: 1 });
caseSchema.index({ dueAt: 1, _id: 1, status: 1 });
caseSchema.index({ agencyId: 1, status: 1, createdAt: 1 });
// A citizen's own cases; lists by date; resolved cases due to close; cases without statistics.
caseSchema.index({ reporterChannel: 1, reporterUser: 1, createdAt: 1 });
caseSchema.index({ createdAt: 1 });
caseSchema.index(
  { status: 1, autoCloseAt: 1 },
  { partialFilterExpression: { autoCloseAt: { $type: 'date' } } },
);
caseSchema.index(
  { createdAt: 1 },
  { name: 'stats_missing', partialFilterExpression: { statWeek: null } },
);

export const eventSchema = new Schema<EventDocument>(
  { _id: id, trackingId: text, seq: int, at: when, data: text },
  { ...options, collection: 'case_events' },
);
eventSchema.index({ trackingId: 1, seq: 1 }, { unique: true });

export const sessionSchema = new Schema<SessionDocument>(
  { channel: text, conversationId: text, updatedAt: when, version: int, data: text },
  { ...options, collection: 'sessions' },
);
sessionSchema.index({ channel: 1, conversationId: 1 }, { unique: true });

export const outboxSchema = new Schema<OutboxDocument>(
  {
    _id: id,
    idempotencyKey: text,
    channel: text,
    recipient: text,
    orderingKey: text,
    trackingId: maybeText,
    status: {
      type: String,
      required: true,
      enum: ['pending', 'sending', 'sent', 'dead', 'undeliverable'],
    },
    attempts: int,
    progress: int,
    uncertain: int,
    retryingSince: when,
    nextAttemptAt: when,
    leaseUntil: maybeDate,
    leaseToken: maybeText,
    lastError: maybeText,
    createdAt: when,
    updatedAt: when,
    sentAt: maybeDate,
    payload: text,
  },
  { ...options, collection: 'outbox' },
);
outboxSchema.index({ idempotencyKey: 1 }, { unique: true });
// Claims: due messages of some channels, oldest first.
outboxSchema.index({ status: 1, channel: 1, nextAttemptAt: 1 });
// One recipient's messages in order: the open ones per ordering key.
outboxSchema.index(
  { channel: 1, orderingKey: 1, createdAt: 1 },
  { partialFilterExpression: { status: { $in: ['pending', 'sending'] } } },
);

export const keyValueSchema = new Schema<KeyValueDocument>(
  { _id: id, namespace: text, key: text, value: text, expiresAt: maybeDate, updatedAt: when },
  { ...options, collection: 'channel_data' },
);
// MongoDB removes an entry soon after `expiresAt`; reads check the time themselves.
keyValueSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

/** An inbound message id seen (its result as JSON), forgotten after {@link INBOUND_RETENTION_S}. */
export interface InboundDocument {
  channel: string;
  messageId: string;
  receivedAt: Date;
  result: string | null;
}

export const inboundSchema = new Schema<InboundDocument>(
  { channel: text, messageId: text, receivedAt: when, result: maybeText },
  { ...options, collection: 'inbound' },
);
inboundSchema.index({ channel: 1, messageId: 1 }, { unique: true });
inboundSchema.index({ receivedAt: 1 }, { expireAfterSeconds: INBOUND_RETENTION_S });

/**
 * The store's models on a connection, which is set to sanitize filters (a `$` key in a filter
 * value becomes a literal match) on top of the schemas' strict checks.
 *
 * @example
 * const connection = mongoose.createConnection(url);
 * const models = storeModels(connection);
 * await models.Case.findById(filterString(id, 'tracking id'));
 */
export function storeModels(connection: Connection) {
  connection.set('sanitizeFilter', true);
  return {
    Case: connection.model<CaseDocument>('Case', caseSchema),
    Event: connection.model<EventDocument>('Event', eventSchema),
    Session: connection.model<SessionDocument>('Session', sessionSchema),
    Outbox: connection.model<OutboxDocument>('Outbox', outboxSchema),
    KeyValue: connection.model<KeyValueDocument>('KeyValue', keyValueSchema),
    Inbound: connection.model<InboundDocument>('Inbound', inboundSchema),
  };
}

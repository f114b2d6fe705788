import { agencyDeadline } from '../../cases/queries';
import type { Case, CaseEvent } from '../../cases/types';
import type { Session } from '../../core/ledger';
import type { OutboxMessage, OutboxStatus } from '../../outbox/port';

// The MongoDB documents of the store's entities and their mapping to and from the domain. As in
// the SQL stores, an entity is kept whole as JSON text (`data`) beside the fields its queries
// filter and sort on: no key of citizen-supplied data ever becomes a document key, and a read
// gives back exactly what was written. Instants that are compared or expire are BSON dates.

/** A case: the read model's fields, the statistics' inputs, the case as JSON. */
export interface CaseDocument {
  _id: string;
  kind: string;
  status: string;
  agencyId: string;
  category: string;
  priority: string;
  identity: string;
  reporterChannel: string;
  reporterUser: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
  /** The agency deadline running now (see `agencyDeadline`), for SLA filters and the queue. */
  dueAt: Date | null;
  autoCloseAt: Date | null;
  /** The statistics' week, or null for a case written before statistics were kept. */
  statWeek: string | null;
  rating: number | null;
  data: string;
}

const date = (iso: string | undefined | null): Date | null => (iso ? new Date(iso) : null);

/**
 * The document of a case.
 *
 * @example
 * await cases.insertOne(caseDocument(c), { session });
 */
export function caseDocument(c: Case): CaseDocument {
  return {
    _id: c.trackingId,
    kind: c.kind,
    status: c.status,
    agencyId: c.agencyId,
    category: c.category,
    priority: c.priority,
    identity: c.identity,
    reporterChannel: c.reporter.channel,
    reporterUser: c.reporter.channelUserId,
    createdAt: new Date(c.createdAt),
    updatedAt: new Date(c.updatedAt),
    version: c.version,
    dueAt: date(agencyDeadline(c)),
    autoCloseAt: date(c.deadlines.autoCloseAt),
    statWeek: c.stats?.week ?? null,
    rating: c.rating ?? null,
    data: JSON.stringify(c),
  };
}

/** The case a document holds (its JSON), checked against the document's id. */
export function caseFromDocument(d: Pick<CaseDocument, '_id' | 'data'>): Case {
  const c = JSON.parse(d.data) as Case;
  if (c.trackingId !== d._id) {
    throw new Error(`case document ${d._id} holds case ${String(c.trackingId)}`);
  }
  return c;
}

/** One event of a case's history; `_id` is `<tracking id>#<seq>` (unique: one event per seq). */
export interface EventDocument {
  _id: string;
  trackingId: string;
  seq: number;
  at: Date;
  data: string;
}

export function eventDocument(e: CaseEvent): EventDocument {
  return {
    _id: `${e.trackingId}#${e.seq}`,
    trackingId: e.trackingId,
    seq: e.seq,
    at: new Date(e.at),
    data: JSON.stringify(e),
  };
}

export function eventFromDocument(d: Pick<EventDocument, 'data'>): CaseEvent {
  return JSON.parse(d.data) as CaseEvent;
}

/** A dialog session, unique per channel and conversation. */
export interface SessionDocument {
  channel: string;
  conversationId: string;
  updatedAt: Date;
  version: number;
  data: string;
}

export function sessionDocument(s: Session, version: number): SessionDocument {
  return {
    channel: s.key.channel,
    conversationId: s.key.conversationId,
    updatedAt: new Date(s.updatedAt),
    version,
    data: JSON.stringify(s.data),
  };
}

export function sessionFromDocument(d: SessionDocument): Session {
  return {
    key: { channel: d.channel, conversationId: d.conversationId },
    data: JSON.parse(d.data) as Record<string, unknown>,
    updatedAt: d.updatedAt.toISOString(),
    version: d.version,
  };
}

/** An outbox message: every field its claims, settles and lists read, and the payload as JSON. */
export interface OutboxDocument {
  _id: string;
  idempotencyKey: string;
  channel: string;
  recipient: string;
  orderingKey: string;
  trackingId: string | null;
  status: OutboxStatus;
  attempts: number;
  progress: number;
  uncertain: number;
  retryingSince: Date;
  nextAttemptAt: Date;
  leaseUntil: Date | null;
  leaseToken: string | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
  payload: string;
}

export function outboxDocument(m: OutboxMessage): OutboxDocument {
  return {
    _id: m.id,
    idempotencyKey: m.idempotencyKey,
    channel: m.channel,
    recipient: m.recipient,
    orderingKey: m.orderingKey,
    trackingId: m.trackingId ?? null,
    status: m.status,
    attempts: m.attempts,
    progress: m.progress,
    uncertain: m.uncertain,
    retryingSince: new Date(m.retryingSince),
    nextAttemptAt: new Date(m.nextAttemptAt),
    leaseUntil: date(m.leaseUntil),
    leaseToken: m.leaseToken ?? null,
    lastError: m.lastError ?? null,
    createdAt: new Date(m.createdAt),
    updatedAt: new Date(m.updatedAt),
    sentAt: date(m.sentAt),
    payload: JSON.stringify(m.payload),
  };
}

export function outboxFromDocument(d: OutboxDocument): OutboxMessage {
  return {
    id: d._id,
    idempotencyKey: d.idempotencyKey,
    channel: d.channel,
    recipient: d.recipient,
    orderingKey: d.orderingKey,
    ...(d.trackingId !== null ? { trackingId: d.trackingId } : {}),
    payload: JSON.parse(d.payload) as OutboxMessage['payload'],
    status: d.status,
    attempts: d.attempts,
    progress: d.progress,
    uncertain: d.uncertain,
    retryingSince: d.retryingSince.toISOString(),
    nextAttemptAt: d.nextAttemptAt.toISOString(),
    ...(d.leaseUntil ? { leaseUntil: d.leaseUntil.toISOString() } : {}),
    ...(d.leaseToken !== null ? { leaseToken: d.leaseToken } : {}),
    ...(d.lastError !== null ? { lastError: d.lastError } : {}),
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    ...(d.sentAt ? { sentAt: d.sentAt.toISOString() } : {}),
  };
}

/**
 * One entry of an adapter's key-value space; `expiresAt` drives a TTL index (MongoDB removes it
 * within a minute or so of expiring; reads check the time themselves, as the SQL stores do).
 */
export interface KeyValueDocument {
  _id: string;
  namespace: string;
  key: string;
  value: string;
  expiresAt: Date | null;
  updatedAt: Date;
}

export function keyValueDocument(
  namespace: string,
  key: string,
  value: unknown,
  now: Date,
  expiresAt?: Date,
): KeyValueDocument {
  return {
    _id: `${namespace}\u0000${key}`,
    namespace,
    key,
    value: JSON.stringify(value),
    expiresAt: expiresAt ?? null,
    updatedAt: now,
  };
}

/** The value of an entry, or null when it has expired at `now`. */
export function keyValueFromDocument(d: KeyValueDocument, now: Date): unknown {
  if (d.expiresAt && d.expiresAt.getTime() <= now.getTime()) return null;
  return JSON.parse(d.value) as unknown;
}

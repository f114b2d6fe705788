import type { Case, CaseEvent } from '../cases/types';
import type { ConversationKey, Session } from '../core/ledger';
import type { NewOutboxMessage, OutboxMessage } from '../outbox/port';

/**
 * Everything one turn or one case action changes, written atomically by
 * {@link import('./backend').Backend.commit}: cases, their events, the messages they cause, the
 * dialog session and the inbound message's result.
 */
export interface ChangeSet {
  /** New cases (`expectedVersion: null`) or updates guarded by the version read before the change. */
  cases?: { case: Case; expectedVersion: number | null }[];
  events?: CaseEvent[];
  outbox?: NewOutboxMessage[];
  /**
   * Dialog sessions to save (`session`) or delete (`null`). With `expectedVersion` (the version
   * read, `null` when there was none) the write is guarded: a session changed since, or created
   * meanwhile, fails the commit with `conflict` (entity `session`) and nothing is written.
   */
  sessions?: { key: ConversationKey; session: Session | null; expectedVersion?: number | null }[];
  /**
   * The result of handling an inbound message (recorded as seen if it was not already). Written
   * once: when the message has a result already (another delivery of it was handled first), the
   * commit fails with `duplicate` (entity `inbound`) and writes nothing.
   */
  inbound?: { channel: string; messageId: string; at: Date; result: unknown };
  /**
   * Lease the new outbox messages of these channels to the caller's dispatcher in the same
   * transaction (saving it a claim), where their order allows; `took` gets them once the commit
   * is durable, with how many new messages of those channels it could not lease (they wait for
   * a claim as usual).
   */
  lease?: OutboxLeaseRequest;
  /** Kept inbound work to finish (see `ConversationLedger.recordWork`): the message is done. */
  finishWork?: { channel: string; messageId: string }[];
  /** Weekly statistics counters to add one to (e.g. `questions_answered`, week `2026-11-23`). */
  tallies?: { name: string; week: string }[];
  /** When set, these timestamps are used for the writes instead of the store's own clock. */
  now?: Date;
}

/** A dispatcher's request to lease the messages a change set queues (see `ChangeSet.lease`). */
export interface OutboxLeaseRequest {
  channels: readonly string[];
  leaseMs: number;
  took(leased: OutboxMessage[], left: number): void;
}

/** A conversation on a channel: where dialog state and replies belong. */
export interface ConversationKey {
  channel: string;
  conversationId: string;
}

/** Dialog state for one conversation. `data` is owned by the bot core. */
export interface Session {
  key: ConversationKey;
  data: Record<string, unknown>;
  updatedAt: string;
  /**
   * How many times it was written (1 after the first write), as read: a change set that saves
   * the session expecting this version fails with `conflict` (entity `session`) when another
   * writer changed it in between. Ignored when writing.
   */
  version?: number;
}

/** What the ledger remembers of one inbound message. */
export interface InboundRecord {
  channel: string;
  messageId: string;
  receivedAt: string;
  /** The result of handling it (stored by a change set's `inbound`), or null. */
  result: unknown;
}

/** Work accepted and not finished, handed to the instance that claimed it. */
export interface UnfinishedWork {
  messageId: string;
  receivedAt: string;
  /** The kept raw message; `null` when it cannot be read back (the caller gives it up). */
  work: unknown;
  /** Claims so far, this one included: a message that keeps killing its process can be given up. */
  attempts: number;
}

/**
 * Who holds accepted work, and until when. Work whose holder is alive stays with it; a claim
 * takes work that nobody holds, work whose lease expired, and the claimer's own work (its earlier
 * run died: an instance id survives restarts).
 */
export interface WorkHold {
  /** The instance id (stable across restarts of one instance). */
  owner: string;
  leaseMs: number;
}

/**
 * Where kept work queues: its conversation (`key`) and its place there (`order`, e.g. Telegram's
 * update id), so whoever holds a conversation's turn runs its messages one by one, in order,
 * whichever instance accepted them ({@link ConversationLedger.queuedWork}).
 */
export interface WorkQueue {
  key?: string;
  order?: number;
}

/**
 * The conversation ledger: dialog sessions, the inbound idempotency ledger (with each message's
 * result, so a redelivered message is answered the same), and accepted-but-unfinished work for
 * crash recovery, held with an owner and a lease so several instances do not run one update twice.
 *
 * @example
 * if (await ledger.recordWork('telegram', '42', now, update, { owner, leaseMs: 300_000 })) queue(update);
 * // … handled:
 * await ledger.finish('telegram', '42');
 */
export interface ConversationLedger {
  getSession(key: ConversationKey): Promise<Session | null>;
  /**
   * Records that an inbound message arrived. Returns `false` when it was seen before, so a
   * redelivered message has no second effect.
   */
  record(channel: string, messageId: string, at: Date): Promise<boolean>;
  /**
   * Like `record`, and keeps `work` (the raw message) with the record, held by `hold.owner` for
   * `hold.leaseMs`, until `finish`: work accepted but not finished when its process died is
   * claimed again by {@link claimUnfinished}.
   */
  recordWork(
    channel: string,
    messageId: string,
    at: Date,
    work: unknown,
    hold: WorkHold & { now: Date } & WorkQueue,
  ): Promise<boolean>;
  /**
   * Up to `limit` unfinished messages kept with `queue` key `key` (see {@link WorkQueue}), in
   * their order, without claiming them: for the one holder of that conversation's turn.
   * `attempts` counts the claims so far.
   */
  queuedWork(channel: string, key: string, limit: number): Promise<UnfinishedWork[]>;
  /** Drops the kept work of an inbound message: it was handled. */
  finish(channel: string, messageId: string): Promise<void>;
  /**
   * Takes up to `limit` unfinished messages of a channel, oldest first: those nobody holds, those
   * whose lease expired at `now`, and `owner`'s own (not with `ownToo: false`: a periodic sweep
   * for work of instances that died, while this one still works on its own). Each is then held
   * by `owner` for `leaseMs` and counted as one more attempt.
   */
  claimUnfinished(
    channel: string,
    options: WorkHold & { now: Date; limit: number; ownToo?: boolean },
  ): Promise<UnfinishedWork[]>;
  /** The inbound record with the result stored by a commit, if any. */
  get(channel: string, messageId: string): Promise<InboundRecord | null>;
  /** Forgets inbound ids received before `before`. Returns how many were removed. */
  purge(before: Date): Promise<number>;
}

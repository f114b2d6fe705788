import type { ConversationLedger, UnfinishedWork } from '../../src/core/ledger';
import type { Logger } from '../../src/logger';
import type { KeyLocks } from '../../src/store/key-lock';

/** Kept messages of one user read at a time. */
const QUEUE_BATCH = 20;

export interface UserQueuesDeps {
  ledger: Pick<ConversationLedger, 'queuedWork'>;
  logger: Logger;
  /** The ledger channel the work is kept under. */
  channel: string;
  /** Handles one kept message and finishes it (a failure must finish it too, or leave it to resume). */
  runKept(work: UnfinishedWork): Promise<void>;
  /** Several instances on one store: a user's queue runs under the user's lock. */
  turnLocks?: KeyLocks;
}

/**
 * Runs each user's kept messages (the ledger's work, queued by user in the user's order) one at a
 * time: in memory, one chain per user on this instance; with `turnLocks`, also under the user's
 * lock, so that of several instances only one runs a user's messages at a time, in order.
 *
 * @example
 * const queues = new UserQueues({ ledger, logger, channel: 'whatsapp-message', runKept });
 * queues.run('6281234567890'); // runs what is kept for that user, in order, in the background
 */
export class UserQueues {
  private readonly chains = new Map<string, Promise<void>>();
  /** Users whose queue a run is scheduled for on this instance and not started yet. */
  private readonly queued = new Set<string>();
  private readonly retries = new Map<string, NodeJS.Timeout>();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly deps: UserQueuesDeps) {}

  /** Schedules a run of the user's queue on this instance (one at a time per user). */
  run(user: string): void {
    if (this.queued.has(user)) return;
    this.queued.add(user);
    this.schedule(user, async () => {
      this.queued.delete(user);
      await this.runHeld(user);
    });
  }

  /** Waits for every run in progress, and drops the runs planned for later (at shutdown). */
  async drain(): Promise<void> {
    for (const timer of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
    await this.settled();
  }

  /** Waits for every run in progress. */
  async settled(): Promise<void> {
    for (let round = 0; round < 100 && this.pending.size > 0; round++) {
      await Promise.allSettled([...this.pending]);
    }
  }

  /**
   * Runs the user's kept messages in order until none is left: under the user's turn lock when
   * there are locks (a lock held elsewhere: looked at again once it would have run out; the
   * holder looks again after releasing it, so nothing kept meanwhile is stranded).
   */
  private async runHeld(user: string): Promise<void> {
    const { ledger, channel, turnLocks: locks } = this.deps;
    for (let round = 0; round < 100; round++) {
      const lock = locks ? await locks.take(`turn:${user}`) : null;
      if (locks && !lock) {
        this.retryLater(user, locks.leaseMs);
        return;
      }
      try {
        for (let full = true; full; ) {
          const batch = await ledger.queuedWork(channel, user, QUEUE_BATCH);
          full = batch.length === QUEUE_BATCH;
          for (const work of batch) {
            await this.deps.runKept(work);
            if (lock && !(await lock.renew())) return;
          }
        }
      } finally {
        await lock?.release();
      }
      if (!locks || (await ledger.queuedWork(channel, user, 1)).length === 0) return;
    }
  }

  private retryLater(user: string, afterMs: number): void {
    if (this.retries.has(user)) return;
    const timer = setTimeout(() => {
      this.retries.delete(user);
      this.run(user);
    }, afterMs + 100);
    timer.unref();
    this.retries.set(user, timer);
  }

  private schedule(user: string, task: () => Promise<void>): void {
    const previous = this.chains.get(user) ?? Promise.resolve();
    const next = previous.then(task).catch((err: unknown) => {
      this.deps.logger.error({ err }, 'whatsapp message failed');
    });
    this.chains.set(user, next);
    this.pending.add(next);
    void next.finally(() => {
      this.pending.delete(next);
      if (this.chains.get(user) === next) this.chains.delete(user);
    });
  }
}

import type { Logger } from '../logger';
import type { OutboxMessage, OutboxOutcome, Store } from '../store/port';
import { type BackoffPolicy, DEFAULT_BACKOFF, retryDelayMs } from './backoff';
import type { OutboxSender, SendResult } from './sender';

export interface DispatcherOptions {
  store: Store;
  clock: () => Date;
  logger: Logger;
  /** Uniform random in [0, 1) for jitter. */
  random?: () => number;
  backoff?: BackoffPolicy;
  /** Messages delivered per round at most. */
  batchSize?: number;
  /** Time limit of one send; a send that takes longer counts as a temporary failure. */
  sendTimeoutMs?: number;
  /** Pause between rounds when the outbox had nothing due. */
  pollIntervalMs?: number;
}

/** What one round did. */
export interface DispatchReport {
  sent: number;
  retried: number;
  dead: number;
  undeliverable: number;
  /** Results not recorded because the lease had expired and another dispatcher took over. */
  lostLeases: number;
}

/**
 * Delivers outbox messages through the sender registered for each channel: leases due messages,
 * sends them, and records the outcome — retry with exponential backoff and jitter (or the
 * channel's retry-after), dead-letter after `maxAttempts`, or undeliverable on a permanent failure.
 * Delivery is at-least-once: a crash between a send and its record sends that message again once
 * the lease expires; senders that can should pass the idempotency key to the channel.
 *
 * @example
 * const dispatcher = new OutboxDispatcher({ store, clock: () => new Date(), logger });
 * dispatcher.register('telegram', telegramSender);
 * dispatcher.start();
 * // on shutdown
 * await dispatcher.stop();
 */
export class OutboxDispatcher {
  private readonly senders = new Map<string, OutboxSender>();
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;
  private readonly batchSize: number;
  private readonly sendTimeoutMs: number;
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;
  /** Set by stop(): the round in flight ends after its current message. */
  private stopping = false;

  constructor(private readonly options: DispatcherOptions) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
    this.batchSize = options.batchSize ?? 20;
    this.sendTimeoutMs = options.sendTimeoutMs ?? 15_000;
    // Each message is leased just before its own send, for longer than the send may take.
    this.leaseMs = this.sendTimeoutMs + 30_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
  }

  /** Routes messages of `channel` to `sender`. Messages of channels with no sender wait. */
  register(channel: string, sender: OutboxSender): this {
    this.senders.set(channel, sender);
    return this;
  }

  channels(): string[] {
    return [...this.senders.keys()];
  }

  /**
   * Delivers up to `batchSize` due messages, leasing each one just before sending it, so a lease
   * never runs out while the message waits its turn. Stops early when `stop()` was called.
   */
  async runOnce(): Promise<DispatchReport> {
    const report: DispatchReport = {
      sent: 0,
      retried: 0,
      dead: 0,
      undeliverable: 0,
      lostLeases: 0,
    };
    for (let i = 0; i < this.batchSize && !this.stopping; i++) {
      const [message] = await this.options.store.claimOutbox({
        channels: this.channels(),
        now: this.options.clock(),
        limit: 1,
        leaseMs: this.leaseMs,
      });
      if (!message?.leaseToken) break;
      const outcome = await this.deliver(message);
      const recorded = await this.options.store.settleOutbox(
        { id: message.id, leaseToken: message.leaseToken },
        outcome,
      );
      if (!recorded) {
        report.lostLeases++;
        this.options.logger.warn(
          { outboxId: message.id },
          'outbox lease lost before the result was recorded',
        );
      } else if (outcome.status === 'sent') report.sent++;
      else if (outcome.status === 'retry') report.retried++;
      else report[outcome.status]++;
    }
    return report;
  }

  private async deliver(message: OutboxMessage): Promise<OutboxOutcome> {
    const { logger, clock } = this.options;
    const sender = this.senders.get(message.channel);
    let result: SendResult;
    if (!sender) {
      result = { status: 'retry', error: `no sender for channel ${message.channel}` };
    } else {
      try {
        result = await withTimeout(sender.send(message), this.sendTimeoutMs);
      } catch (err) {
        result = { status: 'retry', error: err instanceof Error ? err.message : String(err) };
      }
    }
    const at = clock();
    const log = { outboxId: message.id, channel: message.channel, attempts: message.attempts };
    if (result.status === 'sent') return { status: 'sent', at };
    if (result.status === 'undeliverable') {
      logger.warn({ ...log, error: result.error }, 'outbox message undeliverable');
      return { status: 'undeliverable', at, error: result.error };
    }
    if (message.attempts >= this.backoff.maxAttempts) {
      logger.error({ ...log, error: result.error }, 'outbox message dead-lettered');
      return { status: 'dead', at, error: result.error };
    }
    const delay = retryDelayMs(this.backoff, message.attempts, this.random, result.retryAfterMs);
    logger.info(
      { ...log, error: result.error, retryInMs: delay },
      'outbox delivery will be retried',
    );
    return {
      status: 'retry',
      at,
      nextAttemptAt: new Date(at.getTime() + delay),
      error: result.error,
    };
  }

  /** Runs rounds until `stop()`: right away while there is work, else every `pollIntervalMs`. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopping = false;
    this.schedule(0);
  }

  /** Asks for a round soon (e.g. right after a commit that queued messages). */
  wake(): void {
    if (!this.stopped && !this.running) this.schedule(0);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const round = this.runOnce().then(
        (r) => r.sent + r.retried + r.dead + r.undeliverable + r.lostLeases > 0,
        (err: unknown) => {
          this.options.logger.error({ err }, 'outbox round failed');
          return false;
        },
      );
      this.running = round;
      void round.then((busy) => {
        this.running = undefined;
        if (!this.stopped) this.schedule(busy ? 0 : this.pollIntervalMs);
      });
    }, delayMs);
    this.timer.unref?.();
  }

  /**
   * Stops scheduling rounds and waits for the message being sent (at most `sendTimeoutMs`);
   * messages not yet leased stay in the outbox for the next start.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`send timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

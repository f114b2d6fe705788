import type { Logger } from '../logger';
import type { OutboxLeaseRequest } from '../store/change-set';
import { type BackoffPolicy, DEFAULT_BACKOFF, retryDelayMs } from './backoff';
import type { OutboxMessage, OutboxOutcome, OutboxStore } from './port';
import type { OutboxSender, SendResult } from './sender';

export interface DispatcherOptions {
  outbox: OutboxStore;
  clock: () => Date;
  logger: Logger;
  /** Uniform random in [0, 1) for jitter. */
  random?: () => number;
  backoff?: BackoffPolicy;
  /** Messages delivered by one `runOnce` at most. Default 20. */
  batchSize?: number;
  /**
   * Time limit of one send: the sender's signal aborts then, and the attempt counts as a
   * temporary failure whose outcome is unknown. Default 15 s.
   */
  sendTimeoutMs?: number;
  /** How long a sender may take to stop after its signal aborted. Default 5 s. */
  abortGraceMs?: number;
  /**
   * How much longer than the longest send a lease lasts (clock skew between instances, a slow
   * store). Default 30 s.
   */
  leaseMarginMs?: number;
  /** Pause between looks at the outbox when nothing woke the dispatcher. Default 1 s. */
  pollIntervalMs?: number;
  /**
   * Time budget of a message: retried (after failures or a channel's retry-after) until this
   * long after it was queued (or resent by an operator), then dead-lettered. Default 24 hours.
   */
  giveUpAfterMs?: number;
  /** Sends in flight at most, all channels together. Default 64. */
  maxInFlight?: number;
  /** Sends in flight at most per channel, so a hung channel leaves room for the others. Default 32. */
  maxInFlightPerChannel?: number;
  /**
   * Attempts with an unknown outcome (timed out, cut off, or abandoned by a dead process) after
   * which a message is not sent again but dead-lettered for an operator. Default 3.
   *
   * The choice: a channel without idempotency keys (Telegram, Slack's chat.postMessage) cannot
   * say whether a cut-off call arrived. Never resending would lose the message — maybe the
   * citizen's tracking id — whenever a connection drops after the request went out; resending
   * without bound could flood a chat. So an uncertain attempt is retried (with backoff, never
   * while the first call is still open) at most 3 times: in the rare case that every cut-off
   * call did arrive, the recipient sees the message up to 4 times.
   */
  maxUncertain?: number;
}

/** What one `runOnce` did. */
export interface DispatchReport {
  sent: number;
  retried: number;
  dead: number;
  undeliverable: number;
  /** Results not recorded because the lease had expired and another dispatcher took over. */
  lostLeases: number;
}

/** Margin between the longest a send may take and the end of its lease (clock skew, a slow store). */
const LEASE_MARGIN_MS = 30_000;

/**
 * Delivers outbox messages through the sender registered for each channel: leases due messages,
 * sends them, and records the outcome — retry with exponential backoff and jitter (or the
 * channel's retry-after, which is not a failure), dead-letter once the time budget is spent, or
 * undeliverable on a permanent failure.
 *
 * Sends run concurrently (`maxInFlight`, and `maxInFlightPerChannel` so one hung channel never
 * holds up the others); one recipient's messages go one at a time, in order (the store hands out
 * a message only when the earlier ones of its ordering key are done). Every send is aborted after
 * `sendTimeoutMs`, well before its lease ends, so no other dispatcher sends the same message
 * while a call is still open.
 *
 * Delivery is at-least-once with a bound: an attempt whose outcome is unknown (aborted mid-call,
 * or leased by a process that died) may have reached the channel; such a message is sent again
 * at most `maxUncertain` times in all, then dead-lettered for an operator. Senders that can pass
 * the idempotency key to their channel should.
 *
 * @example
 * const dispatcher = new OutboxDispatcher({ outbox: backend.outbox, clock: () => new Date(), logger });
 * dispatcher.register('telegram', telegramSender);
 * dispatcher.start();
 * // after a commit that queued messages
 * dispatcher.wake();
 * // on shutdown
 * await dispatcher.stop();
 */
export class OutboxDispatcher {
  private readonly senders = new Map<string, OutboxSender>();
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;
  private readonly batchSize: number;
  private readonly sendTimeoutMs: number;
  private readonly abortGraceMs: number;
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  private readonly giveUpAfterMs: number;
  private readonly maxInFlight: number;
  private readonly maxPerChannel: number;
  private readonly maxUncertain: number;
  /** Sends in flight, by outbox id, with their channel. */
  private readonly inFlight = new Map<string, { channel: string; done: Promise<void> }>();
  /**
   * Channels with messages queued but not leased (a commit found no free slot, or an earlier
   * message of a recipient was still open): until a claim has taken them, new messages of the
   * channel wait their turn in the outbox too, instead of overtaking them from their commit.
   */
  private readonly backlog = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private filling: Promise<void> | undefined;
  /** Channels woken since the last look (`wakeAll`: every channel). */
  private readonly woken = new Set<string>();
  private wakeAll = false;
  private stopped = true;
  /** Set by stop(): no new message is leased. */
  private stopping = false;

  constructor(private readonly options: DispatcherOptions) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
    this.batchSize = options.batchSize ?? 20;
    this.sendTimeoutMs = options.sendTimeoutMs ?? 15_000;
    this.abortGraceMs = options.abortGraceMs ?? 5_000;
    // A lease outlasts the longest a send can take (timeout, then the grace to stop).
    this.leaseMs =
      this.sendTimeoutMs + this.abortGraceMs + (options.leaseMarginMs ?? LEASE_MARGIN_MS);
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.giveUpAfterMs = options.giveUpAfterMs ?? 24 * 3600_000;
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 64);
    this.maxPerChannel = Math.max(1, options.maxInFlightPerChannel ?? 32);
    this.maxUncertain = options.maxUncertain ?? 3;
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
   * A request to lease the messages a change set queues for `channel` in its own commit (see
   * `ChangeSet.lease`), when this dispatcher delivers that channel and has a free slot: they are
   * then sent at once, without a claim. Undefined otherwise (they wait for a claim).
   */
  leaseFor(channel: string): OutboxLeaseRequest | undefined {
    if (this.stopped || this.stopping || !this.senders.has(channel)) return undefined;
    if (this.backlog.has(channel) || this.freeSlots(channel) <= 0) {
      // Queued: claimed in order once a slot is free (the committer wakes us).
      this.backlog.add(channel);
      return undefined;
    }
    return {
      channels: [channel],
      leaseMs: this.leaseMs,
      took: (leased, left) => {
        for (const message of leased) this.send(message);
        // What could not be leased (an earlier message of its recipient is still open) is
        // claimed when its turn comes.
        if (left > 0) {
          this.backlog.add(channel);
          this.wake(channel);
        }
      },
    };
  }

  /** Sends that may start now on `channel` (both limits). */
  private freeSlots(channel: string): number {
    return Math.min(
      this.maxInFlight - this.inFlight.size,
      this.maxPerChannel - [...this.inFlight.values()].filter((f) => f.channel === channel).length,
    );
  }

  /** True when a sender is registered for `channel`. */
  delivers(channel: string): boolean {
    return this.senders.has(channel);
  }

  /**
   * Delivers due messages until none is left or `batchSize` were taken, as many at once as the
   * limits allow, and waits for them. Stops leasing when `stop()` was called. (Tests and tools;
   * `start()` runs the same deliveries continuously.)
   */
  async runOnce(): Promise<DispatchReport> {
    const report: DispatchReport = {
      sent: 0,
      retried: 0,
      dead: 0,
      undeliverable: 0,
      lostLeases: 0,
    };
    let taken = 0;
    while (taken < this.batchSize && !this.stopping) {
      const started = await this.lease(this.batchSize - taken, report);
      if (started.length === 0) break;
      taken += started.length;
      await Promise.all(started);
    }
    await Promise.all([...this.inFlight.values()].map((f) => f.done));
    return report;
  }

  /**
   * Leases due messages for the free slots (at most `limit`) and starts their sends; returns
   * the sends started.
   */
  private async lease(
    limit: number,
    report?: DispatchReport,
    channels: Iterable<string> = this.channels(),
  ): Promise<Promise<void>[]> {
    const started: Promise<void>[] = [];
    for (const channel of channels) {
      if (!this.senders.has(channel)) continue;
      const free = Math.min(limit - started.length, this.freeSlots(channel));
      if (free <= 0 || this.stopping) continue;
      // Cleared before the look, so a commit refused meanwhile marks it again.
      this.backlog.delete(channel);
      const messages = await this.options.outbox.claim({
        channels: [channel],
        now: this.options.clock(),
        limit: free,
        leaseMs: this.leaseMs,
      });
      // As many as asked for: there may be more.
      if (messages.length >= free) this.backlog.add(channel);
      for (const message of messages) {
        if (message.leaseToken) started.push(this.send(message, report));
      }
    }
    return started;
  }

  /** Sends a leased message, counted in flight until its outcome is recorded. */
  private send(message: OutboxMessage, report?: DispatchReport): Promise<void> {
    const channel = message.channel;
    const done = this.deliver(message, report).finally(() => {
      this.inFlight.delete(message.id);
      // A slot is free: messages waiting for one (or for this recipient's message to end)
      // are claimed now.
      if (this.backlog.has(channel)) this.wake(channel);
    });
    this.inFlight.set(message.id, { channel: message.channel, done });
    return done;
  }

  /** Sends one leased message and records the outcome. Never throws. */
  private async deliver(message: OutboxMessage, report?: DispatchReport): Promise<void> {
    const { logger, outbox } = this.options;
    try {
      const outcome =
        message.uncertain > this.maxUncertain
          ? this.giveUp(message, 'delivery uncertain: the sender was cut off mid-send')
          : this.outcomeOf(message, await this.attempt(message));
      const recorded = await outbox.settle(
        { id: message.id, leaseToken: message.leaseToken as string },
        outcome,
      );
      if (!report) return;
      if (!recorded) report.lostLeases++;
      else if (outcome.status === 'retry') report.retried++;
      else report[outcome.status]++;
      if (!recorded) {
        logger.warn({ outboxId: message.id }, 'outbox lease lost before the result was recorded');
      }
    } catch (err) {
      // The store failed: the lease expires and the message is taken again (uncertain once).
      logger.error({ err, outboxId: message.id }, 'outbox result not recorded');
    }
  }

  /** One send, aborted after `sendTimeoutMs`; a sender that ignores the abort is left behind. */
  private async attempt(message: OutboxMessage): Promise<SendResult> {
    const sender = this.senders.get(message.channel);
    if (!sender) return { status: 'retry', error: `no sender for channel ${message.channel}` };
    const controller = new AbortController();
    const abort = setTimeout(
      () => controller.abort(new Error(`send timed out after ${this.sendTimeoutMs} ms`)),
      this.sendTimeoutMs,
    );
    let hang: NodeJS.Timeout | undefined;
    const abandoned = new Promise<SendResult>((resolve) => {
      hang = setTimeout(() => {
        this.options.logger.error(
          { outboxId: message.id, channel: message.channel },
          'outbox sender did not stop after its send was aborted',
        );
        resolve({ status: 'retry', error: 'send did not stop after abort', uncertain: true });
      }, this.sendTimeoutMs + this.abortGraceMs);
    });
    const sending = Promise.resolve()
      .then(() => sender.send(message, { signal: controller.signal }))
      .catch((err: unknown): SendResult => {
        const error = err instanceof Error ? err.message : String(err);
        // Cut off by our own abort: the request may have reached the channel.
        return controller.signal.aborted
          ? {
              status: 'retry',
              error: `send timed out after ${this.sendTimeoutMs} ms`,
              uncertain: true,
            }
          : { status: 'retry', error };
      });
    try {
      return await Promise.race([sending, abandoned]);
    } finally {
      clearTimeout(abort);
      clearTimeout(hang);
    }
  }

  private outcomeOf(message: OutboxMessage, result: SendResult): OutboxOutcome {
    const { logger, clock } = this.options;
    const at = clock();
    const log = { outboxId: message.id, channel: message.channel, attempts: message.attempts };
    if (result.status === 'sent') return { status: 'sent', at };
    const progress = result.progress !== undefined ? { progress: result.progress } : {};
    if (result.status === 'undeliverable') {
      logger.warn({ ...log, error: result.error }, 'outbox message undeliverable');
      return { status: 'undeliverable', at, error: result.error, ...progress };
    }
    if (result.uncertain && message.uncertain + 1 > this.maxUncertain) {
      return { ...this.giveUp(message, `delivery uncertain: ${result.error}`), ...progress };
    }
    const since = new Date(message.retryingSince).getTime();
    const delay = retryDelayMs(this.backoff, message.attempts, this.random, result.retryAfterMs);
    if (at.getTime() + delay - since > this.giveUpAfterMs) {
      return { ...this.giveUp(message, result.error), ...progress };
    }
    logger.info(
      { ...log, error: result.error, retryInMs: delay, uncertain: result.uncertain === true },
      'outbox delivery will be retried',
    );
    return {
      status: 'retry',
      at,
      nextAttemptAt: new Date(at.getTime() + delay),
      error: result.error,
      ...progress,
      ...(result.uncertain ? { uncertain: true } : {}),
    };
  }

  private giveUp(message: OutboxMessage, error: string): OutboxOutcome {
    this.options.logger.error(
      { outboxId: message.id, channel: message.channel, attempts: message.attempts, error },
      'outbox message dead-lettered (resend with `suara outbox retry`)',
    );
    return { status: 'dead', at: this.options.clock(), error };
  }

  /** Delivers continuously until `stop()`: when woken, when a send ends, and every `pollIntervalMs`. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopping = false;
    const tick = () => {
      this.wake();
      this.timer = setTimeout(tick, this.pollIntervalMs);
      this.timer.unref?.();
    };
    tick();
  }

  /**
   * Looks for due messages now (e.g. right after a commit that queued some): of `channel` only
   * when given (the others wait for their own wake or the next poll), else of every channel.
   */
  wake(channel?: string): void {
    if (this.stopped) return;
    if (channel === undefined) this.wakeAll = true;
    else this.woken.add(channel);
    this.fill();
  }

  /** Leases for the woken channels until none is left woken; one such loop at a time. */
  private fill(): void {
    if (this.filling || this.stopped) return;
    const loop = async () => {
      await null; // run after `filling` is set
      try {
        while ((this.wakeAll || this.woken.size > 0) && !this.stopping) {
          const channels = this.wakeAll ? this.channels() : [...this.woken];
          this.wakeAll = false;
          this.woken.clear();
          await this.lease(Number.POSITIVE_INFINITY, undefined, channels);
        }
      } catch (err) {
        this.options.logger.error({ err }, 'outbox: could not lease messages'); // the next poll tries again
      } finally {
        // In the same step as the loop's last look: a wake after it starts a new loop, none
        // is left waiting for the poll.
        this.filling = undefined;
      }
    };
    this.filling = loop();
  }

  /**
   * Stops leasing and waits for the sends in flight (each ends within `sendTimeoutMs` plus the
   * abort grace); messages not yet leased stay in the outbox for the next start.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.filling;
    await Promise.all([...this.inFlight.values()].map((f) => f.done));
  }
}

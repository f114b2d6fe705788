import type { Logger } from './logger';
import type { KeyValueStore } from './store/channel-store';

/** A background job started by `startPeriodic`. */
export interface PeriodicJob {
  /** Stops scheduling and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Who may run a periodic job now, shared by every instance on one database: one instance at a
 * time, and each period once.
 */
export interface JobLease {
  /**
   * Takes `job` for `period` when no instance is running it and none has run that period yet.
   * Returns the function that releases it after the run, or null when this instance must skip.
   */
  take(job: string, period: number, periodMs: number): Promise<(() => Promise<void>) | null>;
}

/**
 * A {@link JobLease} kept in a key-value space (the channel store, shared by every instance): a
 * `running:` entry while a run is in progress (it expires, so a run whose instance died does not
 * block the job for long) and a `done:` entry per period.
 *
 * @example
 * const lease = keyValueJobLease(backend.channelStore.scope('jobs'), clock);
 * startPeriodic('upkeep', 300_000, upkeep, logger, { lease, clock });
 */
export function keyValueJobLease(kv: KeyValueStore, clock: () => Date, owner = 'suara'): JobLease {
  return {
    async take(job, period, periodMs) {
      const now = clock().getTime();
      const running = `running:${job}`;
      // A run may take longer than its period; one that takes longer than this is taken over.
      const holdUntil = new Date(now + Math.max(2 * periodMs, 60_000));
      if (!(await kv.putIfAbsent(running, owner, { expiresAt: holdUntil }))) return null;
      // Kept until two periods later, so an instance whose clock lags does not run it again.
      const doneUntil = new Date((period + 3) * periodMs);
      if (!(await kv.putIfAbsent(`done:${job}:${period}`, owner, { expiresAt: doneUntil }))) {
        await kv.delete(running);
        return null;
      }
      return () => kv.delete(running);
    },
  };
}

/** With a lease: which instants the job's periods start at (clock) and who runs each. */
export interface PeriodicOptions {
  lease: JobLease;
  clock: () => Date;
}

/**
 * Runs `task` every `intervalMs` (first run after one interval), never two runs at once. Errors
 * are logged and the job keeps going. Timers do not keep the process alive. With a `lease`
 * (several instances), time is cut into periods of `intervalMs` and each period's run happens
 * on one instance only: each instance wakes soon after a period starts and runs only when it
 * takes the lease.
 *
 * @example
 * const job = startPeriodic('auto-close', 60_000, () => cases.autoClose(), logger);
 * await job.stop();
 */
export function startPeriodic(
  name: string,
  intervalMs: number,
  task: () => Promise<unknown>,
  logger: Logger,
  options?: PeriodicOptions,
): PeriodicJob {
  let stopped = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const run = async () => {
    if (!options) {
      await task();
      return;
    }
    const period = Math.floor(options.clock().getTime() / intervalMs);
    const release = await options.lease.take(name, period, intervalMs);
    if (!release) return;
    try {
      await task();
    } finally {
      await release().catch((err: unknown) =>
        logger.warn({ err, job: name }, 'background job lease not released'),
      );
    }
  };
  const tick = () => {
    running = run()
      .then(
        () => undefined,
        (err: unknown) => logger.error({ err, job: name }, 'background job failed'),
      )
      .finally(() => {
        running = undefined;
        if (!stopped) schedule();
      });
  };
  const schedule = () => {
    timer = setTimeout(tick, delay());
    timer.unref();
  };
  /** Without a lease, one interval; with one, until just after the next period starts. */
  const delay = () => {
    if (!options) return intervalMs;
    const now = options.clock().getTime();
    const next = (Math.floor(now / intervalMs) + 1) * intervalMs;
    return next - now + Math.floor(Math.random() * Math.min(1000, intervalMs / 10));
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

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

/** A duty that must run on one instance only (Telegram long polling), and how to start it. */
export interface SingletonDuty {
  /** Its name, the lease's key. */
  name: string;
  start(): void;
  stop(): Promise<void>;
}

/** A running {@link holdSingleton}. */
export interface HeldSingleton {
  /** Stops the duty if it runs here, and gives the lease up. */
  stop(): Promise<void>;
}

/**
 * Runs `duty` on the one instance that holds its lease in the shared key-value space: the holder
 * renews it every third of `ttlMs`; the others check as often and take over once it has expired
 * (its instance died or hung). An instance that loses the lease stops the duty. Resolves once
 * the first attempt is done (the duty runs here at once if the lease was free or already ours).
 *
 * @example
 * const held = await holdSingleton(channelStore.scope('jobs'), poller, { owner, clock, logger });
 * await held.stop();
 */
export async function holdSingleton(
  kv: KeyValueStore,
  duty: SingletonDuty,
  options: { owner: string; clock: () => Date; logger: Logger; ttlMs?: number },
): Promise<HeldSingleton> {
  const { owner, clock, logger } = options;
  const ttlMs = options.ttlMs ?? 30_000;
  const key = `singleton:${duty.name}`;
  let running = false;
  let stopped = false;
  let toldElsewhere = false;
  let renewedAt = 0;
  const take = async (): Promise<{ mine: boolean; holder: unknown }> => {
    const expiresAt = new Date(clock().getTime() + ttlMs);
    const holder = await kv.get(key);
    if (holder === owner) {
      await kv.put(key, owner, { expiresAt });
      return { mine: true, holder };
    }
    if (holder !== null) return { mine: false, holder };
    return { mine: await kv.putIfAbsent(key, owner, { expiresAt }), holder };
  };
  const attempt = async () => {
    const startedAt = clock().getTime();
    let taken: { mine: boolean; holder: unknown };
    try {
      taken = await take();
    } catch (err) {
      // The store cannot be reached: once the lease may have expired, another instance may run
      // the duty, so this one stops it.
      if (running && startedAt - renewedAt >= ttlMs) {
        running = false;
        logger.warn({ duty: duty.name }, 'lease not renewed in time: stopped here');
        await duty.stop();
      }
      throw err;
    }
    const { mine, holder } = taken;
    if (mine) renewedAt = startedAt;
    if (stopped) return;
    if (mine && !running) {
      running = true;
      toldElsewhere = false;
      duty.start();
    } else if (!mine && running) {
      running = false;
      logger.warn({ duty: duty.name }, 'another instance took over this duty: stopped here');
      await duty.stop();
    } else if (!mine && !toldElsewhere) {
      toldElsewhere = true;
      logger.info(
        { duty: duty.name, holder: (await kv.get(key)) ?? holder },
        'runs on another instance; this one takes over if that one stops',
      );
    }
  };
  const job = startPeriodic(
    `singleton:${duty.name}`,
    Math.max(1, Math.floor(ttlMs / 3)),
    attempt,
    logger,
  );
  await attempt().catch((err: unknown) =>
    logger.error({ err, duty: duty.name }, 'could not take the lease of this duty'),
  );
  return {
    async stop() {
      stopped = true;
      await job.stop();
      if (running) {
        running = false;
        await duty.stop();
      }
      if ((await kv.get(key).catch(() => null)) === owner) await kv.delete(key).catch(() => {});
    },
  };
}

import type { Logger } from './logger';

/** A background job started by `startPeriodic`. */
export interface PeriodicJob {
  /** Stops scheduling and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs `task` every `intervalMs` (first run after one interval), never two runs at once. Errors
 * are logged and the job keeps going. Timers do not keep the process alive.
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
): PeriodicJob {
  let stopped = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    running = task()
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
    timer = setTimeout(tick, intervalMs);
    timer.unref();
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

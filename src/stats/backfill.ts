import type { WorkingCalendar } from '../cases/calendar';
import { CodedError } from '../errors';
import type { Backend } from '../store/backend';
import { statsFromHistory } from './facts';

/**
 * Fills in the statistics of cases written before they were kept (a database from an older
 * version), from each case's history, oldest first, a batch at a time; the stores' triggers count
 * them as they are written. Safe with several instances and with cases changing meanwhile: the
 * write expects the version read (a case that changed since is skipped: the case service filled
 * it in from the same history when it changed it), and keeps it, so a change racing with this
 * write computes the same figures. Returns how many cases it filled in.
 *
 * @example
 * const filled = await backfillStats(backend, domain.planner.calendar);
 */
export async function backfillStats(
  backend: Pick<Backend, 'queries' | 'cases' | 'commit'>,
  calendar: WorkingCalendar,
  batch = 200,
): Promise<number> {
  let filled = 0;
  for (;;) {
    const page = await backend.queries.list(
      { statsMissing: true },
      { limit: batch, order: 'oldest' },
    );
    let progressed = false;
    for (const c of page.cases) {
      const stats = statsFromHistory(calendar, c, await backend.cases.events(c.trackingId));
      try {
        await backend.commit({ cases: [{ case: { ...c, stats }, expectedVersion: c.version }] });
        filled++;
        progressed = true;
      } catch (err) {
        if (!(err instanceof CodedError && err.code === 'conflict')) throw err;
      }
    }
    if (!page.next || !progressed) return filled;
  }
}

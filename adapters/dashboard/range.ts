import { z } from 'zod';
import { localDate } from '../../src/cases/calendar';
import { weekOf } from '../../src/stats/facts';
import type { StatsFilter } from '../../src/stats/port';
import { LANGUAGES } from '../../src/taxonomy';

/** Weeks shown when no range is asked for: about six months. */
export const DEFAULT_WEEKS = 26;
/** The longest range, in weeks: two years. */
export const MAX_WEEKS = 106;

const AGENCY_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * The query of the statistics (`/api/v1/stats`, `/statistik`, `/dashboard`): `from` and `to` are
 * dates (`YYYY-MM-DD`, in the service's zone), each widened to its whole week (Monday–Sunday);
 * `agency` one agency id; `lang` the language of names. Unknown parameters are refused.
 */
export const statsQuery = z.strictObject({
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  // The form's "all agencies" option sends `agency=`: the same as no agency.
  agency: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().regex(AGENCY_ID, 'not an agency id').optional(),
  ),
  lang: z.enum(LANGUAGES).default('id'),
});
export type StatsQuery = z.output<typeof statsQuery>;

/** A range the rules refuse (the message says why, for a 400). */
export class RangeRefused extends Error {}

/**
 * The weeks and agency of a query at `now`: without `to`, up to this week; without `from`,
 * {@link DEFAULT_WEEKS} weeks back from `to`. Throws {@link RangeRefused} for `from` after `to`
 * or a range over {@link MAX_WEEKS} weeks. Pure.
 *
 * @example
 * statsFilter({ from: '2026-11-25', to: '2026-12-02', lang: 'id' }, 'Asia/Jakarta', now)
 * // { fromWeek: '2026-11-23', toWeek: '2026-11-30' }
 */
export function statsFilter(q: StatsQuery, timeZone: string, now: Date): StatsFilter {
  const toWeek = weekOf(q.to ?? localDate(now, timeZone));
  const fromWeek = q.from
    ? weekOf(q.from)
    : new Date(Date.parse(`${toWeek}T00:00:00Z`) - (DEFAULT_WEEKS - 1) * 7 * 86_400_000)
        .toISOString()
        .slice(0, 10);
  if (fromWeek > toWeek) throw new RangeRefused('"from" is after "to"');
  const weeks = (Date.parse(toWeek) - Date.parse(fromWeek)) / (7 * 86_400_000) + 1;
  if (weeks > MAX_WEEKS) throw new RangeRefused(`at most ${MAX_WEEKS} weeks at once`);
  return { fromWeek, toWeek, ...(q.agency ? { agencyIds: [q.agency] } : {}) };
}

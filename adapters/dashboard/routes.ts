import express, { type Router } from 'express';
import { findAgency } from '../../src/cases/directory';
import type { ChannelContext } from '../../src/channel';
import { issueLines } from '../../src/errors';
import { statsReport } from '../../src/stats/report';
import { RangeRefused, type StatsQuery, statsFilter, statsQuery } from './range';
import { type StatsJson, statsJson } from './views';

/** What the statistics routes use of the service. */
export type DashboardContext = Pick<ChannelContext, 'backend' | 'domain' | 'texts' | 'clock'>;

/** Why a statistics query was refused (a 400 with this message). */
export class QueryRefused extends Error {}

/**
 * The statistics of a query string (already parsed by express), or throws {@link QueryRefused}:
 * an unknown parameter, a bad date, a range the rules refuse, an agency not in the directory.
 */
export async function readStats(
  ctx: DashboardContext,
  raw: unknown,
): Promise<{ query: StatsQuery; json: StatsJson }> {
  const q = statsQuery.safeParse(raw);
  if (!q.success) throw new QueryRefused(issueLines(q.error.issues).join('; '));
  if (q.data.agency && !findAgency(ctx.domain.directory, q.data.agency)) {
    throw new QueryRefused(`no agency ${JSON.stringify(q.data.agency)}`);
  }
  let filter: ReturnType<typeof statsFilter>;
  try {
    filter = statsFilter(q.data, ctx.domain.planner.calendar.timeZone, ctx.clock());
  } catch (err) {
    if (err instanceof RangeRefused) throw new QueryRefused(err.message);
    throw err;
  }
  const report = statsReport(filter, await ctx.backend.stats.read(filter));
  return { query: q.data, json: statsJson(report, ctx.domain.directory, ctx.texts, q.data.lang) };
}

/**
 * `GET /api/v1/stats`: the public statistics as JSON (no key: aggregates only, confidential
 * cases counted but nothing of them shown). Cacheable for a minute.
 *
 * @example
 * // curl 'https://lapor.kota.go.id/api/v1/stats?from=2026-06-01&to=2026-11-30&agency=dinas-pupr'
 */
export function statsApiRoutes(ctx: DashboardContext): Router {
  const router = express.Router();
  router.get('/api/v1/stats', async (req, res) => {
    try {
      const { json } = await readStats(ctx, req.query);
      res.set('Cache-Control', 'public, max-age=60').json(json);
    } catch (err) {
      if (!(err instanceof QueryRefused)) throw err;
      res.status(400).json({ error: { code: 'invalid_request', message: err.message } });
    }
  });
  return router;
}

import { dirname, join } from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import { findAgency } from '../../src/cases/directory';
import type { ChannelContext } from '../../src/channel';
import { issueLines } from '../../src/errors';
import { escapeHtml } from '../../src/http/html';
import { statsReport } from '../../src/stats/report';
import type { Language } from '../../src/taxonomy';
import { type Asset, loadAsset, projectRoot } from '../webchat/widget/assets';
import {
  ASSETS_PATH,
  CONTENT_SECURITY_POLICY,
  messagePage,
  type PageFrame,
  publicPage,
} from './page';
import { RangeRefused, type StatsQuery, statsFilter, statsQuery } from './range';
import { dashboardTexts } from './texts';
import { type StatsJson, statsJson } from './views';

/** What the statistics routes use of the service. */
export type DashboardContext = Pick<
  ChannelContext,
  'backend' | 'domain' | 'texts' | 'clock' | 'config'
>;

/** Why a statistics query was refused (a 400 with this message). */
export class QueryRefused extends Error {}

/**
 * The statistics of a query string (already parsed by express), or throws {@link QueryRefused}:
 * an unknown parameter, a bad date, a range the rules refuse, an agency not in the directory.
 * `within`: the agencies a signed-in supervisor may see (their figures only when the query names
 * no agency); absent: every agency.
 */
export async function readStats(
  ctx: DashboardContext,
  raw: unknown,
  within?: readonly string[],
): Promise<{ query: StatsQuery; json: StatsJson }> {
  const q = statsQuery.safeParse(raw);
  if (!q.success) throw new QueryRefused(issueLines(q.error.issues).join('; '));
  if (q.data.agency && !findAgency(ctx.domain.directory, q.data.agency)) {
    throw new QueryRefused(`no agency ${JSON.stringify(q.data.agency)}`);
  }
  let filter: ReturnType<typeof statsFilter>;
  try {
    filter = statsFilter(q.data, ctx.domain.planner.calendar.timeZone, ctx.clock());
    if (within && !filter.agencyIds) filter = { ...filter, agencyIds: [...within] };
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

/** Where the public statistics page lives. */
export const STATS_PAGE_PATH = '/statistik';

/** Headers of every page (the statistics page and the supervisor view). */
export const PAGE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The language of a page: `?lang=`, else the browser's, else Indonesian. */
export function pageLanguage(req: Request, res: Response): Language {
  const asked = req.query.lang;
  if (asked === 'en' || asked === 'id') return asked;
  res.vary('Accept-Language');
  return req.acceptsLanguages('id', 'en') === 'en' ? 'en' : 'id';
}

/** The query of a page as strings (for the language link), without `lang`. */
export function pageQuery(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query)) {
    if (k !== 'lang' && typeof v === 'string') out[k] = v.slice(0, 100);
  }
  return out;
}

/** The agencies for the filter, in `lang`. */
export function agencyOptions(ctx: DashboardContext, lang: Language) {
  return ctx.domain.directory.agencies.map((a) => ({ id: a.id, name: a.name[lang] }));
}

/** Chart.js (from its package) and charts.js, held in memory with their ETags. */
function loadAssets(): Record<string, Asset & { type: string }> {
  const js = 'text/javascript; charset=utf-8';
  return {
    'chart.umd.min.js': {
      ...loadAsset(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js')),
      type: js,
    },
    'charts.js': {
      ...loadAsset(join(projectRoot(__dirname), 'adapters', 'dashboard', 'assets', 'charts.js')),
      type: js,
    },
  };
}

/**
 * `GET /statistik` (the public statistics page: filters in the URL, a table under every chart)
 * and its scripts under `/statistik/assets/`.
 */
export function statsPageRoutes(ctx: DashboardContext): Router {
  const router = express.Router();
  const assets = loadAssets();
  router.get(`${ASSETS_PATH}/:name`, (req, res) => {
    const asset = assets[String(req.params.name)];
    if (!asset) {
      res.status(404).type('text/plain').send('not found');
      return;
    }
    res.set({
      'Content-Type': asset.type,
      ETag: asset.etag,
      'Cache-Control': 'public, max-age=3600',
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.fresh) res.status(304).end();
    else res.send(asset.body);
  });
  router.get(STATS_PAGE_PATH, async (req, res) => {
    const lang = pageLanguage(req, res);
    const frame: PageFrame = {
      lang,
      path: STATS_PAGE_PATH,
      query: pageQuery(req),
      agencies: agencyOptions(ctx, lang),
    };
    res.set(PAGE_HEADERS).set('Cache-Control', 'public, max-age=60');
    try {
      const { query, json } = await readStats(ctx, { ...req.query, lang });
      res.type('html').send(publicPage(frame, json, query.agency));
    } catch (err) {
      if (!(err instanceof QueryRefused)) throw err;
      const t = dashboardTexts(lang);
      res
        .status(400)
        .set('Cache-Control', 'no-store')
        .type('html')
        .send(
          messagePage(
            frame,
            t.badRequest,
            err.message,
            `<p><a href="${STATS_PAGE_PATH}${lang === 'en' ? '?lang=en' : ''}">${escapeHtml(t.publicTitle)}</a></p>`,
          ),
        );
    }
  });
  return router;
}

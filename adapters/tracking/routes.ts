import express, { type Request, type Response, type Router } from 'express';
import { normalizeTrackingId } from '../../src/cases/tracking-id';
import type { ChannelContext } from '../../src/channel';
import { isCodedError } from '../../src/errors';
import { addressKey, type RateLimit } from '../../src/store/rate-limit';
import type { Language } from '../../src/taxonomy';
import {
  CONTENT_SECURITY_POLICY,
  casePage,
  formPage,
  notFoundPage,
  type PageFrame,
  tooManyPage,
  unavailablePage,
} from './page';
import { pageTexts } from './texts';
import { publicCase } from './view';

/** Where the tracking page lives (the citizens' links are `<SUARA_PUBLIC_URL>/lacak/<id>`). */
export const TRACKING_PATH = '/lacak';

/** The rate-limit family of case-page look-ups (per client address). */
export const LOOKUP_FAMILY = 'tracking-lookups-per-ip';

export interface TrackingRouteDeps {
  ctx: Pick<ChannelContext, 'backend' | 'domain' | 'texts' | 'clock' | 'logger'>;
  /** Case-page answers per client address (found, unknown or malformed alike). */
  limit: RateLimit;
}

/** Headers of every answer under {@link TRACKING_PATH}, redirects and errors included. */
const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
  'X-Robots-Tag': 'noindex, nofollow',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The language asked for with `?lang=`, if any. */
function askedLanguage(req: Request): Language | null {
  const lang = req.query.lang;
  return lang === 'en' || lang === 'id' ? lang : null;
}

/** `?lang=` when it was asked for, else the browser's `Accept-Language`; Indonesian by default. */
function pageLanguage(req: Request, res: Response): Language {
  const asked = askedLanguage(req);
  if (asked) return asked;
  res.vary('Accept-Language');
  return req.acceptsLanguages('id', 'en') === 'en' ? 'en' : 'id';
}

/** A path under the page, keeping the language asked for with `?lang=`. */
function withLanguage(req: Request, path: string): string {
  const asked = askedLanguage(req);
  return asked ? `${path}?lang=${asked}` : path;
}

function sendPage(res: Response, status: number, html: string): void {
  res.status(status).type('html').send(html);
}

/**
 * The public tracking page's routes:
 * - `GET /lacak`: the look-up form; `GET /lacak?id=<typed>` redirects (303) to the case's page,
 *   or shows the form again with what was wrong (400).
 * - `GET /lacak/<id>`: the case's page; a non-canonical id (`adu-7k3moq`) redirects (301) to
 *   the canonical one; an unknown or malformed id answers 404 with the form again.
 *
 * Each case-page answer takes a token from the client address's bucket (`req.ip`, as
 * TRUST_PROXY says; IPv6 per /64): over the limit it is 429 with Retry-After and no data.
 *
 * @example
 * app.use(trackingRoutes({ ctx, limit: { burst: 30, perMs: 60_000 } }));
 */
export function trackingRoutes(deps: TrackingRouteDeps): Router {
  const { ctx, limit } = deps;
  const timeZone = ctx.domain.planner.calendar.timeZone;
  const frame = (req: Request, res: Response, path: string): PageFrame => ({
    lang: pageLanguage(req, res),
    path,
    timeZone,
  });
  const router = express.Router();

  router.use(TRACKING_PATH, (_req, res, next) => {
    res.set(SECURITY_HEADERS);
    next();
  });

  router.get(TRACKING_PATH, (req, res) => {
    const f = frame(req, res, TRACKING_PATH);
    const typed = req.query.id;
    if (typed === undefined) return sendPage(res, 200, formPage(f));
    const text = typeof typed === 'string' ? typed : '';
    const t = pageTexts(f.lang);
    if (text.trim() === '') return sendPage(res, 400, formPage(f, { error: t.emptyId }));
    const id = normalizeTrackingId(text);
    if (!id) return sendPage(res, 400, formPage(f, { value: text.slice(0, 40), error: t.badId }));
    res.redirect(303, withLanguage(req, `${TRACKING_PATH}/${id}`));
  });

  router.get(`${TRACKING_PATH}/:id`, async (req, res) => {
    const raw = String(req.params.id ?? '');
    const id = normalizeTrackingId(raw);
    // Only a canonical URL is answered: typed, copied or case-changed forms redirect to it.
    if (id && id !== raw) return res.redirect(301, withLanguage(req, `${TRACKING_PATH}/${id}`));
    const f = frame(req, res, `${TRACKING_PATH}/${encodeURIComponent(id ?? raw)}`);
    try {
      // Every answer counts, unknown ids too: guessing ids meets 429, not data.
      const taken = await ctx.backend.rateLimits.take(LOOKUP_FAMILY, clientAddress(req), limit);
      if (!taken.ok) {
        res.set('Retry-After', String(taken.retryAfterS));
        // Nothing of the look-up, not even the id, in the answer.
        const page = tooManyPage({ ...f, path: TRACKING_PATH }, taken.retryAfterS);
        return sendPage(res, 429, page);
      }
      if (!id) return sendPage(res, 404, notFoundPage(f, null, raw));
      const c = await ctx.backend.cases.get(id);
      if (!c) return sendPage(res, 404, notFoundPage(f, id));
      const events = await ctx.backend.cases.events(id);
      const view = publicCase(c, events, {
        directory: ctx.domain.directory,
        calendar: ctx.domain.planner.calendar,
        texts: ctx.texts,
        now: ctx.clock(),
        lang: f.lang,
      });
      sendPage(res, 200, casePage(f, view));
    } catch (err) {
      const down = isCodedError(err, 'store_unavailable');
      if (down) {
        ctx.logger.warn({ err }, 'tracking page: the database cannot be reached');
        res.set('Retry-After', '5');
      } else ctx.logger.error({ err }, 'tracking page failed');
      sendPage(res, down ? 503 : 500, unavailablePage(f));
    }
  });

  // Anything deeper under the page is no case either.
  router.get(`${TRACKING_PATH}/*rest`, (req, res) => {
    sendPage(res, 404, notFoundPage(frame(req, res, TRACKING_PATH), null));
  });
  return router;
}

/** The client's address as the `TRUST_PROXY` setting says (`req.ip`), keyed per network. */
function clientAddress(req: Request): string {
  return addressKey(req.ip ?? 'unknown');
}

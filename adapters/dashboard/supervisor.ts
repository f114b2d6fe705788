import express, { type Request, type Response, type Router } from 'express';
import { findAgency } from '../../src/cases/directory';
import { agencyDeadline, slaWindow } from '../../src/cases/queries';
import type { Case } from '../../src/cases/types';
import { escapeHtml } from '../../src/http/html';
import {
  DASHBOARD_SCOPE,
  DASHBOARD_SIGN_IN_PATH,
  DashboardAccess,
  type DashboardSession,
  SESSION_TTL_MS,
} from '../../src/staff/dashboard-access';
import { staffCaseView } from '../../src/staff/view';
import type { Language } from '../../src/taxonomy';
import { formatInstant } from '../tracking/page';
import {
  messagePage,
  type PageFrame,
  type QueueRow,
  signInPage,
  signOutButton,
  supervisorPage,
} from './page';
import {
  agencyOptions,
  type DashboardContext,
  PAGE_HEADERS,
  pageLanguage,
  pageQuery,
  QueryRefused,
  readStats,
} from './routes';
import { dashboardTexts } from './texts';

/** The supervisor view's address. */
export const DASHBOARD_PATH = '/dashboard';
/** The session cookie (HttpOnly, SameSite=Strict, path /dashboard). */
export const SESSION_COOKIE = 'suara_dashboard';
/** Most cases of each SLA state in the queue (and its CSV). */
const QUEUE_MAX = 200;

/** The value of one cookie of a request (no cookie library: one name is all we read). */
function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/** A cell that a spreadsheet would run as a formula is written as text. */
function csvCell(v: string | number): string {
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The supervisor view: `GET /dashboard/masuk?t=` (a sign-in button) and `POST /dashboard/masuk`
 * (opens an 8-hour session from a Slack link, once), `GET /dashboard` (the statistics of the
 * session's agencies and their overdue and due-soon queue), `GET /dashboard/antrean.csv` (that
 * queue as CSV), `POST /dashboard/keluar` (sign out). Personal data masked as on the Slack desk.
 */
export function supervisorRoutes(ctx: DashboardContext): Router {
  const router = express.Router();
  const access = new DashboardAccess(ctx.backend.channelStore.scope(DASHBOARD_SCOPE), ctx.clock);
  const form = express.urlencoded({ extended: false, limit: '2kb', parameterLimit: 5 });
  /**
   * A POST from a page of another site is refused (the cookie is SameSite=Strict as well). The
   * pages' `Referrer-Policy: same-origin` makes browsers send our own origin with our forms (with
   * `no-referrer` they would send `Origin: null`). Behind a proxy that changes the scheme or the
   * host, the origin of `SUARA_PUBLIC_URL` is ours too.
   */
  const publicOrigin = ctx.config.publicUrl ? new URL(ctx.config.publicUrl).origin : null;
  const sameOrigin = (req: Request): boolean => {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    return origin === publicOrigin || origin === `${req.protocol}://${req.headers.host ?? ''}`;
  };
  const secure = (req: Request) => req.secure || (ctx.config.publicUrl ?? '').startsWith('https:');

  const frameOf = (req: Request, lang: Language, bar?: string): PageFrame => ({
    lang,
    path: req.path,
    query: pageQuery(req),
    agencies: agencyOptions(ctx, lang),
    ...(bar ? { bar } : {}),
  });
  const page = (res: Response, status: number, html: string) =>
    res.status(status).set(PAGE_HEADERS).set('Cache-Control', 'no-store').type('html').send(html);
  const refuse = (req: Request, res: Response, lang: Language, status: number, message: string) => {
    const t = dashboardTexts(lang);
    page(
      res,
      status,
      messagePage(
        frameOf(req, lang),
        t.sessionEnded,
        message,
        `<p>${escapeHtml(t.signInAgain)}</p>`,
      ),
    );
  };

  /** The session of the request, or null after answering 401. */
  const signedIn = async (req: Request, res: Response, lang: Language) => {
    const session = await access.session(cookie(req, SESSION_COOKIE));
    if (!session) {
      refuse(req, res, lang, 401, dashboardTexts(lang).sessionEnded);
      return null;
    }
    return session;
  };

  /** The query within the session's agencies, or null after answering 403. */
  const scoped = (req: Request, res: Response, lang: Language, session: DashboardSession) => {
    const asked = typeof req.query.agency === 'string' ? req.query.agency : '';
    const agency = asked === '' ? undefined : asked;
    const mine = session.agencyIds;
    if (agency && mine && !mine.includes(agency)) {
      const t = dashboardTexts(lang);
      page(res, 403, messagePage(frameOf(req, lang), t.badRequest, t.scopeRefused));
      return null;
    }
    // The agency chosen, or the session's only one; else (`within`) all of the session's.
    const only = mine && mine.length === 1 ? mine[0] : undefined;
    const { agency: _asked, ...rest } = req.query;
    return { ...rest, ...((agency ?? only) ? { agency: agency ?? only } : {}), lang };
  };

  /** An agency's name (the triage desk's too), or its id when the directory no longer has it. */
  const agencyName = (id: string, lang: Language) =>
    findAgency(ctx.domain.directory, id)?.name[lang] ?? id;

  const queueOf = async (session: DashboardSession, agency: string | undefined, lang: Language) => {
    const window = slaWindow(ctx.domain.planner.calendar, ctx.clock());
    const agencyIds = agency ? [agency] : (session.agencyIds ?? undefined);
    const scope = agencyIds ? { agencyIds } : {};
    const [overdue, soon] = await Promise.all(
      (['overdue', 'due_soon'] as const).map((state) =>
        ctx.backend.queries.list(
          { ...scope, sla: { state, window } },
          { limit: QUEUE_MAX, order: 'deadline' },
        ),
      ),
    );
    const t = dashboardTexts(lang);
    const row = (c: Case, state: QueueRow['state']): QueueRow => {
      const v = staffCaseView(c, lang);
      const due = agencyDeadline(c) ?? c.updatedAt;
      return {
        trackingId: v.trackingId,
        category: ctx.texts.t(lang, `categories.${v.category}`),
        agency: agencyName(v.agencyId, lang),
        ageDays: Math.floor((ctx.clock().getTime() - Date.parse(v.createdAt)) / 86_400_000),
        due,
        dueText: formatInstant(due, lang, ctx.domain.planner.calendar.timeZone, 'short'),
        state,
        reporter: v.reporter?.name ?? t.identity[v.identity],
      };
    };
    return [
      ...(overdue?.cases ?? []).map((c) => row(c, 'overdue')),
      ...(soon?.cases ?? []).map((c) => row(c, 'due_soon')),
    ];
  };

  router.get(DASHBOARD_SIGN_IN_PATH, async (req, res) => {
    const lang = pageLanguage(req, res);
    const token = typeof req.query.t === 'string' ? req.query.t : '';
    const t = dashboardTexts(lang);
    if (!(await access.linkExists(token))) {
      page(res, 403, messagePage(frameOf(req, lang), t.signInTitle, t.linkInvalid));
      return;
    }
    page(res, 200, signInPage(frameOf(req, lang), token));
  });

  router.post(DASHBOARD_SIGN_IN_PATH, form, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const lang: Language = body.lang === 'en' ? 'en' : 'id';
    const opened =
      sameOrigin(req) && typeof body.t === 'string' ? await access.redeem(body.t) : null;
    if (!opened) {
      const t = dashboardTexts(lang);
      page(res, 403, messagePage(frameOf(req, lang), t.signInTitle, t.linkInvalid));
      return;
    }
    res.cookie(SESSION_COOKIE, opened.id, {
      httpOnly: true,
      secure: secure(req),
      sameSite: 'strict',
      path: DASHBOARD_PATH,
      maxAge: SESSION_TTL_MS,
    });
    res.redirect(303, `${DASHBOARD_PATH}${lang === 'en' ? '?lang=en' : ''}`);
  });

  router.post(`${DASHBOARD_PATH}/keluar`, form, async (req, res) => {
    const lang: Language =
      (req.body as Record<string, unknown> | undefined)?.lang === 'en' ? 'en' : 'id';
    if (sameOrigin(req)) await access.end(cookie(req, SESSION_COOKIE));
    res.clearCookie(SESSION_COOKIE, {
      path: DASHBOARD_PATH,
      httpOnly: true,
      sameSite: 'strict',
      secure: secure(req),
    });
    const t = dashboardTexts(lang);
    page(res, 200, messagePage(frameOf(req, lang), t.signedOutTitle, t.signedOut));
  });

  router.get(DASHBOARD_PATH, async (req, res) => {
    const lang = pageLanguage(req, res);
    const session = await signedIn(req, res, lang);
    if (!session) return;
    const query = scoped(req, res, lang, session);
    if (!query) return;
    const frame = frameOf(req, lang, signOutButton(lang));
    try {
      const { json } = await readStats(ctx, query, session.agencyIds ?? undefined);
      const agency = typeof query.agency === 'string' ? query.agency : undefined;
      const scopeName = session.agencyIds
        ? session.agencyIds.map((id) => agencyName(id, lang)).join(', ')
        : dashboardTexts(lang).allAgencies;
      const csv = `${DASHBOARD_PATH}/antrean.csv?${new URLSearchParams({ ...pageQuery(req), lang }).toString()}`;
      page(
        res,
        200,
        supervisorPage(
          {
            ...frame,
            agencies: session.agencyIds
              ? frame.agencies.filter((a) => session.agencyIds?.includes(a.id))
              : frame.agencies,
          },
          json,
          {
            scopeName,
            ...(agency ? { agency } : {}),
            withAgency: session.agencyIds === null || session.agencyIds.length > 1,
            queue: await queueOf(session, agency, lang),
            csv,
          },
        ),
      );
    } catch (err) {
      if (!(err instanceof QueryRefused)) throw err;
      page(res, 400, messagePage(frame, dashboardTexts(lang).badRequest, err.message));
    }
  });

  router.get(`${DASHBOARD_PATH}/antrean.csv`, async (req, res) => {
    const lang = pageLanguage(req, res);
    const session = await signedIn(req, res, lang);
    if (!session) return;
    const query = scoped(req, res, lang, session);
    if (!query) return;
    const agency = typeof query.agency === 'string' ? query.agency : undefined;
    const t = dashboardTexts(lang);
    const rows = await queueOf(session, agency, lang);
    const lines = [
      [t.trackingId, t.category, t.agency, t.age, t.deadline, t.state, t.reporter],
      ...rows.map((r) => [
        r.trackingId,
        r.category,
        r.agency,
        r.ageDays,
        r.due,
        r.state,
        r.reporter,
      ]),
    ].map((cells) => cells.map(csvCell).join(','));
    res
      .status(200)
      .set({
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': 'attachment; filename="antrean.csv"',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      })
      .send(`\uFEFF${lines.join('\r\n')}\r\n`);
  });

  return router;
}

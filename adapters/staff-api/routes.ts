import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { API_KEYS_SCOPE, ApiKeys } from '../../src/apikeys/store';
import type { CaseAction } from '../../src/cases/state-machine';
import { normalizeTrackingId } from '../../src/cases/tracking-id';
import type { Attachment, Case } from '../../src/cases/types';
import type { ChannelContext } from '../../src/channel';
import { jsonBody, MAX_JSON_DEPTH } from '../../src/http/json-depth';
import { MAX_MEDIA_BYTES, type MediaFile, MediaUnavailable } from '../../src/media';
import { mayView } from '../../src/staff/access';
import { actAsStaff } from '../../src/staff/workflow';
import { requireKey, staffOf } from './auth';
import { caseNotFound, invalidRequest, refusalOf, StaffApiError, staffApiErrors } from './errors';
import { listCursor, listPlan } from './list';
import { type ActionBody, actionBody, caseQuery, listQuery, trackingIdParam } from './schemas';
import { type CasePageJson, caseDetailJson, caseJson, type SlaClock } from './views';

/** Most bytes of a request body of the staff API (413 beyond, unread). */
export const STAFF_API_BODY_BYTES = 32 * 1024;

/** What the routes use of the service. */
export type StaffApiContext = Pick<
  ChannelContext,
  'backend' | 'cases' | 'domain' | 'clock' | 'media' | 'logger'
>;

/**
 * The case action a staff API action is (Slack's buttons do the same): acknowledge = start,
 * reply = a public note, note = an internal one. Pure.
 *
 * @example
 * caseAction({ action: 'reply', note: 'Tim menuju lokasi' }) // { type: 'note', note: 'Tim menuju lokasi', public: true }
 */
export function caseAction(body: ActionBody): CaseAction {
  switch (body.action) {
    case 'acknowledge':
      return { type: 'start' };
    case 'request_info':
    case 'resolve':
    case 'reject':
      return { type: body.action, note: body.note };
    case 'transfer':
      return {
        type: 'transfer',
        toAgencyId: body.to_agency,
        ...(body.note !== undefined ? { note: body.note } : {}),
      };
    case 'reply':
      return { type: 'note', note: body.note, public: true };
    case 'note':
      return { type: 'note', note: body.note, public: false };
  }
}

/** Answers carry personal data: no cache keeps them. */
function noStore(_req: Request, res: Response, next: NextFunction) {
  res.set('Cache-Control', 'no-store');
  next();
}

/**
 * The staff REST routes, to mount under `/api/v1`: `GET /cases`, `GET /cases/{trackingId}` and
 * `POST /cases/{trackingId}/actions`, each for a staff API key (see `requireKey`) and within the
 * key's agencies. The key is checked before a body is read;
 * answers are `Cache-Control: no-store`. Refusals answer `{ error: { code, message } }`; other
 * paths fall through.
 */
export function staffApiRoutes(ctx: StaffApiContext): Router {
  const router = express.Router({ caseSensitive: true, strict: false });
  const keys = new ApiKeys(ctx.backend.channelStore.scope(API_KEYS_SCOPE), ctx.clock);
  const slaClock = (): SlaClock => ({ calendar: ctx.domain.planner.calendar, now: ctx.clock() });

  /** The tracking id asked for, canonical, or 404 when it cannot be one. */
  const trackingIdOf = (req: Request): string => {
    const typed = trackingIdParam.safeParse(req.params.trackingId);
    const id = typed.success ? normalizeTrackingId(typed.data) : null;
    if (!id) throw caseNotFound(String(req.params.trackingId ?? ''));
    return id;
  };

  router.get('/cases', noStore, requireKey(keys, 'cases:read'), async (req, res) => {
    const q = listQuery.safeParse(req.query);
    if (!q.success) throw invalidRequest(q.error);
    const clock = slaClock();
    const plan = listPlan(q.data, staffOf(res), clock.calendar, clock.now);
    const page = await ctx.backend.queries.list(plan.query, plan.page);
    const body: CasePageJson = {
      cases: page.cases.map((c) => caseJson(c, q.data.lang, clock)),
      next: listCursor(plan.fingerprint, page.next),
    };
    res.json(body);
  });

  router.get('/cases/:trackingId', noStore, requireKey(keys, 'cases:read'), async (req, res) => {
    const q = caseQuery.safeParse(req.query);
    if (!q.success) throw invalidRequest(q.error);
    const id = trackingIdOf(req);
    const c = await ctx.backend.cases.get(id);
    if (!c || !mayView(staffOf(res), c)) throw caseNotFound(String(req.params.trackingId));
    const history = await ctx.backend.cases.events(id);
    res.json(caseDetailJson(c, history, q.data.lang, slaClock()));
  });

  router.get(
    '/cases/:trackingId/attachments/:n',
    noStore,
    requireKey(keys, 'cases:read'),
    async (req, res) => {
      const id = trackingIdOf(req);
      const c = await ctx.backend.cases.get(id);
      if (!c || !mayView(staffOf(res), c)) throw caseNotFound(String(req.params.trackingId));
      const n = /^[1-9]\d{0,3}$/.test(String(req.params.n)) ? Number(req.params.n) : 0;
      const attachment = c.attachments[n - 1];
      if (!attachment) {
        throw new StaffApiError(
          404,
          'not_found',
          `case ${id} has no attachment ${JSON.stringify(String(req.params.n).slice(0, 8))}`,
        );
      }
      await sendAttachment(ctx, req, res, c, n, attachment);
    },
  );

  router.post(
    '/cases/:trackingId/actions',
    noStore,
    requireKey(keys, 'cases:write'),
    jsonBody({ limit: STAFF_API_BODY_BYTES, maxDepth: MAX_JSON_DEPTH }),
    async (req, res) => {
      const q = caseQuery.safeParse(req.query);
      if (!q.success) throw invalidRequest(q.error);
      if (req.body === undefined) {
        throw new StaffApiError(
          415,
          'unsupported_media_type',
          'send the action as application/json',
        );
      }
      const body = actionBody.safeParse(req.body);
      if (!body.success) throw invalidRequest(body.error);
      const id = trackingIdOf(req);
      const deps = { cases: ctx.cases, repository: ctx.backend.cases };
      let after: Awaited<ReturnType<typeof actAsStaff>>;
      try {
        after = await actAsStaff(deps, staffOf(res), id, caseAction(body.data));
      } catch (err) {
        throw refusalOf(err, String(req.params.trackingId)) ?? err;
      }
      const history = await ctx.backend.cases.events(id);
      res.json(caseDetailJson(after, history, q.data.lang, slaClock()));
    },
  );

  router.use(staffApiErrors);
  return router;
}

/** How long the channel may take to start giving a file (its look-up and first bytes). */
const MEDIA_OPEN_MS = 15_000;
/** How long a download may go without a byte before it is cut. */
const MEDIA_IDLE_MS = 30_000;

/**
 * Streams the `n`-th file of a case from the channel it came on (see src/media.ts), as a download
 * (`Content-Disposition: attachment`, `nosniff`, a sandboxing CSP): a citizen's file is never
 * rendered as a page of this origin. 502 `media_unavailable` when the channel cannot give it.
 */
async function sendAttachment(
  ctx: StaffApiContext,
  req: Request,
  res: Response,
  c: Case,
  n: number,
  attachment: Attachment,
): Promise<void> {
  const source = ctx.media.get(c.reporter.channel);
  if (!source) {
    throw new StaffApiError(
      502,
      'media_unavailable',
      `files sent on ${c.reporter.channel} cannot be opened through Suara`,
    );
  }
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), MEDIA_OPEN_MS);
  res.once('close', () => abort.abort());
  let file: MediaFile;
  try {
    file = await source.open(attachment.ref, abort.signal);
  } catch (err) {
    if (!(err instanceof MediaUnavailable)) throw err;
    ctx.logger.warn(
      { trackingId: c.trackingId, n, err: err.message },
      'staff-api: attachment unavailable',
    );
    throw new StaffApiError(
      502,
      'media_unavailable',
      `the ${c.reporter.channel} file is no longer available`,
    );
  } finally {
    clearTimeout(timer);
  }
  const type = mediaType(file.mimeType ?? attachment.mimeType);
  res.status(200).set({
    'Content-Type': type,
    'Content-Disposition': `attachment; filename="${c.trackingId}-${n}${extensionOf(type)}"`,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    ...(file.size !== undefined ? { 'Content-Length': String(file.size) } : {}),
  });
  let sent = 0;
  // A channel that stops sending mid-file: the download is cut after MEDIA_IDLE_MS of silence.
  let idle: NodeJS.Timeout | undefined;
  const watch = () => {
    clearTimeout(idle);
    idle = setTimeout(() => abort.abort(), MEDIA_IDLE_MS);
  };
  watch();
  const capped = new Transform({
    transform(chunk: Buffer, _enc, done) {
      watch();
      sent += chunk.length;
      done(sent > MAX_MEDIA_BYTES ? new Error('file larger than the limit') : null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(file.body as NodeReadableStream<Uint8Array>), capped, res);
  } catch (err) {
    // Headers are gone: a cut connection is all the client can be told.
    if (!req.destroyed) {
      ctx.logger.warn(
        { trackingId: c.trackingId, n, err: String(err) },
        'staff-api: attachment cut',
      );
    }
    res.destroy();
  } finally {
    clearTimeout(idle);
  }
}

/** A media type fit for a header (a channel's value, else a generic one). */
function mediaType(given: string | undefined): string {
  return given && /^[\w.+-]+\/[\w.+-]+$/.test(given)
    ? given.toLowerCase()
    : 'application/octet-stream';
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
  'image/gif': '.gif',
  'application/pdf': '.pdf',
};

function extensionOf(type: string): string {
  return EXTENSIONS[type] ?? '';
}

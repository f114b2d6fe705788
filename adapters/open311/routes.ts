import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import { API_KEYS_SCOPE, ApiKeys } from '../../src/apikeys/store';
import { normalizeTrackingId } from '../../src/cases/tracking-id';
import type { Case } from '../../src/cases/types';
import type { ChannelContext } from '../../src/channel';
import type { Language } from '../../src/taxonomy';
import { serviceDefinition } from './attributes';
import { BodyAborted, type Fields, field, queryFields, readBody } from './body';
import { newCaseFromFields } from './create';
import { forbidden, notFound, Open311Error } from './errors';
import { listRequests, readRequestsQuery } from './query';
import { isListed, noticeFor, requestJson } from './requests';
import { formatOf, send, sendError, splitFormat } from './respond';
import { knownServiceCode, serviceList } from './services';
import { localeLanguage } from './texts';

/** What the routes use of the service. */
export type Open311Context = Pick<
  ChannelContext,
  'config' | 'domain' | 'backend' | 'cases' | 'nlu' | 'dispatcher' | 'logger' | 'clock'
>;

type Handler = (req: Request, res: Response) => Promise<void>;

/** Runs a handler; its {@link Open311Error} becomes the error list, anything else goes on. */
function guarded(handler: Handler): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      await handler(req, res);
    } catch (err) {
      if (err instanceof Open311Error) sendError(req, res, err, formatOf(req));
      else if (err instanceof BodyAborted) req.socket.destroy();
      else next(err);
    }
  };
}

/**
 * The GeoReport v2 routes, to mount under `/open311/v2`: `GET services`, `GET services/{code}`,
 * `POST requests` (API key), `GET requests`, `GET requests/{id}` and `GET tokens/{token}`, each
 * as `.json` or `.xml`. Everything else under the prefix answers the 404 error list.
 */
export function open311Routes(ctx: Open311Context): Router {
  const router = express.Router({ caseSensitive: true, strict: false });
  const keys = new ApiKeys(ctx.backend.channelStore.scope(API_KEYS_SCOPE), ctx.clock);
  const zone = ctx.domain.planner.calendar.timeZone;

  /** 404 for another jurisdiction than the configured one; any is fine when none is. */
  const checkJurisdiction = (...sources: Fields[]) => {
    const wanted = ctx.config.open311JurisdictionId;
    for (const fields of sources) {
      const given = field(fields, 'jurisdiction_id');
      if (wanted && given !== undefined && given !== wanted)
        throw notFound(`jurisdiction_id ${given.slice(0, 100)} not found`);
    }
  };
  const language = (fields: Fields): Language => localeLanguage(field(fields, 'locale')) ?? 'id';

  /** A service request anyone may see, by a tracking id as typed, or 404 as if it did not exist. */
  const findRequest = async (typed: string): Promise<Case> => {
    const id = normalizeTrackingId(typed);
    const c = id ? await ctx.backend.cases.get(id) : null;
    if (!c || !isListed(c)) throw notFound(`service_request_id ${typed.slice(0, 40)} not found`);
    return c;
  };

  router.get(
    '/:resource',
    guarded(async (req, res) => {
      const { name, format } = splitFormat(String(req.params.resource));
      const query = queryFields(req);
      checkJurisdiction(query);
      const lang = language(query);
      if (name === 'services') return send(res, format, 'services', serviceList(lang));
      if (name !== 'requests') throw notFound(`No resource ${name.slice(0, 40)}.`);
      const q = readRequestsQuery(query, ctx.clock(), zone);
      const { cases, more } = await listRequests(ctx.backend.queries, q);
      const requests = [];
      for (const c of cases) {
        requests.push(
          requestJson(ctx.domain, c, await ctx.backend.cases.events(c.trackingId), lang),
        );
      }
      if (more && q.kind === 'page') res.set('Link', nextLink(req, q.page + 1));
      send(res, format, 'service_requests', requests);
    }),
  );

  router.get(
    '/services/:file',
    guarded(async (req, res) => {
      const { name, format } = splitFormat(String(req.params.file));
      const query = queryFields(req);
      checkJurisdiction(query);
      const category = knownServiceCode(name);
      if (!category) throw notFound(`service_code ${name.slice(0, 64)} not found`);
      send(res, format, 'service_definition', serviceDefinition(category, language(query)));
    }),
  );

  router.get(
    '/requests/:file',
    guarded(async (req, res) => {
      const { name, format } = splitFormat(String(req.params.file));
      const query = queryFields(req);
      checkJurisdiction(query);
      const c = await findRequest(name);
      const events = await ctx.backend.cases.events(c.trackingId);
      send(res, format, 'service_requests', [requestJson(ctx.domain, c, events, language(query))]);
    }),
  );

  // Requests are created in real time, so the only tokens are service request ids themselves.
  router.get(
    '/tokens/:file',
    guarded(async (req, res) => {
      const { name, format } = splitFormat(String(req.params.file));
      checkJurisdiction(queryFields(req));
      const c = await findRequest(name);
      send(res, format, 'service_requests', [{ service_request_id: c.trackingId, token: name }]);
    }),
  );

  router.post(
    '/:resource',
    guarded(async (req, res) => {
      const { name, format } = splitFormat(String(req.params.resource));
      if (name !== 'requests') throw notFound(`No resource ${name.slice(0, 40)} to POST to.`);
      const query = queryFields(req);
      const body = await readBody(req);
      checkJurisdiction(query, body);
      const key = await keys.verify(field(body, 'api_key') ?? '', 'open311');
      if (!key) throw forbidden();
      const locale = field(body, 'locale') ?? field(query, 'locale');
      const { input, accountId } = newCaseFromFields(body, key, ctx.nlu, locale);
      const { case: c } = await ctx.cases.open(input, {
        type: 'system',
        id: `open311:${key.id}`,
        name: key.name,
      });
      ctx.dispatcher.wake();
      ctx.logger.info({ trackingId: c.trackingId, apiKey: key.id }, 'open311: request created');
      const lang = localeLanguage(locale) ?? c.language;
      send(res, format, 'service_requests', [
        {
          service_request_id: c.trackingId,
          service_notice: noticeFor(ctx.domain, c, lang),
          account_id: accountId,
        },
      ]);
    }),
  );

  router.use(
    guarded(async () => {
      throw notFound('No such Open311 resource or method.');
    }),
  );
  return router;
}

/** The URL of the next page: the request's own, with `page` moved on (for a `Link` header). */
function nextLink(req: Request, page: number): string {
  const url = new URL(req.originalUrl, 'http://localhost');
  url.searchParams.set('page', String(page));
  return `<${url.pathname}${url.search}>; rel="next"`;
}

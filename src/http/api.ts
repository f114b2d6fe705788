import express, { type Router as ExpressRouter, type Response } from 'express';
import { z } from 'zod';
import type { AgencyDirectory } from '../cases/directory';
import { findAgency } from '../cases/directory';
import { issueLines } from '../errors';
import { type Article, summary } from '../knowledge/articles';
import type { KnowledgeBase } from '../knowledge/knowledge-base';
import type { AgencyRouter } from '../nlu/agency-router';
import { classificationJson, type Nlu, roundConfidence } from '../nlu/nlu';
import { MAX_TEXT_LENGTH } from '../nlu/normalize';
import { LANGUAGES } from '../taxonomy';
import { jsonBody, MAX_JSON_DEPTH } from './json-depth';

export interface ApiDeps {
  nlu: Nlu;
  knowledge: KnowledgeBase<Article>;
  agencyRouter: AgencyRouter;
  directory: AgencyDirectory;
}

const classifyBody = z
  .object({
    text: z.string().trim().min(1).max(MAX_TEXT_LENGTH),
    lang: z.enum(LANGUAGES).optional(),
  })
  .strict();
const askBody = z
  .object({
    question: z.string().trim().min(1).max(1000),
    lang: z.enum(LANGUAGES).optional(),
    limit: z.number().int().min(1).max(10).default(3),
  })
  .strict();

/** Most bytes of an API request body (413 beyond, unread). */
export const API_BODY_BYTES = 32 * 1024;

const round = roundConfidence;

/** 400 with one readable line per problem of the request body. */
function invalid(res: Response, error: z.ZodError): void {
  res
    .status(400)
    .json({ error: { code: 'invalid_request', message: issueLines(error.issues).join('; ') } });
}

/**
 * JSON API over the understanding layer, for tools and channels:
 * - `POST /api/v1/classify {text, lang?}` → language, intent, category, urgency, tracking ids, agency
 * - `POST /api/v1/ask {question, lang?, limit?}` → knowledge-base answers with scores
 *
 * Bodies: JSON of at most {@link API_BODY_BYTES} (413 beyond, not read) nested at most
 * {@link MAX_JSON_DEPTH} levels (400 `too_deep`).
 */
export function apiRoutes(deps: ApiDeps): ExpressRouter {
  const api = express.Router();
  // The longest text (MAX_TEXT_LENGTH characters, each at most 6 bytes as a JSON escape) fits.
  // On these two routes only: other routes under the prefix (the staff API) read their own
  // bodies, after checking the caller.
  const body = jsonBody({ limit: API_BODY_BYTES, maxDepth: MAX_JSON_DEPTH });

  api.post('/classify', body, (req, res) => {
    const input = classifyBody.safeParse(req.body);
    if (!input.success) return invalid(res, input.error);
    const c = deps.nlu.classify(input.data.text, input.data.lang);
    const route =
      c.category === null
        ? null
        : deps.agencyRouter.route(input.data.text, c.category, c.categoryConfidence ?? 0);
    const agency = route ? findAgency(deps.directory, route.agencyId) : undefined;
    res.json({
      ...classificationJson(c),
      tracking_ids: c.trackingIds,
      agency:
        route && agency
          ? {
              id: agency.id,
              name: agency.name,
              confidence: round(route.confidence),
              reason: route.reason,
            }
          : null,
    });
  });

  api.post('/ask', body, (req, res) => {
    const input = askBody.safeParse(req.body);
    if (!input.success) return invalid(res, input.error);
    const lang = input.data.lang ?? deps.nlu.analyze(input.data.question).lang;
    const hits = deps.knowledge.search(input.data.question, lang, input.data.limit);
    const top = hits[0];
    res.json({
      lang,
      answered: top !== undefined && deps.knowledge.isAnswer(top),
      results: hits.map((h) => ({
        id: h.doc.id,
        title: h.doc.title,
        summary: summary(h.doc),
        url: h.doc.url || null,
        score: round(h.score),
        relative: round(h.relative),
      })),
    });
  });
  return api;
}

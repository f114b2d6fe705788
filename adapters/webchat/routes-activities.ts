import type { Request, RequestHandler, Response, Router } from 'express';
import { parseUserActivity } from './activities';
import { authenticate } from './auth';
import { badArgument, tooLarge } from './errors';
import { parseWatermark } from './history';
import { jsonBody } from './json';
import type { DirectLineDeps } from './routes';
import { conversationOf, participant, takeMessage, turnDeps } from './routes-shared';
import { acceptUserActivity } from './turns';

/**
 * `POST /conversations/:conversationId/activities` (a message: the bot's turn) and
 * `GET /conversations/:conversationId/activities` (poll the history after a watermark).
 */
export function addActivityRoutes(r: Router, deps: DirectLineDeps): void {
  const { tokens, history, limits, rates } = deps;
  const secret = deps.ctx.config.webchat.directLineSecret;
  // Bodies are read per route, after the rate limits, and only as large as the call needs.
  const activityBody = jsonBody(limits.maxBodyBytes);

  r.post('/conversations/:conversationId/activities', async (req, res) => {
    const caller = authenticate(req, tokens, secret);
    const conversation = await conversationOf(deps, req, caller);
    // Read only for the conversation's own caller.
    await run(activityBody, req, res);
    await takeMessage(rates, req, caller, conversation.id);
    const parsed = parseUserActivity(req.body, limits.maxTextChars);
    if (!parsed.ok) {
      if ('tooLong' in parsed) {
        throw tooLarge(`text may have at most ${limits.maxTextChars} characters`);
      }
      throw badArgument(`not an activity: ${parsed.errors.join('; ')}`);
    }
    const id = await acceptUserActivity(turnDeps(deps), participant(conversation), parsed.value);
    res.json({ id });
  });

  r.get('/conversations/:conversationId/activities', async (req, res) => {
    const caller = authenticate(req, tokens, secret);
    const conversation = await conversationOf(deps, req, caller);
    const watermark = parseWatermark(req.query.watermark);
    if (watermark === null) throw badArgument('watermark: expected a number');
    const page = await history.page(conversation.id, watermark);
    res.json({ activities: page.activities, watermark: String(page.watermark) });
  });
}

/** Runs a middleware (a body parser) inside a handler; rejects with its error. */
function run(middleware: RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    middleware(req, res, (err?: unknown) => (err ? reject(err) : resolve()));
  });
}

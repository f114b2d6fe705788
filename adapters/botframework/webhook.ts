import type { Express, NextFunction, Request, Response } from 'express';
import { bodyUnread, jsonBody } from '../../src/http/json-depth';
import { closeAfterAnswer } from '../../src/http/linger';
import type { Logger } from '../../src/logger';
import type { BotConnector } from './client';
import { type BotActivity, parseActivity } from './schema';

/** The messaging endpoint registered in Azure Bot Service. */
export const MESSAGES_PATH = '/api/messages';
/** Activities are small; Teams' largest (a card submit with its data) stay far below this. */
export const MAX_ACTIVITY_BYTES = 512 * 1024;
export const MAX_ACTIVITY_DEPTH = 32;

/**
 * Mounts `POST /api/messages`: the SDK's JWT check before the body is read (401, nothing
 * processed), the body as bounded JSON, our schema (400 when an activity cannot be read), then
 * the SDK's own checks and `handle`, whose work is committed before the 200: an activity
 * answered 200 is never lost, and one whose handling failed is answered 5xx (503 when the
 * database cannot be reached) so the channel may send it again.
 */
export function mountMessages(
  app: Express,
  deps: {
    connector: BotConnector;
    handle(activity: BotActivity): Promise<void>;
    logger: Logger;
  },
): void {
  const authorize = (req: Request, res: Response, next: NextFunction) => {
    // The SDK answers a refused request (401) before its body is read: that connection is closed
    // after the answer, or Node would read the rest of the body, however long, on a kept-alive one.
    const status = res.status.bind(res);
    res.status = (code: number) => {
      if (code >= 400 && bodyUnread(req)) closeAfterAnswer(req, res);
      return status(code);
    };
    deps.connector
      .authorize(req, res, (err?: unknown) => {
        res.status = status;
        next(err);
      })
      .catch(next);
  };
  app.post(
    MESSAGES_PATH,
    authorize,
    jsonBody({ limit: MAX_ACTIVITY_BYTES, maxDepth: MAX_ACTIVITY_DEPTH, type: () => true }),
    async (req: Request, res: Response, next: NextFunction) => {
      const parsed = parseActivity(req.body);
      if (!parsed.ok) {
        deps.logger.warn({ error: parsed.error }, 'botframework: invalid activity');
        res.status(400).json({ error: { code: 'invalid_activity', message: parsed.error } });
        return;
      }
      try {
        await deps.connector.process(req, res, () => deps.handle(parsed.activity));
        if (!res.headersSent) res.status(200).end();
      } catch (err) {
        next(err);
      }
    },
  );
}

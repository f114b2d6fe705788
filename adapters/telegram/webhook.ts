import { hash, timingSafeEqual } from 'node:crypto';
import type { Express, NextFunction, Request, Response } from 'express';
import { jsonBody, refuseUnread } from '../../src/http/json-depth';
import type { Logger } from '../../src/logger';
import type { UpdateProcessor } from './processor';
import { parseUpdate } from './schema';

/** Path of the webhook on the main app. */
export const WEBHOOK_PATH = '/telegram/webhook';
/** Header in which Telegram sends the secret given to setWebhook. */
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
/**
 * Most bytes of one update read from the webhook. Updates are small: a message has at most 4,096
 * characters of text (1,024 of caption) with their entities, and may carry the message it replies
 * to, a quote and the bot's own keyboard — well under 100 KB even then. The cap is generous on
 * purpose: Telegram redelivers a refused (413) update and holds back every later one meanwhile.
 */
export const MAX_UPDATE_BYTES = 256 * 1024;
/**
 * Deepest nesting of arrays and objects in an update. Real updates nest about ten levels (a reply
 * to a message with an inline keyboard); deeper ones are not from Telegram.
 */
export const MAX_UPDATE_DEPTH = 32;

/**
 * A check of the secret header: true when `given` equals `secret`, in constant time — both are
 * hashed to 32 bytes first, so neither their content nor their length shows in the time taken.
 * The secret's hash is computed once. With no secret, nothing matches.
 *
 * @example
 * const matches = secretMatcher('abc');
 * matches('abc') // true
 */
export function secretMatcher(secret: string | null): (given: string | undefined) => boolean {
  if (!secret) return () => false;
  const expected = hash('sha256', secret, 'buffer');
  return (given) =>
    given !== undefined && timingSafeEqual(hash('sha256', given, 'buffer'), expected);
}

/**
 * Mounts `POST /telegram/webhook`: refuses a missing or wrong secret header (401, before the body
 * is read), a body over {@link MAX_UPDATE_BYTES} (413, without reading it), validates the JSON
 * update (400 with the first problem; 200 "ignored" for a numbered update it cannot read — also
 * one nested deeper than {@link MAX_UPDATE_DEPTH} — so Telegram does not hold back later ones),
 * records it and answers 200 at once; the update is processed afterwards, so a slow turn never
 * makes Telegram time out and deliver it again. A store failure answers 500, so Telegram retries.
 */
export function mountWebhook(
  app: Express,
  deps: { secret: string | null; processor: UpdateProcessor; logger: Logger },
): void {
  const matches = secretMatcher(deps.secret);
  const checkSecret = (req: Request, res: Response, next: NextFunction) => {
    if (!matches(req.get(SECRET_HEADER))) {
      deps.logger.warn({ ip: req.ip }, 'telegram webhook refused: wrong or missing secret');
      // The body is never read: the connection closes after the answer.
      refuseUnread(res, 401, 'unauthorized', 'bad secret token');
      return;
    }
    next();
  };
  app.post(
    WEBHOOK_PATH,
    checkSecret,
    jsonBody({
      limit: MAX_UPDATE_BYTES,
      maxDepth: MAX_UPDATE_DEPTH,
      type: () => true,
      onTooDeep: (req, res) => {
        const error = `JSON nested deeper than ${MAX_UPDATE_DEPTH} levels`;
        deps.logger.warn({ error }, 'telegram webhook: invalid update');
        // Only the top level of the body is read: anything recursive would overflow the stack.
        if (hasUpdateId(req.body)) {
          res.status(200).json({ ok: true, outcome: 'ignored', error });
          return;
        }
        res.status(400).json({ error: { code: 'invalid_update', message: error } });
      },
    }),
    async (req: Request, res: Response) => {
      const parsed = parseUpdate(req.body);
      if (!parsed.ok) {
        deps.logger.warn({ error: parsed.error }, 'telegram webhook: invalid update');
        // Telegram resends a refused update, and holds back every later one meanwhile: an update
        // it numbered but we cannot read is skipped, so one odd message never stalls the bot.
        if (hasUpdateId(req.body)) {
          res.status(200).json({ ok: true, outcome: 'ignored', error: parsed.error });
          return;
        }
        res.status(400).json({ error: { code: 'invalid_update', message: parsed.error } });
        return;
      }
      try {
        const outcome = await deps.processor.accept(parsed.update);
        res.status(200).json({ ok: true, outcome });
      } catch (err) {
        deps.logger.error({ err }, 'telegram webhook: update not recorded');
        res.status(500).json({ error: { code: 'internal', message: 'try again' } });
      }
    },
  );
}

function hasUpdateId(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    Number.isSafeInteger((body as { update_id?: unknown }).update_id)
  );
}

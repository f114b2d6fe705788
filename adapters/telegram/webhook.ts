import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../../src/logger';
import type { UpdateProcessor } from './processor';
import { parseUpdate } from './schema';

/** Path of the webhook on the main app. */
export const WEBHOOK_PATH = '/telegram/webhook';
/** Header in which Telegram sends the secret given to setWebhook. */
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/**
 * True when `given` equals `secret`, in constant time: both are hashed to 32 bytes first, so
 * neither their content nor their length shows in the time taken.
 *
 * @example
 * secretMatches('abc', 'abc') // true
 */
export function secretMatches(given: string | undefined, secret: string | null): boolean {
  if (!secret || given === undefined) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(secret).digest();
  return timingSafeEqual(a, b);
}

/**
 * Mounts `POST /telegram/webhook`: refuses a missing or wrong secret header (401, before the body
 * is read), validates the JSON update (400 with the first problem; 200 "ignored" for a numbered
 * update it cannot read, so Telegram does not hold back later ones), records it and answers 200
 * at once; the update is processed afterwards, so a slow turn never makes Telegram time out and
 * deliver it again. A store failure answers 500, so Telegram retries.
 */
export function mountWebhook(
  app: Express,
  deps: { secret: string | null; processor: UpdateProcessor; logger: Logger },
): void {
  const checkSecret = (req: Request, res: Response, next: NextFunction) => {
    if (!secretMatches(req.get(SECRET_HEADER), deps.secret)) {
      deps.logger.warn({ ip: req.ip }, 'telegram webhook refused: wrong or missing secret');
      res.status(401).json({ error: { code: 'unauthorized', message: 'bad secret token' } });
      return;
    }
    next();
  };
  app.post(
    WEBHOOK_PATH,
    checkSecret,
    express.json({ limit: '1mb', type: () => true }),
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

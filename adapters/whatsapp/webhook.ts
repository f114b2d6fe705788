import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { exceedsDepth, refuseUnread } from '../../src/http/json-depth';
import type { Logger } from '../../src/logger';
import type { MessageProcessor } from './processor';
import { parseWith, type WebhookPayload, webhookSchema } from './schema';
import { SIGNATURE_HEADER, signatureMatcher, tokenMatcher } from './signature';

/** Path of the webhook on the main app (the callback URL given to Meta is `<public URL>` + this). */
export const WEBHOOK_PATH = '/whatsapp/webhook';
/** Most bytes of one webhook call read: Meta's calls are at most 3 MB. */
export const MAX_WEBHOOK_BYTES = 3 * 1024 * 1024;
/** Deepest nesting of a call's JSON; Meta's nest about eight levels. */
export const MAX_WEBHOOK_DEPTH = 32;

export interface WebhookDeps {
  verifyToken: string;
  appSecret: string;
  processor: Pick<MessageProcessor, 'accept'>;
  logger: Logger;
}

/**
 * Mounts the WhatsApp webhook on the main app:
 * - `GET /whatsapp/webhook`: Meta's verification — `hub.mode=subscribe` with the configured
 *   `hub.verify_token` (compared in constant time) is answered with `hub.challenge` as plain
 *   text; anything else 403.
 * - `POST /whatsapp/webhook`: refuses a call without `X-Hub-Signature-256` before reading it
 *   (401); reads the body raw (`express.raw`, on this route only, at most
 *   {@link MAX_WEBHOOK_BYTES}) and checks the signature over those bytes with the app secret (401
 *   and nothing processed when it does not match); then keeps the messages and answers 200 at
 *   once — they are handled in the background. A signed call Suara cannot read is answered 200
 *   too (Meta would otherwise send it again for a day); one the store could not keep, 500.
 */
export function mountWebhook(app: Express, deps: WebhookDeps): void {
  const tokenMatches = tokenMatcher(deps.verifyToken);
  const signed = signatureMatcher(deps.appSecret);

  app.get(WEBHOOK_PATH, (req: Request, res: Response) => {
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    if (
      mode === 'subscribe' &&
      typeof token === 'string' &&
      tokenMatches(token) &&
      typeof challenge === 'string' &&
      /^[\w.-]{1,256}$/.test(challenge)
    ) {
      deps.logger.info({}, 'whatsapp: webhook verified by Meta');
      res.status(200).type('text/plain').send(challenge);
      return;
    }
    deps.logger.warn({ ip: req.ip }, 'whatsapp webhook verification refused');
    res.status(403).json({ error: { code: 'forbidden', message: 'verification failed' } });
  });

  const requireSignature = (req: Request, res: Response, next: NextFunction) => {
    if (!/^sha256=[0-9a-fA-F]{64}$/.test(req.get(SIGNATURE_HEADER)?.trim() ?? '')) {
      deps.logger.warn({ ip: req.ip }, 'whatsapp webhook refused: no signature');
      refuseUnread(res, 401, 'unauthorized', 'missing X-Hub-Signature-256');
      return;
    }
    next();
  };

  app.post(
    WEBHOOK_PATH,
    requireSignature,
    // The signature is over the bytes as sent: read them raw, on this route only.
    express.raw({ type: 'application/json', limit: MAX_WEBHOOK_BYTES, inflate: false }),
    async (req: Request, res: Response) => {
      const raw: unknown = req.body;
      if (!Buffer.isBuffer(raw)) {
        res.status(415).json({
          error: { code: 'unsupported_media_type', message: 'expected application/json' },
        });
        return;
      }
      if (!signed(raw, req.get(SIGNATURE_HEADER))) {
        deps.logger.warn({ ip: req.ip }, 'whatsapp webhook refused: bad signature');
        res.status(401).json({ error: { code: 'unauthorized', message: 'bad signature' } });
        return;
      }
      const read = readPayload(raw);
      if (!read.ok) {
        deps.logger.warn({ error: read.error }, 'whatsapp webhook: unreadable call ignored');
        res.status(200).json({ ok: true, outcome: 'ignored', error: read.error });
        return;
      }
      try {
        const outcome = await deps.processor.accept(read.payload);
        res.status(200).json({ ok: true, ...outcome });
      } catch (err) {
        deps.logger.error({ err }, 'whatsapp webhook: messages not kept');
        res.status(500).json({ error: { code: 'internal', message: 'try again' } });
      }
    },
  );
}

/** A signed body as a webhook call: JSON, bounded in depth, of the WhatsApp object. */
function readPayload(
  raw: Buffer,
): { ok: true; payload: WebhookPayload } | { ok: false; error: string } {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    return { ok: false, error: `not JSON: ${(err as Error).message}` };
  }
  if (exceedsDepth(body, MAX_WEBHOOK_DEPTH)) {
    return { ok: false, error: `JSON nested deeper than ${MAX_WEBHOOK_DEPTH} levels` };
  }
  const parsed = parseWith(webhookSchema, body);
  if (!parsed.ok) return parsed;
  if (parsed.value.object !== 'whatsapp_business_account') {
    return { ok: false, error: `object ${parsed.value.object}` };
  }
  return { ok: true, payload: parsed.value };
}

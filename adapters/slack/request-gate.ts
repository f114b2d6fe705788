import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { closeAfterAnswer } from '../../src/http/linger';

/** How far Slack's request timestamp may be from our time (Slack's documented 5 minutes). */
export const MAX_REQUEST_AGE_SECONDS = 5 * 60;

/**
 * The largest request body Slack's requests to Suara can need. Our interactions carry at most
 * one case message (about a dozen blocks of at most 3000 characters) or a modal with one
 * 3000-character input, form-encoded (percent-encoding can triple non-ASCII text): well under
 * 150 KB. Slash commands are a few hundred bytes. Bolt's own default is 4 MB, which let unsigned
 * bodies of that size be buffered before the signature check.
 */
export const SLACK_MAX_BODY_BYTES = 256 * 1024;

/**
 * Refuses, before a byte of the body is read, a request to the Slack endpoint that cannot be
 * Slack's: no `X-Slack-Signature`, no numeric `X-Slack-Request-Timestamp`, or a timestamp more
 * than 5 minutes from `nowMs()` (a replay). Answers `401` JSON and closes the connection. The
 * signature itself needs the body and is checked by Bolt's receiver after `limitBody`.
 */
export function slackRequestGate(nowMs: () => number): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const signature = req.headers['x-slack-signature'];
    const timestamp = req.headers['x-slack-request-timestamp'];
    const ts =
      typeof timestamp === 'string' && /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : NaN;
    const fresh = Math.abs(nowMs() / 1000 - ts) <= MAX_REQUEST_AGE_SECONDS;
    if (typeof signature === 'string' && signature.startsWith('v0=') && fresh) {
      next();
      return;
    }
    req.pause();
    closeAfterAnswer(req, res);
    res.status(401).json({
      error: { code: 'unauthorized', message: 'missing or stale Slack request signature' },
    });
  };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { closeAfterAnswer } from './linger';

/**
 * Answers 413 with the JSON error shape of the service, asks the client to close the connection
 * and stops reading the request: nothing more of the body is taken off the wire or buffered.
 */
function tooLarge(req: IncomingMessage, res: ServerResponse, maxBytes: number): void {
  // Pausing stops the flow to every reader (also one that started already); the connection
  // closes once the answer is written (gracefully: see closeAfterAnswer).
  req.pause();
  if (res.headersSent) {
    req.destroy();
    return;
  }
  const body = JSON.stringify({
    error: {
      code: 'payload_too_large',
      message: `request body larger than ${maxBytes} bytes`,
    },
  });
  closeAfterAnswer(req, res);
  res.writeHead(413, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * Express middleware that bounds a request body to `maxBytes` before anything buffers or parses
 * it. A `Content-Length` over the cap is answered `413` at once, without reading a byte of the
 * body (the handlers after it never run). A body without a length (chunked) is counted as it
 * is read by whoever reads it (express parsers, raw-body, Bolt's receiver); at the first byte
 * over the cap the request is answered `413` and no more is read. The answer is
 * `{"error":{"code":"payload_too_large","message":…}}` and the connection is closed.
 *
 * Counting starts when the body starts to flow, so a reader that attaches later loses nothing.
 *
 * @example
 * app.post('/webhook', limitBody(256 * 1024), express.json({ limit: '256kb' }), handler);
 */
export function limitBody(maxBytes: number): RequestHandler {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0)
    throw new RangeError(`limitBody: maxBytes must be a non-negative integer, got ${maxBytes}`);
  return (req: Request, res: Response, next: NextFunction) => {
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > maxBytes) {
      tooLarge(req, res, maxBytes);
      return;
    }
    let seen = 0;
    const count = (chunk: Buffer | string) => {
      seen += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      if (seen <= maxBytes) return;
      req.off('data', count);
      tooLarge(req, res, maxBytes);
    };
    // Listening to 'data' here would start the flow at once and lose chunks for a reader that
    // attaches a tick later: count from the moment a reader starts the flow instead. Prepended,
    // the count runs before the reader sees the chunk that goes over the cap.
    req.once('resume', () => {
      if (!req.readableEnded) req.prependListener('data', count);
    });
    req.once('end', () => req.off('data', count));
    next();
  };
}

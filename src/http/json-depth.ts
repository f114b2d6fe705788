import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { closeAfterAnswer } from './linger';

/**
 * JSON request bodies with bounds: how many bytes are read, and how deeply arrays and objects may
 * nest. `JSON.parse` itself copes with deep nesting, but what runs after it — zod, JSON.stringify,
 * the logger — recurses, and 100,000 nested arrays overflow the call stack. The depth is checked
 * here without recursion, before anything recursive sees the value.
 */

/** Deepest nesting of arrays and objects accepted in a JSON request body by default. */
export const MAX_JSON_DEPTH = 32;

/**
 * True when `value` nests arrays and objects more than `max` levels deep (a scalar is level 0,
 * `{"a": 1}` level 1, `[[1]]` level 2). Iterative, with its own stack: any depth is safe to
 * check, and it stops at the first container past `max`. Linear in the size of the value.
 *
 * @example
 * exceedsDepth({ a: [1, 2] }, 2) // false
 * exceedsDepth([[[]]], 2)        // true
 */
export function exceedsDepth(value: unknown, max: number): boolean {
  const values: unknown[] = [value];
  const levels: number[] = [0];
  while (values.length > 0) {
    const v = values.pop();
    const parent = levels.pop() ?? 0;
    if (typeof v !== 'object' || v === null) continue;
    const level = parent + 1;
    if (level > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) {
        values.push(child);
        levels.push(level);
      }
    }
  }
  return false;
}

/** How a route reads JSON bodies. */
export interface JsonBodyOptions {
  /**
   * Most bytes of body the route reads. A longer body is refused with 413 before it is read (by
   * its Content-Length) or as soon as it passes the limit (a chunked body), and the connection is
   * closed after the answer, so the rest of it is never read.
   */
  limit: number;
  /** Deepest nesting accepted (default {@link MAX_JSON_DEPTH}). */
  maxDepth?: number;
  /**
   * Which requests carry JSON (default: Content-Type `application/json` or `application/*+json`).
   * Others pass on unread, without a body.
   */
  type?: (req: Request) => boolean;
  /**
   * The answer to a body nested deeper than `maxDepth` (default: 400 `too_deep`). `req.body`
   * holds the parsed value: read only its top level.
   */
  onTooDeep?: (req: Request, res: Response) => void;
}

/**
 * An express JSON body parser with a byte limit that stops reading and a nesting limit checked
 * iteratively. Answers JSON errors itself: 413 `payload_too_large`, 415 `unsupported_encoding`
 * (compressed bodies are not accepted), 400 `bad_request` (not JSON) and 400 `too_deep`. An empty
 * body is `{}`, as with `express.json`.
 *
 * @example
 * router.use(jsonBody({ limit: 32 * 1024 }));
 */
export function jsonBody(options: JsonBodyOptions): RequestHandler {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  const isJson =
    options.type ?? ((req: Request) => Boolean(req.is(['application/json', 'application/*+json'])));
  const tooDeep =
    options.onTooDeep ??
    ((_req: Request, res: Response) => {
      res.status(400).json({
        error: { code: 'too_deep', message: `JSON nested deeper than ${maxDepth} levels` },
      });
    });

  return (req: Request, res: Response, next: NextFunction) => {
    if (!hasBody(req) || !isJson(req)) {
      next();
      return;
    }
    const encoding = (req.get('content-encoding') ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity') {
      refuseUnread(res, 415, 'unsupported_encoding', `Content-Encoding ${encoding} not accepted`);
      return;
    }
    const declared = req.get('content-length');
    if (declared !== undefined && Number(declared) > options.limit) {
      refuseUnread(res, 413, 'payload_too_large', tooLargeMessage(options.limit));
      return;
    }
    readBody(req, options.limit, (outcome) => {
      if (outcome === 'too_large') {
        refuseUnread(res, 413, 'payload_too_large', tooLargeMessage(options.limit));
        return;
      }
      if (outcome === 'aborted') {
        // The client went away mid-body: nobody reads an answer; close what is left.
        req.socket.destroy();
        return;
      }
      let body: unknown;
      try {
        body = parseJson(outcome);
      } catch (err) {
        res.status(400).json({
          error: {
            code: 'bad_request',
            message: `request body is not valid JSON: ${(err as Error).message}`,
          },
        });
        return;
      }
      req.body = body;
      if (exceedsDepth(body, maxDepth)) {
        tooDeep(req, res);
        return;
      }
      next();
    });
  };
}

/**
 * Refuses a request whose body was not (all) read, and closes the connection after the answer:
 * on a kept-alive connection Node would otherwise read the rest of the body to reach the next
 * request, however long it is.
 */
export function refuseUnread(res: Response, status: number, code: string, message: string): void {
  closeAfterAnswer(res.req, res);
  res.status(status).json({ error: { code, message } });
}

/** True when the request has a body that was not (all) read. */
export function bodyUnread(req: Request): boolean {
  return hasBody(req) && !req.complete;
}

function tooLargeMessage(limit: number): string {
  return `request body larger than ${limit} bytes`;
}

/** True when the request has a body (a non-zero Content-Length, or Transfer-Encoding). */
function hasBody(req: Request): boolean {
  const length = req.get('content-length');
  return req.get('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
}

/** Reads at most `limit` bytes of the body; past it, stops reading at once. */
function readBody(
  req: Request,
  limit: number,
  done: (outcome: Buffer | 'too_large' | 'aborted') => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (outcome: Buffer | 'too_large' | 'aborted') => {
    if (finished) return;
    finished = true;
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onAborted);
    req.off('close', onAborted);
    done(outcome);
  };
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      req.pause();
      finish('too_large');
      return;
    }
    chunks.push(chunk);
  };
  const onEnd = () => finish(Buffer.concat(chunks, size));
  const onAborted = () => finish('aborted');
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onAborted);
  req.on('close', onAborted);
}

/** JSON.parse of a UTF-8 body (a leading byte order mark is ignored); empty is `{}`. */
function parseJson(buffer: Buffer): unknown {
  const text = buffer.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') return {};
  return JSON.parse(text);
}

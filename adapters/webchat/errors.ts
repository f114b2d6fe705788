import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from '../../src/logger';

/** The error codes of the Direct Line 3.0 error shape that this endpoint answers with. */
export type DirectLineErrorCode =
  | 'BadArgument'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'TooManyRequests'
  | 'MessageSizeExceeded'
  | 'ServiceError';

/**
 * A refused request, answered as `{ "error": { "code", "message" } }` with its HTTP status.
 *
 * @example
 * throw new DirectLineError(403, 'Forbidden', 'token expired');
 */
export class DirectLineError extends Error {
  constructor(
    readonly status: number,
    readonly code: DirectLineErrorCode,
    message: string,
    /** Seconds for the `Retry-After` header (429). */
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = 'DirectLineError';
  }
}

/** 400 BadArgument. */
export const badArgument = (message: string) => new DirectLineError(400, 'BadArgument', message);
/** 401 Unauthorized: no credentials. */
export const unauthorized = (message: string) => new DirectLineError(401, 'Unauthorized', message);
/** 403 Forbidden: bad, expired or foreign credentials. */
export const forbidden = (message: string) => new DirectLineError(403, 'Forbidden', message);
/** 404 NotFound. */
export const notFound = (message: string) => new DirectLineError(404, 'NotFound', message);
/** 413 MessageSizeExceeded. */
export const tooLarge = (message: string) =>
  new DirectLineError(413, 'MessageSizeExceeded', message);
/** 429 TooManyRequests with Retry-After. */
export const tooMany = (retryAfterS: number) =>
  new DirectLineError(
    429,
    'TooManyRequests',
    `too many requests; retry in ${retryAfterS} s`,
    retryAfterS,
  );

/** Writes the error in the Direct Line shape. */
export function sendError(res: Response, err: DirectLineError): void {
  if (err.retryAfterS !== undefined) res.set('Retry-After', String(err.retryAfterS));
  res.status(err.status).json({ error: { code: err.code, message: err.message } });
}

/**
 * The last handler of the Direct Line router: DirectLineErrors as they are, body-parser errors as
 * 413 (body too large), 415 (not UTF-8) or 400 (not JSON, or any other fault of the request), and
 * anything else as a logged 500 ServiceError.
 */
export function directLineErrors(logger: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (err instanceof DirectLineError) return sendError(res, err);
    const { type, status, limit } = (err ?? {}) as {
      type?: unknown;
      status?: unknown;
      limit?: unknown;
    };
    if (type === 'entity.too.large') {
      const most = typeof limit === 'number' ? ` ${sizeText(limit)}` : '';
      return sendError(
        res,
        tooLarge(`request body is larger than this call takes (at most${most})`),
      );
    }
    if (type === 'charset.unsupported') {
      return sendError(res, new DirectLineError(415, 'BadArgument', 'send JSON in UTF-8'));
    }
    if (type === 'entity.parse.failed' || type === 'encoding.unsupported') {
      return sendError(res, badArgument('request body is not valid JSON'));
    }
    // Other body-parser refusals (aborted, bad length…) are the client's doing: no 500, no log.
    if (typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500) {
      return sendError(res, badArgument('malformed request body'));
    }
    logger.error({ err }, 'web chat request failed');
    sendError(res, new DirectLineError(500, 'ServiceError', 'internal error'));
  };
}

/** Bytes as people read them: `16 KB`, `4 KB`, `1500 bytes`. */
function sizeText(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KB` : `${bytes} bytes`;
}

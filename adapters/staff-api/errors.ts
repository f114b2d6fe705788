import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import { CodedError, issueLines } from '../../src/errors';
import { bodyUnread } from '../../src/http/json-depth';
import { closeAfterAnswer } from '../../src/http/linger';

/**
 * A refusal of the staff API: an HTTP status and the `{ error: { code, message } }` it answers,
 * with optional headers (`WWW-Authenticate`). Thrown by the routes and answered by
 * {@link staffApiErrors}.
 *
 * @example
 * throw new StaffApiError(404, 'not_found', 'no case ADU-7K3M9Q');
 */
export class StaffApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'StaffApiError';
  }
}

/** 400 `invalid_request` with one readable line per problem (zod issues). */
export function invalidRequest(error: z.ZodError): StaffApiError {
  return new StaffApiError(400, 'invalid_request', issueLines(error.issues).join('; '));
}

/** 404 for a case that does not exist or that the key may not see: both read the same. */
export function caseNotFound(typed: string): StaffApiError {
  return new StaffApiError(404, 'not_found', `no case ${JSON.stringify(typed.slice(0, 40))}`);
}

/**
 * The HTTP status of each refusal of the case rules and the read model. The body of a request
 * that breaks the API schema is a 400 before any of these; these are refusals of a well-formed
 * request: 404 (no case, or another agency's, answered alike), 409 (the case is not in a state
 * that allows it, or it changed meanwhile), 422 (the request names something the rules refuse).
 */
const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  not_found: 404,
  forbidden: 404,
  invalid_transition: 409,
  conflict: 409,
  note_required: 422,
  note_too_long: 422,
  unknown_agency: 422,
  same_agency: 422,
  bad_cursor: 400,
  bad_request: 400,
};

/**
 * The API refusal of an error thrown by the case service, the staff rules or the read model, or
 * null when it is no refusal (a storage failure: the service's 500/503 handlers answer it).
 * `trackingId` is the id the client asked for: a case of another agency is answered exactly as a
 * missing one, so nothing about it leaks.
 */
export function refusalOf(err: unknown, trackingId?: string): StaffApiError | null {
  if (!(err instanceof CodedError)) return null;
  const status = STATUS_OF_CODE[err.code];
  if (status === undefined) return null;
  if (status === 404) return caseNotFound(trackingId ?? '');
  return new StaffApiError(status, err.code, err.message);
}

/**
 * The staff API's error handler: answers a {@link StaffApiError} (or a refusal, see
 * {@link refusalOf}) as JSON; anything else goes on to the service's handlers. A request
 * answered before its body was read has its connection closed after the answer.
 */
export function staffApiErrors(err: unknown, req: Request, res: Response, next: NextFunction) {
  const refusal = err instanceof StaffApiError ? err : refusalOf(err);
  if (!refusal || res.headersSent) {
    next(err);
    return;
  }
  if (bodyUnread(req)) closeAfterAnswer(req, res);
  res
    .status(refusal.status)
    .set(refusal.headers)
    .json({ error: { code: refusal.code, message: refusal.message } });
}

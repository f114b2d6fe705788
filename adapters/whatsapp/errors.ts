import { types } from 'node:util';
import type { SendResult } from '../../src/outbox/sender';

/**
 * A Graph API call that Meta answered with an error: the HTTP status and Meta's error `code`
 * (the number its documentation lists, e.g. 131047), with the message and details it gave.
 * Never holds the access token or the request.
 */
export class GraphError extends Error {
  override readonly name = 'GraphError';

  constructor(
    readonly status: number,
    readonly code: number | null,
    message: string,
    /** `Retry-After`, when the answer had one, in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** Re-engagement: more than 24 hours passed since the user last wrote; only a template goes out. */
export const REENGAGEMENT_REQUIRED = 131047;

/** Throughput (130429: the number's messages per second) and pair rate (131056: one user). */
const THROTTLED = new Set([130429, 131056, 4, 80007]);

/** Temporary on Meta's side: service unavailable, unknown error, API down, too many calls. */
const TEMPORARY = new Set([1, 2, 131000, 131016, 133004]);

/**
 * Our own credentials or settings (expired or revoked token, missing permission, the number not
 * registered): an operator can fix them, so the message waits and is retried meanwhile.
 */
const OUR_SETUP = new Set([0, 3, 10, 190, 131031, 133010]);

/**
 * The recipient cannot get it: not a WhatsApp user or too old a client (131026), not on the
 * test number's allowed list (131030), the sender itself (131021), no such BSUID (131060).
 */
export const INVALID_RECIPIENT = new Set([131026, 131030, 131021, 131060]);

/**
 * What a failed Graph API call means for a delivery:
 * - 131047 (re-engagement required): retry at once — the sender sends the template instead;
 * - throughput and pair-rate limits (130429, 131056), Meta's temporary errors, 5xx and 429:
 *   retry after the outbox's backoff (or `Retry-After`);
 * - our token or setup (190, 10, 0…): retry, so an operator can fix it within the time budget;
 * - an invalid recipient (131026, 131030…) and any other refusal (a bad template, a parameter
 *   Meta rejects): undeliverable — the same call would be refused again;
 * - a network error: retry, `uncertain` when the request may have gone out.
 *
 * @example
 * classifyError(new GraphError(400, 130429, '(#130429) Rate limit hit'))
 * // { status: 'retry', error: 'WhatsApp 130429: (#130429) Rate limit hit' }
 */
export function classifyError(err: unknown): Exclude<SendResult, { status: 'sent' }> {
  if (err instanceof GraphError) {
    const error = err.code !== null ? `WhatsApp ${err.code}: ${err.message}` : err.message;
    const wait = err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {};
    if (err.code === REENGAGEMENT_REQUIRED) return { status: 'retry', error, retryAfterMs: 0 };
    if (err.code !== null && INVALID_RECIPIENT.has(err.code)) {
      return { status: 'undeliverable', error };
    }
    const code = err.code ?? -1;
    if (THROTTLED.has(code) || TEMPORARY.has(code) || OUR_SETUP.has(code)) {
      return { status: 'retry', error, ...wait };
    }
    if (err.status >= 500 || err.status === 429 || err.status === 401 || err.status === 0) {
      return { status: 'retry', error, ...wait };
    }
    return { status: 'undeliverable', error };
  }
  const message = isError(err) ? err.message : String(err);
  return mayHaveArrived(err)
    ? { status: 'retry', error: message, uncertain: true }
    : { status: 'retry', error: message };
}

/** True when a failed call was refused with 131047: the sender must use the template. */
export function needsTemplate(err: unknown): boolean {
  return err instanceof GraphError && err.code === REENGAGEMENT_REQUIRED;
}

/** Network errors raised before the request could reach Meta: it surely did not arrive. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * True when a failed call may still have reached Meta: it was aborted (our time limit) or the
 * connection broke after the request went out. Refused connections and failed look-ups never
 * sent anything. (fetch reports network errors as a TypeError whose `cause` has the code.)
 */
function mayHaveArrived(err: unknown): boolean {
  if (!isError(err)) return true;
  if (err.name === 'AbortError' || err.name === 'TimeoutError') return true;
  const cause = (err as { cause?: unknown }).cause;
  const code = (cause as { code?: unknown } | undefined)?.code ?? (err as { code?: unknown }).code;
  return !(typeof code === 'string' && NOT_SENT.has(code));
}

/** An Error, also one made in another realm (Node's own network errors, seen from a test VM). */
function isError(err: unknown): err is Error {
  return err instanceof Error || types.isNativeError(err);
}

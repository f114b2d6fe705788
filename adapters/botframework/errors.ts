import type { SendResult } from '../../src/outbox/sender';

/** The parts of the SDK's `HttpError` Suara reads (a failed Bot Connector call). */
interface HttpFailure {
  status: number;
  message: string;
  response?: { headers?: { get(name: string): string | null } };
}

function isHttpFailure(err: unknown): err is HttpFailure {
  return (
    err instanceof Error &&
    err.name === 'HttpError' &&
    typeof (err as { status?: unknown }).status === 'number'
  );
}

/**
 * What a failed Bot Connector call means for a delivery:
 * - 429 and 5xx: retry, after `Retry-After` when the connector says (seconds or an HTTP date);
 * - 403 (the app was removed, the user blocked it), 404 (the conversation is gone), 400, 413 and
 *   any other 4xx (the same activity would be refused again): undeliverable;
 * - 401 (our credentials; an operator can fix them), 408, network and token errors: retry.
 *
 * @example
 * classifyError(httpError(429, { 'retry-after': '3' }), now)
 * // { status: 'retry', error: 'Request failed with status 429', retryAfterMs: 3000 }
 */
export function classifyError(err: unknown, now: Date): Exclude<SendResult, { status: 'sent' }> {
  if (isHttpFailure(err)) {
    const error = err.message;
    // Any other 4xx but 401 (our credentials), 408 (a timeout) and 429 would be refused again.
    if (err.status >= 400 && err.status < 500 && ![401, 408, 429].includes(err.status)) {
      return { status: 'undeliverable', error };
    }
    const retryAfterMs = retryAfter(err.response?.headers?.get('retry-after') ?? null, now);
    return retryAfterMs !== undefined
      ? { status: 'retry', error, retryAfterMs }
      : { status: 'retry', error };
  }
  const message = err instanceof Error ? err.message : String(err);
  // The SDK refused to build the activity: the same payload would be refused again.
  if (err instanceof Error && err.name === 'ZodError') {
    return { status: 'undeliverable', error: `activity refused by the SDK: ${message}` };
  }
  // A send cut off after the request went out may have been delivered.
  return err instanceof Error && err.name === 'AbortError'
    ? { status: 'retry', error: message, uncertain: true }
    : { status: 'retry', error: message };
}

/** `Retry-After` in ms: delta seconds or an HTTP date; undefined when absent or unreadable. */
function retryAfter(value: string | null, now: Date): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d{1,7}$/.test(value.trim())) return Number(value.trim()) * 1000;
  // An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`): Date.parse alone reads '1.5' as a date.
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value.trim())) {
    return undefined;
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

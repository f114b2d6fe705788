import { types } from 'node:util';
import { TelegramError } from 'telegraf';
import type { SendResult } from '../../src/outbox/sender';

/**
 * What a failed Bot API call means for a delivery:
 * - 429: retry after `parameters.retry_after` seconds;
 * - 5xx, network errors, 401/404/409 (a configuration problem an operator can fix): retry;
 * - 403 (bot blocked, kicked), 400 "chat not found" and any other 400 (the same request would
 *   be refused again): undeliverable.
 *
 * @example
 * classifyError(new TelegramError({ error_code: 429, description: 'Too Many Requests',
 *   parameters: { retry_after: 3 } })) // { status: 'retry', error: '429: …', retryAfterMs: 3000 }
 */
export function classifyError(err: unknown): Exclude<SendResult, { status: 'sent' }> {
  if (err instanceof TelegramError) {
    const error = err.message;
    const code = err.code;
    if (code === 429) {
      const seconds = err.parameters?.retry_after;
      return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0
        ? { status: 'retry', error, retryAfterMs: seconds * 1000 }
        : { status: 'retry', error };
    }
    // 403: blocked or kicked; 400: chat not found, user deactivated… The same call would fail again.
    if (code === 403 || code === 400) return { status: 'undeliverable', error };
    return { status: 'retry', error };
  }
  const message = isError(err) ? err.message : String(err);
  return mayHaveArrived(err)
    ? { status: 'retry', error: message, uncertain: true }
    : { status: 'retry', error: message };
}

/** Network errors raised before the request could reach Telegram: it surely did not arrive. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * True when a failed call may still have reached Telegram: it was aborted (our time limit) or
 * the connection broke after the request went out (reset, hang-up), so sendMessage may have
 * delivered. Refused connections and failed DNS look-ups never sent anything.
 */
function mayHaveArrived(err: unknown): boolean {
  if (!isError(err)) return true;
  if (err.name === 'AbortError') return true;
  const code = (err as { code?: unknown; errno?: unknown }).code;
  return !(typeof code === 'string' && NOT_SENT.has(code));
}

/**
 * A failed call's error as it may be logged and stored: the token's secret part (after `:`,
 * quoted by errors that show the request URL) is hidden in the message and stack, and a
 * TelegramError loses the request payload telegraf attaches to it (it holds the webhook secret
 * of setWebhook and the citizens' messages of sendMessage).
 *
 * @example
 * safeError(new Error('GET /bot123:AAE-x/getMe failed'), 'getMe', '123:AAE-x').message
 * // 'GET /bot123:[REDACTED]/getMe failed'
 */
export function safeError(err: unknown, method: string, token: string): unknown {
  if (err instanceof TelegramError) return new TelegramError(err.response, { method });
  const secret = token.slice(token.indexOf(':') + 1);
  if (!isError(err) || secret === '') return err;
  const hide = (s: string) => s.split(secret).join('[REDACTED]');
  err.message = hide(err.message);
  if (err.stack) err.stack = hide(err.stack);
  return err;
}

/** An Error, also one made in another realm (Node's own network errors, seen from a test VM). */
function isError(err: unknown): err is Error {
  return err instanceof Error || types.isNativeError(err);
}

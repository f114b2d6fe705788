import { type Logger as BoltLogger, LogLevel, webApi } from '@slack/bolt';
import type { Logger } from '../../src/logger';
import type { SendResult } from '../../src/outbox/sender';

/** Web API errors that no retry will fix: the bot cannot post there, or its token is bad. */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'missing_scope',
  'restricted_action',
  'invalid_blocks',
  'invalid_arguments',
  'msg_too_long',
  'no_text',
]);

/** The Slack error code of a failed Web API call (`channel_not_found`…), if it has one. */
export function slackErrorCode(err: unknown): string | undefined {
  return err instanceof webApi.WebAPIPlatformError ? err.data.error : undefined;
}

/**
 * What a failed Web API call means for the outbox: 429 → retry after Slack's Retry-After;
 * channel_not_found / not_in_channel / invalid_auth and other permanent errors → undeliverable;
 * anything else (network, 5xx, Slack's own hiccups) → retry with backoff.
 */
export function sendResultOf(err: unknown): SendResult {
  if (err instanceof webApi.WebAPIRateLimitedError) {
    return { status: 'retry', error: 'rate limited', retryAfterMs: err.retryAfter * 1000 };
  }
  const code = slackErrorCode(err);
  if (code && PERMANENT.has(code)) return { status: 'undeliverable', error: code };
  if (code) return { status: 'retry', error: code };
  if (err instanceof webApi.WebAPIHTTPError)
    return { status: 'retry', error: `HTTP ${err.statusCode}` };
  return { status: 'retry', error: err instanceof Error ? err.message : String(err) };
}

/** The longest message Bolt or the Web API client may put in our log. */
const LOG_TEXT_MAX = 200;

/**
 * A Bolt or Web API log message without what may carry personal data: only its string parts
 * (objects, which may be request or response bodies, are left out; errors show their name and
 * Slack code), with quoted snippets (JSON parse errors quote the body) cut out, at most 200
 * characters.
 */
function scrubbed(parts: unknown[]): string {
  const text = parts
    .map((p) =>
      typeof p === 'string' ? p : p instanceof Error ? (slackErrorCode(p) ?? p.name) : '',
    )
    .filter(Boolean)
    .join(' ')
    .replace(/"[^"]*"?|'[^']*'?|`[^`]*`?/g, '"…"');
  return text.length > LOG_TEXT_MAX ? `${text.slice(0, LOG_TEXT_MAX - 1)}…` : text;
}

/**
 * Bolt's and the Web API client's logger on top of the service logger. Their debug output
 * (whole request and response bodies: names, NIK and phone numbers of citizens, tokens in
 * headers) is never emitted, at any `LOG_LEVEL`; their info, warnings and errors are logged
 * scrubbed (see `scrubbed`). Debug-level Slack logging is off even when the service logs debug.
 */
export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  return {
    debug: () => {},
    info: (...m: unknown[]) => logger.info({ component: 'slack' }, scrubbed(m)),
    warn: (...m: unknown[]) => logger.warn({ component: 'slack' }, scrubbed(m)),
    error: (...m: unknown[]) => logger.error({ component: 'slack' }, scrubbed(m)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

/**
 * What our own log lines say about an error from Slack, the store or the core: its name, its
 * code, its message scrubbed and its stack frames — never the error object itself, whose fields (a failed Web API
 * request's config and body, a response's body) can hold the posted case text and the token.
 */
export function errorFields(err: unknown): { error: string; code?: string; stack?: string } {
  const code =
    slackErrorCode(err) ??
    (err instanceof Error && typeof (err as { code?: unknown }).code === 'string'
      ? String((err as { code?: unknown }).code)
      : undefined);
  const error = err instanceof Error ? `${err.name}: ${scrubbed([err.message])}` : typeof err;
  // The frames only: the stack's first line repeats the message.
  const stack = err instanceof Error ? err.stack?.split('\n').slice(1, 9).join('\n') : undefined;
  return { error, ...(code ? { code } : {}), ...(stack ? { stack } : {}) };
}

/** How the Web API client retries by itself before giving up (the outbox retries too). */
export type RetryConfig = webApi.RetryOptions;

/** The Web API client: the bot token, `SLACK_API_URL`, and 429s handed back to the caller. */
export function createWebClient(options: {
  token: string;
  apiUrl: string;
  logger: Logger;
  retryConfig: RetryConfig;
  timeoutMs: number;
}): webApi.WebClient {
  return new webApi.WebClient(options.token, {
    slackApiUrl: options.apiUrl,
    logger: boltLogger(options.logger),
    retryConfig: options.retryConfig,
    timeout: options.timeoutMs,
    // The outbox waits Retry-After and tries again; the client must not sleep on it.
    rejectRateLimitedCalls: true,
  });
}

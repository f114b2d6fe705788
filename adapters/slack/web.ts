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

/** Bolt's and the Web API client's logger on top of the service logger. */
export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const text = (parts: unknown[]) =>
    parts
      .map((p) => (p instanceof Error ? p.message : typeof p === 'string' ? p : JSON.stringify(p)))
      .join(' ');
  return {
    debug: (...m: unknown[]) => logger.debug({ component: 'slack' }, text(m)),
    info: (...m: unknown[]) => logger.info({ component: 'slack' }, text(m)),
    warn: (...m: unknown[]) => logger.warn({ component: 'slack' }, text(m)),
    error: (...m: unknown[]) => logger.error({ component: 'slack' }, text(m)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
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

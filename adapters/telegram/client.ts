import { Telegram } from 'telegraf';
import type { TelegramConfig } from '../../src/config/env';
import type { SendResult } from '../../src/outbox/sender';
import { classifyError, safeError } from './errors';
import type { SendMessageParams } from './render';

/**
 * The Bot API client (telegraf's `Telegram`) for the configured token and API root. Never answers
 * through the webhook response (`webhookReply: false`): every call is a real request whose result
 * we see. Its errors are safe to log and store (see {@link safeError}): no token (some errors,
 * e.g. for a proxy's HTML answer, quote the request URL, which contains it), no webhook secret.
 */
export function createClient(config: TelegramConfig): Telegram {
  // A trailing slash keeps a path in the API root (self-hosted Bot API servers behind a prefix).
  const client = new Telegram(config.token, { apiRoot: `${config.apiRoot}/`, webhookReply: false });
  // Every method (answerCbQuery, setWebhook…) goes through callApi.
  const callApi = client.callApi.bind(client);
  const guarded = async (...args: Parameters<typeof callApi>) => {
    try {
      return await callApi(...args);
    } catch (err) {
      throw safeError(err, args[0], config.token);
    }
  };
  client.callApi = guarded as typeof client.callApi;
  return client;
}

export interface SendOptions {
  /** Attempts per message in all (1: no retry here; the outbox dispatcher retries). */
  attempts: number;
  /** Longest wait between attempts; a longer `retry_after` gives up instead. */
  maxWaitMs: number;
  /** Waits (setTimeout in production; injectable so tests need not wait). */
  sleep: (ms: number) => Promise<void>;
}

/**
 * Sends messages in order. A temporary failure (429, 5xx, network) is retried up to `attempts`
 * times, waiting `retry_after` or a short backoff; the first failure that remains stops the rest
 * (so the citizen never sees later messages without the earlier ones).
 */
export async function sendMessages(
  client: Telegram,
  messages: SendMessageParams[],
  options: SendOptions,
): Promise<SendResult> {
  for (const message of messages) {
    let result: SendResult = { status: 'sent' };
    for (let attempt = 1; attempt <= options.attempts; attempt++) {
      try {
        await client.callApi('sendMessage', message);
        result = { status: 'sent' };
        break;
      } catch (err) {
        result = classifyError(err);
        if (result.status !== 'retry' || attempt === options.attempts) break;
        const wait = result.retryAfterMs ?? 500 * 2 ** (attempt - 1);
        if (wait > options.maxWaitMs) break;
        await options.sleep(wait);
      }
    }
    if (result.status !== 'sent') return result;
  }
  return { status: 'sent' };
}

/** A real wait. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

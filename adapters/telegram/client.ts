import { Agent as HttpAgent } from 'node:http';
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
  // telegraf keeps connections alive to an https API root but opens a new one per call to an
  // http one (a self-hosted Bot API server next to the service): keep those alive too.
  if (config.apiRoot.startsWith('http://')) {
    client.options.agent = new HttpAgent({ keepAlive: true, keepAliveMsecs: 10_000 });
  }
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
  /** Aborts the call in flight (the outbox's send time limit). */
  signal: AbortSignal;
  /** Messages of this delivery sent by earlier attempts (added to the reported progress). */
  delivered: number;
}

/**
 * Sends messages in order, one attempt each (the outbox retries); the first failure stops the
 * rest, so the citizen never sees later messages without the earlier ones, and reports how many
 * were delivered (`progress`), so a retry resumes after them instead of repeating them.
 */
export async function sendMessages(
  client: Telegram,
  messages: SendMessageParams[],
  options: SendOptions,
): Promise<SendResult> {
  // telegraf types the signal as the abort-controller shim's; node-fetch takes Node's own.
  const signal = options.signal as unknown as NonNullable<CallOptions>['signal'];
  for (const [i, message] of messages.entries()) {
    try {
      await client.callApi('sendMessage', message, { signal });
    } catch (err) {
      const result = classifyError(err);
      return { ...result, progress: options.delivered + i };
    }
  }
  return { status: 'sent' };
}

type CallOptions = Parameters<Telegram['callApi']>[2];

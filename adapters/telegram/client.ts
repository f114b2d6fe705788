import { STATUS_CODES } from 'node:http';
import { Telegram, TelegramError } from 'telegraf';
import { buildConnector, Pool } from 'undici';
import type { TelegramConfig } from '../../src/config/env';
import type { SendResult } from '../../src/outbox/sender';
import { classifyError, safeError } from './errors';
import type { SendMessageParams } from './render';

/** Most bytes of a Bot API answer read (a getUpdates batch of 100 large updates fits). */
const MAX_ANSWER_BYTES = 32 * 1024 * 1024;
/**
 * How long a connection to the Bot API may stay idle before we close it: before a server's
 * keep-alive timeout can close it under a new request (undici also honours a server's
 * `Keep-Alive: timeout` hint; nginx, in front of api.telegram.org, keeps connections 75 s).
 */
const IDLE_CONNECTION_MS = 4_000;
/** Connections to the Bot API at most (the outbox sends up to 32 Telegram messages at once). */
const MAX_CONNECTIONS = 64;

/**
 * The Bot API client (telegraf's `Telegram`, for its typed methods) for the configured token and
 * API root, with its network layer replaced: every method goes through one JSON POST on a
 * kept-alive connection of an undici `Pool`. telegraf's own layer (node-fetch, a form-data check
 * of every payload, a URL built per call) was about a tenth of the service's CPU under load, and
 * node:http's client with its Agent about as much again; undici, the HTTP client Node's own
 * `fetch` is built on, costs about half of that per call. Suara sends no files, so JSON is all
 * it needs. Never answers through the webhook response: every call is a real request whose
 * result we see. Errors are those telegraf raises (`TelegramError` for an answer with
 * `ok: false` or a 5xx) and are safe to log and store (see {@link safeError}): no token, no
 * webhook secret, no payload.
 */
export function createClient(config: TelegramConfig): Telegram {
  const client = new Telegram(config.token, { apiRoot: `${config.apiRoot}/`, webhookReply: false });
  const call = botApiCall(config);
  client.callApi = (async (method: string, payload: unknown, options?: { signal?: unknown }) => {
    try {
      return await call(method, payload, options?.signal as AbortSignal | undefined);
    } catch (err) {
      throw safeError(err, method, config.token);
    }
  }) as Telegram['callApi'];
  // Every method (sendMessage, answerCbQuery, setWebhook…) goes through callApi.
  return client;
}

/**
 * One Bot API call: `POST {apiRoot}/bot{token}/{method}` with a JSON body. Resolves with the
 * answer's `result`; rejects with a `TelegramError` for `ok: false` or a 5xx, and a plain Error
 * for a network failure (with its `code`: Node's for a refused connection, undici's
 * `UND_ERR_SOCKET` for one that broke), an abort or an answer that is not JSON. A path in the API
 * root (self-hosted Bot API servers behind a prefix) is kept.
 *
 * A request is never sent twice here: one cut after it went out may have been delivered, and
 * the outbox decides whether to send it again (see `classifyError`, `uncertain`).
 */
function botApiCall(config: TelegramConfig) {
  const root = new URL(`${config.apiRoot}/`);
  const connector = buildConnector({});
  const pool = new Pool(root.origin, {
    // Like node:http's Agent: a kept-alive connection does not keep the process alive (the
    // caller's own time limit does while a call is in flight).
    connect: (options, done) =>
      connector(options, (...result) => {
        result[1]?.unref();
        done(...result);
      }),
    connections: MAX_CONNECTIONS,
    keepAliveTimeout: IDLE_CONNECTION_MS,
    maxResponseSize: MAX_ANSWER_BYTES,
  });
  const prefix = `${root.pathname.replace(/\/+$/, '')}/bot${config.token}/`;
  const headers = { 'content-type': 'application/json' };
  return async (method: string, payload: unknown, signal?: AbortSignal): Promise<unknown> => {
    const res = await pool.request({
      path: prefix + method,
      method: 'POST',
      headers,
      body: JSON.stringify(payload ?? {}),
      signal,
    });
    const text = await res.body.text();
    const status = res.statusCode;
    if (status >= 500) {
      const description = STATUS_CODES[status] ?? 'Server Error';
      throw new TelegramError({ error_code: status, description }, { method });
    }
    let answer: { ok?: unknown; result?: unknown };
    try {
      answer = JSON.parse(text);
    } catch {
      throw new Error(`Bot API ${method}: HTTP ${status}, the answer is not JSON`);
    }
    if (answer?.ok === true) return answer.result;
    throw new TelegramError(answer as TelegramError['response'], { method });
  };
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
  // telegraf types the signal as the abort-controller shim's; ours is Node's own.
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

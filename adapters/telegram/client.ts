import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Telegram, TelegramError } from 'telegraf';
import type { TelegramConfig } from '../../src/config/env';
import type { SendResult } from '../../src/outbox/sender';
import { classifyError, safeError } from './errors';
import type { SendMessageParams } from './render';

/** Most bytes of a Bot API answer read (a getUpdates batch of 100 large updates fits). */
const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/**
 * The Bot API client (telegraf's `Telegram`, for its typed methods) for the configured token and
 * API root, with its network layer replaced: every method goes through one JSON POST on a
 * kept-alive connection (node:http or node:https). telegraf's own layer (node-fetch, a form-data
 * check of every payload, a URL built per call) was about a tenth of the service's CPU under load;
 * Suara sends no files, so JSON is all it needs. Never answers through the webhook response:
 * every call is a real request whose result we see. Errors are those telegraf raises
 * (`TelegramError` for an answer with `ok: false` or a 5xx) and are safe to log and store (see
 * {@link safeError}): no token, no webhook secret, no payload.
 */
export function createClient(config: TelegramConfig): Telegram {
  const client = new Telegram(config.token, { apiRoot: `${config.apiRoot}/`, webhookReply: false });
  const call = botApiCall(config);
  const guarded = async (...args: Parameters<Telegram['callApi']>) => {
    const [method, payload, options] = args;
    try {
      return await call(method, payload, options?.signal as AbortSignal | undefined);
    } catch (err) {
      throw safeError(err, method, config.token);
    }
  };
  // Every method (sendMessage, answerCbQuery, setWebhook…) goes through callApi.
  client.callApi = guarded as Telegram['callApi'];
  return client;
}

/**
 * One Bot API call: `POST {apiRoot}/bot{token}/{method}` with a JSON body. Resolves with the
 * answer's `result`; rejects with a `TelegramError` for `ok: false` or a 5xx, and a plain Error
 * for a network failure (Node's, with its `code`), an abort (`AbortError`) or an answer that is
 * not JSON. A trailing slash keeps a path in the API root (self-hosted Bot API servers behind a
 * prefix).
 */
function botApiCall(config: TelegramConfig) {
  const root = new URL(`${config.apiRoot}/`);
  const secure = root.protocol === 'https:';
  // An idle connection is closed by us before a server's keep-alive timeout can close it under a
  // new request (Node's own default is 5 s; nginx's 75 s).
  const agentOptions = { keepAlive: true, keepAliveMsecs: 10_000, timeout: IDLE_CONNECTION_MS };
  const agent = secure ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  const send = secure ? httpsRequest : httpRequest;
  const once = (method: string, body: string, signal?: AbortSignal): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const url = new URL(`./bot${config.token}/${method}`, root);
      const headers = {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      };
      let gotAnswer = false;
      const answered = (res: IncomingMessage) => {
        gotAnswer = true;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) {
            res.destroy(new Error(`Bot API ${method}: answer over ${MAX_ANSWER_BYTES} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 500) {
            const description = res.statusMessage || 'Server Error';
            reject(new TelegramError({ error_code: status, description }, { method }));
            return;
          }
          let answer: { ok?: unknown; result?: unknown };
          try {
            answer = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            reject(new Error(`Bot API ${method}: HTTP ${status}, the answer is not JSON`));
            return;
          }
          if (answer?.ok === true) resolve(answer.result);
          else reject(new TelegramError(answer as TelegramError['response'], { method }));
        });
      };
      const req = send(url, { method: 'POST', agent, headers, signal }, answered);
      req.on('error', (err: NodeJS.ErrnoException) => {
        // A kept-alive connection the server closed just as we reused it: the request never
        // reached the server (it closes only idle connections). Node's documented case for
        // sending again (see `request.reusedSocket`).
        if (req.reusedSocket && !gotAnswer && STALE_CONNECTION.has(err.code ?? '')) {
          reject(Object.assign(err, { stale: true }));
          return;
        }
        reject(err);
      });
      req.end(body);
    });
  return async (method: string, payload: unknown, signal?: AbortSignal): Promise<unknown> => {
    const body = JSON.stringify(payload ?? {});
    try {
      return await once(method, body, signal);
    } catch (err) {
      if (!(err as { stale?: boolean }).stale || signal?.aborted) throw err;
      return once(method, body, signal);
    }
  };
}

/** How long a connection to the Bot API may stay idle before we close it. */
const IDLE_CONNECTION_MS = 4_000;
/** Errors of a request on a reused connection that the server had closed meanwhile. */
const STALE_CONNECTION = new Set(['ECONNRESET', 'EPIPE']);

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
  const signal = telegrafSignal(options.signal);
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

type CallApiSignal = NonNullable<NonNullable<Parameters<Telegram['callApi']>[2]>['signal']>;

/** Node's AbortSignal as telegraf types it (the abort-controller shim's type; the same object). */
export function telegrafSignal(signal: AbortSignal): CallApiSignal {
  return signal as unknown as CallApiSignal;
}

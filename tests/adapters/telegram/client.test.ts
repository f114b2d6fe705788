import { createServer, type Socket } from 'node:net';
import { inspect, types } from 'node:util';
import { TelegramError } from 'telegraf';
import { createClient } from '../../../adapters/telegram/client';
import { classifyError } from '../../../adapters/telegram/errors';
import { FakeBotApi } from './fake-bot-api';
import { SECRET, TOKEN } from './harness';

/** The part of the token that must never be shown (the digits before `:` are the public bot id). */
const SECRET_PART = TOKEN.slice(TOKEN.indexOf(':') + 1);

/** A proxy or load balancer in front of the Bot API answering HTML instead of JSON. */
const HTML_NOT_FOUND = { status: 404, body: '<html><body>Not Found</body></html>' };

let fake: FakeBotApi;
beforeEach(async () => {
  fake = await new FakeBotApi().start();
});
afterEach(() => fake.close());

async function failure(call: () => Promise<unknown>): Promise<Error> {
  try {
    await call();
  } catch (err) {
    if (err instanceof Error || types.isNativeError(err)) return err;
    throw new Error(`not an Error: ${String(err)}`);
  }
  throw new Error('the call did not fail');
}

describe('Bot API client errors are safe to log and store', () => {
  const config = () => ({
    token: TOKEN,
    mode: 'polling' as const,
    webhookSecret: null,
    webhookUrl: null,
    apiRoot: fake.url,
  });

  test('an answer that is not JSON (the request URL is in the error)', async () => {
    fake.failNext('sendMessage', HTML_NOT_FOUND);
    const client = createClient(config());
    const err = await failure(() => client.callApi('sendMessage', { chat_id: 1, text: 'x' }));
    expect(err.message).toMatch(/the answer is not JSON/);
    expect(`${err.message}\n${err.stack}`).not.toContain(SECRET_PART);
    expect(classifyError(err)).toMatchObject({ status: 'retry' });
    expect(JSON.stringify(classifyError(err))).not.toContain(SECRET_PART);
  });

  test('the shortcut methods (answerCallbackQuery, setWebhook) go through the same guard', async () => {
    fake.failNext('answerCallbackQuery', HTML_NOT_FOUND);
    const client = createClient(config());
    const err = await failure(() => client.answerCbQuery('cb-1'));
    expect(err.message).toMatch(/the answer is not JSON/);
    expect(`${err.message}\n${err.stack}`).not.toContain(SECRET_PART);
  });

  test('a refused setWebhook: no webhook secret in the error (telegraf attaches the payload)', async () => {
    fake.failNext('setWebhook', {
      status: 400,
      body: { ok: false, error_code: 400, description: 'Bad Request: bad webhook: Wrong port' },
    });
    const client = createClient(config());
    const err = await failure(() =>
      client.setWebhook('https://suara.kota.go.id:1234/telegram/webhook', { secret_token: SECRET }),
    );
    expect(err).toBeInstanceOf(TelegramError);
    expect(err.message).toBe('400: Bad Request: bad webhook: Wrong port');
    // What a logger shows: every own property (pino's err serializer copies them too).
    expect(inspect(err, { depth: 5 })).not.toContain(SECRET);
    expect(classifyError(err)).toMatchObject({ status: 'undeliverable' });
  });

  test('a 429 keeps its retry_after', async () => {
    fake.failNext('sendMessage', {
      status: 429,
      body: { ok: false, error_code: 429, description: 'Too Many', parameters: { retry_after: 4 } },
    });
    const client = createClient(config());
    const err = await failure(() => client.callApi('sendMessage', { chat_id: 1, text: 'x' }));
    expect(classifyError(err)).toMatchObject({ status: 'retry', retryAfterMs: 4_000 });
  });

  test('a network error', async () => {
    const client = createClient({ ...config(), apiRoot: 'http://127.0.0.1:9' });
    const err = await failure(() => client.callApi('getMe', {}));
    expect(`${err.message}\n${err.stack}`).not.toContain(SECRET_PART);
    // Refused: the request surely never arrived.
    expect(classifyError(err)).toEqual({ status: 'retry', error: err.message });
  });
});

describe('Bot API connections', () => {
  /**
   * A raw Bot API on 127.0.0.1: `onRequest(connection, n)` decides what to do with the n-th
   * request (from 1): 'answer', 'close' (after answering) or 'cut' (destroy without answering).
   */
  async function rawBotApi(onRequest: (connection: number, n: number) => string) {
    let connections = 0;
    const requests: number[] = [];
    const sockets = new Set<Socket>();
    const server = createServer((socket: Socket) => {
      sockets.add(socket);
      const connection = ++connections;
      socket.on('data', () => {
        requests.push(connection);
        const action = onRequest(connection, requests.length);
        if (action === 'cut') {
          socket.destroy();
          return;
        }
        const body = JSON.stringify({ ok: true, result: { message_id: requests.length } });
        socket.write(
          `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n${body}`,
        );
        if (action === 'close') socket.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const client = createClient({
      token: TOKEN,
      mode: 'polling',
      webhookSecret: null,
      webhookUrl: null,
      apiRoot: `http://127.0.0.1:${port}`,
    });
    const close = () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    };
    return { client, requests, close };
  }

  test('a connection the server closed after answering is not used again', async () => {
    const api = await rawBotApi((connection) => (connection === 1 ? 'close' : 'answer'));
    try {
      const first = await api.client.callApi('sendMessage', { chat_id: 1, text: 'a' });
      // The server's FIN may still be on its way: give it a moment, as idle time would.
      await new Promise((r) => setTimeout(r, 50));
      const second = await api.client.callApi('sendMessage', { chat_id: 1, text: 'b' });
      expect([first, second]).toEqual([{ message_id: 1 }, { message_id: 2 }]);
      expect(api.requests).toEqual([1, 2]);
    } finally {
      api.close();
    }
  });

  test('a call cut after it went out is not sent again here: the outbox retries it as uncertain', async () => {
    const api = await rawBotApi((_connection, n) => (n === 2 ? 'cut' : 'answer'));
    try {
      await api.client.callApi('sendMessage', { chat_id: 1, text: 'a' });
      const err = await failure(() => api.client.callApi('sendMessage', { chat_id: 1, text: 'b' }));
      // It reached the server, which may have delivered it: sending it again at once could
      // show the citizen the message twice. The outbox's bounded uncertain retries decide.
      expect(api.requests).toHaveLength(2);
      expect(classifyError(err)).toMatchObject({ status: 'retry', uncertain: true });
      expect(`${err.message}\n${err.stack}`).not.toContain(SECRET_PART);
    } finally {
      api.close();
    }
  });
});

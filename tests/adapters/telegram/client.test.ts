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
  test('a kept-alive connection the server closed as it was reused: the call is sent again on a new one', async () => {
    // A Bot API whose first connection answers one request, then closes when the next arrives
    // (as a server's keep-alive timeout does when it races a new request); others answer all.
    let connections = 0;
    const requests: number[] = [];
    const server = createServer((socket: Socket) => {
      const connection = ++connections;
      let served = 0;
      socket.on('data', () => {
        requests.push(connection);
        if (connection === 1 && served === 1) {
          socket.destroy();
          return;
        }
        served++;
        const body = JSON.stringify({ ok: true, result: { message_id: requests.length } });
        socket.write(
          `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n${body}`,
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const client = createClient({
        token: TOKEN,
        mode: 'polling',
        webhookSecret: null,
        webhookUrl: null,
        apiRoot: `http://127.0.0.1:${port}`,
      });
      const first = await client.callApi('sendMessage', { chat_id: 1, text: 'a' });
      const second = await client.callApi('sendMessage', { chat_id: 1, text: 'b' });
      expect(first).toEqual({ message_id: 1 });
      expect(second).toEqual({ message_id: 3 });
      // The second call: on the reused connection (cut), then once on a new one.
      expect(requests).toEqual([1, 1, 2]);
    } finally {
      server.close();
    }
  });
});

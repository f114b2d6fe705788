import { telegramMedia } from '../../../adapters/telegram';
import { createClient } from '../../../adapters/telegram/client';
import { MediaUnavailable } from '../../../src/media';
import { FakeBotApi } from './fake-bot-api';
import { TOKEN } from './harness';

let fake: FakeBotApi;
beforeEach(async () => {
  fake = await new FakeBotApi().start();
});
afterEach(() => fake.close());

const config = () => ({
  token: TOKEN,
  mode: 'polling' as const,
  webhookSecret: null,
  webhookUrl: null,
  apiRoot: fake.url,
});

describe("Telegram: staff open a citizen's photo by its file id", () => {
  test('getFile, then the download with the token in the path', async () => {
    fake.putFile('AgACAgUAAxk-large', Buffer.from('jpeg bytes'));
    const source = telegramMedia(config(), createClient(config()));
    const file = await source.open('AgACAgUAAxk-large', AbortSignal.timeout(5000));
    expect(Buffer.from(await new Response(file.body).arrayBuffer()).toString()).toBe('jpeg bytes');
    expect(file.size).toBe(10);
    expect(fake.calls.map((c) => [c.method, c.token, c.body.file_id])).toEqual([
      ['getFile', TOKEN, 'AgACAgUAAxk-large'],
      ['download', TOKEN, 'AgACAgUAAxk-large'],
    ]);
  });

  test('a file Telegram no longer has is unavailable, and the message holds no token', async () => {
    const source = telegramMedia(config(), createClient(config()));
    const err = await source.open('gone', AbortSignal.timeout(5000)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaUnavailable);
    expect((err as Error).message).toMatch(/invalid file_id/);
    expect((err as Error).message).not.toContain(TOKEN.split(':')[1]);
    expect(fake.calls.map((c) => c.method)).toEqual(['getFile']);
  });

  test('a proxy answering HTML instead of the Bot API: unavailable, no token in the message', async () => {
    fake.failNext('getFile', { status: 502, body: '<html><body>Bad Gateway</body></html>' });
    const source = telegramMedia(config(), createClient(config()));
    const err = await source.open('AgAC', AbortSignal.timeout(5000)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaUnavailable);
    expect((err as Error).message).not.toContain(TOKEN.split(':')[1]);
  });
});

import { TelegramError } from 'telegraf';
import { callbackDataFor, MAX_CALLBACK_BYTES } from '../../../adapters/telegram/callback-data';
import { classifyError } from '../../../adapters/telegram/errors';
import { renderReply, splitText } from '../../../adapters/telegram/render';
import { TEXTS } from '../../../adapters/telegram/texts';
import { secretMatcher } from '../../../adapters/telegram/webhook';

describe('rendering replies for Telegram', () => {
  test('choices become an inline keyboard; short labels share a row', () => {
    const [m] = renderReply(
      '7',
      {
        text: 'Benar?',
        choices: [
          { label: 'Ya', value: 'yes' },
          { label: 'Tidak', value: 'no' },
          { label: 'Bicara dengan petugas sekarang juga', value: 'menu:agent' },
        ],
      },
      'id',
    );
    expect(m).toEqual({
      chat_id: '7',
      text: 'Benar?',
      reply_markup: {
        inline_keyboard: [
          [
            { text: 'Ya', callback_data: 'yes' },
            { text: 'Tidak', callback_data: 'no' },
          ],
          [{ text: 'Bicara dengan petugas sekarang juga', callback_data: 'menu:agent' }],
        ],
      },
    });
  });

  test('text is plain: markup characters are sent as they are, with no parse_mode', () => {
    const [m] = renderReply('7', { text: 'Catatan: <b>*_jalan_*</b> & [x](y)' }, 'id');
    expect(m).toEqual({ chat_id: '7', text: 'Catatan: <b>*_jalan_*</b> & [x](y)' });
  });

  test('a location request is a one-time reply keyboard with a request_location button', () => {
    const [m] = renderReply('7', { text: 'Di mana?', requestLocation: true }, 'en');
    expect(m?.reply_markup).toEqual({
      keyboard: [[{ text: TEXTS.shareLocation.en, request_location: true }]],
      one_time_keyboard: true,
      resize_keyboard: true,
    });
  });

  test('choices and a location request together: two messages, one keyboard each', () => {
    const ms = renderReply(
      '7',
      { text: 'Di mana?', requestLocation: true, choices: [{ label: 'Lewati', value: 'skip' }] },
      'id',
    );
    expect(ms.map((m) => Object.keys(m.reply_markup ?? {})[0])).toEqual([
      'inline_keyboard',
      'keyboard',
    ]);
  });

  test('a link goes under the text', () => {
    const [m] = renderReply(
      '7',
      { text: 'KTP-el', link: { title: 'KTP-el', url: 'https://kota.go.id/ktp' } },
      'id',
    );
    expect(m?.text).toBe('KTP-el\n🔗 https://kota.go.id/ktp');
  });

  test('an empty reply is not sent', () => {
    expect(renderReply('7', { text: '  ' }, 'id')).toEqual([]);
  });

  test('a long text is split on line boundaries, the keyboard on the last piece', () => {
    const line = 'x'.repeat(1000);
    const text = Array.from({ length: 9 }, (_, i) => `${i}${line}`).join('\n');
    const ms = renderReply('7', { text, choices: [{ label: 'Ya', value: 'yes' }] }, 'id');
    expect(ms.length).toBe(3);
    expect(ms.every((m) => m.text.length <= 4096)).toBe(true);
    expect(ms.map((m) => m.text).join('\n')).toBe(text);
    expect(ms.map((m) => Boolean(m.reply_markup))).toEqual([false, false, true]);
  });

  test('a line longer than the limit is split on spaces, else anywhere but inside an emoji', () => {
    expect(splitText('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(splitText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    const emoji = `abc${'😀'.repeat(3)}`;
    const pieces = splitText(emoji, 4);
    expect(pieces.join('')).toBe(emoji);
    expect(pieces.every((p) => p.length <= 4 && !/^[\uDC00-\uDFFF]/.test(p))).toBe(true);
  });

  test('callback data stays within 64 bytes: long values get a short key', () => {
    expect(callbackDataFor('category:roads_drainage')).toBe('category:roads_drainage');
    const long = `resolved:done:${'é'.repeat(40)}`;
    expect(Buffer.byteLength(long)).toBeGreaterThan(MAX_CALLBACK_BYTES);
    const key = callbackDataFor(long);
    expect(Buffer.byteLength(key)).toBeLessThanOrEqual(MAX_CALLBACK_BYTES);
    expect(key).toMatch(/^#/);
    expect(callbackDataFor(long)).toBe(key);
    expect(callbackDataFor(`${long}!`)).not.toBe(key);
    // A value that looks like a key is never taken for one.
    expect(callbackDataFor('#abc')).not.toBe('#abc');
  });
});

describe('Bot API errors → delivery results', () => {
  const error = (code: number, description: string, parameters?: { retry_after: number }) =>
    new TelegramError({ error_code: code, description, ...(parameters ? { parameters } : {}) });

  test.each([
    [error(429, 'Too Many Requests', { retry_after: 7 }), { status: 'retry', retryAfterMs: 7000 }],
    [error(502, 'Bad Gateway'), { status: 'retry' }],
    [error(403, 'Forbidden: bot was blocked by the user'), { status: 'undeliverable' }],
    [error(400, 'Bad Request: chat not found'), { status: 'undeliverable' }],
    [error(401, 'Unauthorized'), { status: 'retry' }],
    [new Error('connect ECONNREFUSED 127.0.0.1:9'), { status: 'retry' }],
  ])('%s', (err, expected) => {
    const result = classifyError(err);
    expect(result).toMatchObject(expected);
    if (!('retryAfterMs' in expected)) expect(result).not.toHaveProperty('retryAfterMs');
  });
});

describe('webhook secret', () => {
  test.each([
    ['abc', 'abc', true],
    ['abd', 'abc', false],
    ['abcd', 'abc', false],
    ['', 'abc', false],
    [undefined, 'abc', false],
    ['abc', null, false],
  ])('%j against %j → %s', (given, secret, expected) => {
    expect(secretMatcher(secret)(given)).toBe(expected);
  });
});

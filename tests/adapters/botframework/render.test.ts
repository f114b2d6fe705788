import { classifyError } from '../../../adapters/botframework/errors';
import { MAX_MESSAGE_LENGTH, renderReply } from '../../../adapters/botframework/render';
import { TEXTS } from '../../../adapters/botframework/texts';
import type { Choice } from '../../../src/core/types';

const choices = (n: number): Choice[] =>
  Array.from({ length: n }, (_, i) => ({ label: `Pilihan ${i + 1}`, value: `c${i + 1}` }));

/** The messageBack action our buttons carry for a choice. */
const action = (label: string, value: string) => ({
  type: 'messageBack',
  title: label,
  text: label,
  displayText: label,
  value: { action: value },
});

describe('rendering replies for Bot Framework channels', () => {
  test('plain text is one plain message', () => {
    expect(renderReply({ text: 'Halo <b>*x*</b>' }, 'id', 'msteams')).toEqual([
      { type: 'message', text: 'Halo <b>*x*</b>', textFormat: 'plain' },
    ]);
  });

  test('a link goes under the text as "title: url"', () => {
    const [m] = renderReply(
      { text: 'Cara membuat KTP-el', link: { title: 'KTP-el', url: 'https://kota.go.id/ktp' } },
      'id',
      'webchat',
    );
    expect(m?.text).toBe('Cara membuat KTP-el\nKTP-el: https://kota.go.id/ktp');
  });

  test.each(['id', 'en'] as const)(
    'a location request asks for the address in text (%s)',
    (lang) => {
      const [m] = renderReply({ text: 'Di mana?', requestLocation: true }, lang, 'msteams');
      expect(m?.text).toBe(`Di mana?\n${TEXTS.typeAddress[lang]}`);
    },
  );

  test('a long text is split on line boundaries, the choices on the last message only', () => {
    const line = 'x'.repeat(MAX_MESSAGE_LENGTH - 1000);
    const text = [`a${line}`, `b${line}`, `c${line}`].join('\n');
    const ms = renderReply({ text, choices: choices(2) }, 'id', 'webchat');
    expect(ms.map((m) => m.text)).toEqual([`a${line}`, `b${line}`, `c${line}`]);
    expect(ms.every((m) => m.text.length <= MAX_MESSAGE_LENGTH)).toBe(true);
    expect(ms.map((m) => m.suggestedActions !== undefined)).toEqual([false, false, true]);
  });

  test('in Teams, choices are messageBack buttons on a hero card', () => {
    const [m, ...rest] = renderReply(
      { text: 'Benar?', choices: [{ label: 'Ya', value: 'yes' }] },
      'id',
      'msteams',
    );
    expect(rest).toEqual([]);
    expect(m).toEqual({
      type: 'message',
      text: 'Benar?',
      textFormat: 'plain',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.hero',
          content: { buttons: [action('Ya', 'yes')] },
        },
      ],
      attachmentLayout: 'list',
    });
  });

  test('in Teams, more than six choices make several cards of at most six', () => {
    const [m] = renderReply({ text: 'Kategori?', choices: choices(8) }, 'id', 'msteams');
    const cards = m?.attachments ?? [];
    expect(cards.map((c) => c.content.buttons.map((b) => b.value.action))).toEqual([
      ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'],
      ['c7', 'c8'],
    ]);
    expect(cards.every((c) => c.contentType === 'application/vnd.microsoft.card.hero')).toBe(true);
    expect(m?.attachmentLayout).toBe('list');
    expect(m?.suggestedActions).toBeUndefined();
  });

  test.each(['webchat', 'emulator'])('on %s, choices are suggested actions', (channel) => {
    const [m] = renderReply({ text: 'Kategori?', choices: choices(8) }, 'en', channel);
    expect(m?.suggestedActions?.actions).toEqual(choices(8).map((c) => action(c.label, c.value)));
    expect(m?.attachments).toBeUndefined();
    expect(m?.attachmentLayout).toBeUndefined();
  });

  test('an empty reply is not sent; an empty text with choices shows "…"', () => {
    expect(renderReply({ text: '  ' }, 'id', 'msteams')).toEqual([]);
    const ms = renderReply({ text: '', choices: choices(1) }, 'id', 'webchat');
    expect(ms).toHaveLength(1);
    expect(ms[0]?.text).toBe('…');
    expect(ms[0]?.suggestedActions?.actions).toEqual([action('Pilihan 1', 'c1')]);
  });

  test('a blank label shows the value', () => {
    const [m] = renderReply({ text: 'Pilih', choices: [{ label: ' ', value: 'skip' }] }, 'id', 'x');
    expect(m?.suggestedActions?.actions).toEqual([action('skip', 'skip')]);
  });
});

const now = new Date('2026-11-27T02:00:00.000Z');

/** An error shaped like the SDK's `HttpError` for a failed Bot Connector call. */
function httpError(status: number, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(`Request failed with status ${status}`), {
    name: 'HttpError',
    status,
    response: { headers: new Headers(headers) },
  });
}

describe('classifying Bot Connector failures', () => {
  test('429 with Retry-After in seconds is retried after it', () => {
    expect(classifyError(httpError(429, { 'retry-after': '7' }), now)).toEqual({
      status: 'retry',
      error: 'Request failed with status 429',
      retryAfterMs: 7000,
    });
  });

  test('Retry-After as an HTTP date is the time until then', () => {
    const at = new Date(now.getTime() + 90_000).toUTCString();
    expect(classifyError(httpError(503, { 'Retry-After': at }), now)).toMatchObject({
      status: 'retry',
      retryAfterMs: 90_000,
    });
    const past = new Date(now.getTime() - 5_000).toUTCString();
    expect(classifyError(httpError(429, { 'Retry-After': past }), now)).toMatchObject({
      retryAfterMs: 0,
    });
  });

  // V8's lenient Date.parse reads '1.5' as 2001-01-05: only an HTTP date's own shape is a date.
  test.each(['1.5', '-1', 'soon 5'])('an unreadable Retry-After %j is ignored', (v) => {
    expect(classifyError(httpError(429, { 'retry-after': v }), now)).toEqual({
      status: 'retry',
      error: 'Request failed with status 429',
    });
  });

  test.each([413, 422])(
    '%s (the same activity would be refused again) is undeliverable',
    (status) => {
      expect(classifyError(httpError(status), now).status).toBe('undeliverable');
    },
  );

  test.each([500, 502, 503, 401, 408])('%s is retried (no Retry-After: backoff)', (status) => {
    expect(classifyError(httpError(status), now)).toEqual({
      status: 'retry',
      error: `Request failed with status ${status}`,
    });
  });

  test.each([403, 404, 400])('%s is undeliverable', (status) => {
    expect(classifyError(httpError(status, { 'retry-after': '5' }), now)).toEqual({
      status: 'undeliverable',
      error: `Request failed with status ${status}`,
    });
  });

  test('a network error is retried, not uncertain', () => {
    const err = new TypeError('fetch failed');
    expect(classifyError(err, now)).toEqual({ status: 'retry', error: 'fetch failed' });
  });

  test('an aborted send is retried as uncertain', () => {
    const err = Object.assign(new Error('send timed out'), { name: 'AbortError' });
    expect(classifyError(err, now)).toEqual({
      status: 'retry',
      error: 'send timed out',
      uncertain: true,
    });
  });

  test('an activity the SDK refuses to build is undeliverable', () => {
    const err = Object.assign(new Error('Invalid input'), { name: 'ZodError' });
    expect(classifyError(err, now)).toMatchObject({ status: 'undeliverable' });
    expect(classifyError(err, now).error).toContain('Invalid input');
  });
});

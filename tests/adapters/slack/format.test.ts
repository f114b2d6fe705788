import { escapeMrkdwn, formatTime, localHour, quoted } from '../../../adapters/slack/format';

describe('format', () => {
  test('escapeMrkdwn escapes &, < and > and cuts long texts', () => {
    expect(escapeMrkdwn('a <@U1> & <!here>')).toBe('a &lt;@\u2060U1&gt; &amp; &lt;!here&gt;');
    expect(escapeMrkdwn('abcdef', 4)).toBe('abc…');
  });

  test('escapeMrkdwn leaves no live formatting, mention or line of its own', () => {
    expect(escapeMrkdwn('*Status*\nResolved _x_ ~y~ `z` ```c```')).toBe(
      '\u2217Status\u2217 Resolved \u02cdx\u02cd \u223cy\u223c \u02cbz\u02cb \u02cb\u02cb\u02cbc\u02cb\u02cb\u02cb',
    );
    expect(escapeMrkdwn('@channel @here #general budi@mail.id snake_case a*b')).toBe(
      '@\u2060channel @\u2060here #\u2060general budi@mail.id snake_case a*b',
    );
    expect(quoted('x\n*Reporter*\n> Bapak Walikota\r\n```')).toBe(
      '> x\n> \u2217Reporter\u2217\n> &gt; Bapak Walikota\n> \u02cb\u02cb\u02cb',
    );
  });

  test('quoted stays within the section limit whatever the text', () => {
    for (const text of [
      '&'.repeat(4000),
      '\n'.repeat(4000),
      'x'.repeat(4000),
      'a&\n<'.repeat(900),
    ]) {
      const out = quoted(text);
      expect(out.length).toBeLessThanOrEqual(3000);
      expect(out.startsWith('> ')).toBe(true);
    }
    expect(quoted('short\ntext')).toBe('> short\n> text');
  });

  test('times are shown in the service time zone', () => {
    expect(formatTime('2026-11-27T02:00:00Z', 'en', 'Asia/Jakarta')).toBe(
      '27 Nov 2026, 09:00 GMT+7',
    );
    expect(localHour(new Date('2026-11-27T17:30:00Z'), 'Asia/Jakarta')).toBe(0);
  });
});

import { escapeMrkdwn, formatTime, localHour, quoted } from '../../../adapters/slack/format';

describe('format', () => {
  test('escapeMrkdwn escapes &, < and > and cuts long texts', () => {
    expect(escapeMrkdwn('a <@U1> & <!here>')).toBe('a &lt;@U1&gt; &amp; &lt;!here&gt;');
    expect(escapeMrkdwn('abcdef', 4)).toBe('abc…');
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

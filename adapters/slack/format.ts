import type { Language } from '../../src/taxonomy';

/**
 * Escapes text for Slack mrkdwn: `&`, `<` and `>` (so a citizen cannot write `<!channel>` or a
 * fake link), and cuts it to `max` characters.
 */
export function escapeMrkdwn(text: string, max = 2900): string {
  const cut = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return cut.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Quotes every line of a text as a mrkdwn block quote. */
export function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

/**
 * A citizen's or officer's text as an escaped block quote of at most `limit` characters (Slack's
 * section text limit is 3000): longer texts are cut with "…".
 */
export function quoted(text: string, limit = 3000): string {
  let max = Math.min(text.length, limit);
  for (let i = 0; i < 8; i++) {
    const out = quote(escapeMrkdwn(text, max));
    if (out.length <= limit) return out;
    max = Math.max(1, max - (out.length - limit) - 1);
  }
  // Every character grows to at most 5 (`&amp;`, or a new line and its `> `).
  return quote(escapeMrkdwn(text, Math.floor(limit / 6)));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A date and time for staff, in the service's time zone: `27 Nov 2026, 16.59 WIB`-like. */
export function formatTime(at: string | Date, lang: Language, timeZone: string): string {
  const key = `${lang}|${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(key, f);
  }
  return f.format(typeof at === 'string' ? new Date(at) : at);
}

/** The hour (0–23) of an instant in a time zone. */
export function localHour(at: Date, timeZone: string): number {
  const hour = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' })
    .formatToParts(at)
    .find((p) => p.type === 'hour');
  return Number(hour?.value ?? 0);
}

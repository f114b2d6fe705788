import type { Language } from '../../src/taxonomy';

/** Look-alikes of the mrkdwn markers, shown where a marker could open or close formatting. */
const MARKER: Record<string, string> = { '*': '\u2217', _: '\u02cd', '~': '\u223c', '`': '\u02cb' };
/** A marker not between two letters or digits (only those can start or end `*bold*` etc.). */
const FORMATTING = /(?<![\p{L}\p{N}])[*_~`]|[*_~`](?![\p{L}\p{N}])/gu;
/** `@` or `#` starting a word: Slack would turn `@channel`, `@here`, `#general` into links. */
const MENTION = /(?<![\p{L}\p{N}])[@#]/gu;
/** A word joiner: invisible, and breaks `@channel` into text Slack does not parse. */
const WORD_JOINER = '\u2060';

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One line of untrusted text as inert mrkdwn (see `escapeMrkdwn`), not cut. */
function escapeLine(line: string): string {
  return line
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(FORMATTING, (m) => MARKER[m] ?? m)
    .replace(MENTION, (m) => `${m}${WORD_JOINER}`);
}

/**
 * The one way text Suara does not control (anything a citizen wrote, names, staff notes) enters
 * Slack mrkdwn, inline: `&`, `<` and `>` escaped as Slack documents (no `<!channel>`, `<@U…>`
 * or `<http://evil|innocent>`), `*`, `_`, `~` and `` ` `` that could open or close formatting
 * shown as look-alikes (∗ ˍ ∼ ˋ), `@`/`#` starting a word kept from being parsed as a mention
 * or a channel (a word joiner after it), line breaks flattened to spaces (so it cannot start a
 * line of its own, like a forged `*Status*` field), and cut to `max` characters.
 */
export function escapeMrkdwn(text: string, max = 2900): string {
  return escapeLine(cut(text, max));
}

/** Quotes every line of an untrusted text as a mrkdwn block quote, each line escaped. */
export function quote(text: string): string {
  return text
    .split(/\r\n|[\r\n\u2028\u2029]/)
    .map((line) => `> ${escapeLine(line)}`)
    .join('\n');
}

/**
 * Untrusted multi-line text (a citizen's report, location, answer; a staff note) as an escaped
 * block quote of at most `limit` characters (Slack's section text limit is 3000): every line is
 * quoted, so none can pass for one of our own lines, and longer texts are cut with "…".
 */
export function quoted(text: string, limit = 3000): string {
  let max = Math.min(text.length, limit);
  for (let i = 0; i < 8; i++) {
    const out = quote(cut(text, max));
    if (out.length <= limit) return out;
    max = Math.max(1, max - (out.length - limit) - 1);
  }
  // Every character grows to at most 5 (`&amp;`, or a new line and its `> `).
  return quote(cut(text, Math.floor(limit / 6)));
}

/**
 * A mrkdwn text object. `verbatim: true`: Slack renders our markup and manual `<…>` links and
 * mentions, but parses nothing else (no automatic links, `@channel` or channel names).
 */
export function mrkdwn(text: string): { type: 'mrkdwn'; text: string; verbatim: true } {
  return { type: 'mrkdwn', text, verbatim: true };
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

/**
 * Invisible characters that split or disguise words when pasted from phones and web pages:
 * zero-width space/joiners, left-to-right and bidi marks and overrides, word joiner and
 * invisible operators, byte-order mark, soft hyphen.
 */
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF\u00AD]/g;

/**
 * Removes invisible characters (see above). Every place that reads what a person typed — the
 * bot, tracking-id look-up, the NLU — uses this one definition.
 *
 * @example
 * stripInvisible('ADU-\u200B7K3M9Q') // 'ADU-7K3M9Q'
 */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/**
 * Splits a text into pieces of at most `max` characters, on line boundaries when it can, else on
 * spaces, else anywhere (never inside a surrogate pair). An empty text stays one piece.
 *
 * @example
 * splitText('a\nb', 2) // ['a', 'b']
 */
export function splitText(value: string, max: number): string[] {
  if (value.length <= max) return [value];
  const pieces: string[] = [];
  let current = '';
  const flush = () => {
    if (current !== '') pieces.push(current);
    current = '';
  };
  for (const line of value.split('\n')) {
    const joined = current === '' ? line : `${current}\n${line}`;
    if (joined.length <= max) {
      current = joined;
      continue;
    }
    flush();
    if (line.length <= max) {
      current = line;
      continue;
    }
    for (const part of splitLongLine(line, max)) {
      flush();
      current = part;
    }
  }
  flush();
  // Channels refuse blank messages: drop pieces made of blank lines only.
  const kept = pieces.filter((p) => p.trim() !== '');
  return kept.length > 0 ? kept : [value.slice(0, max)];
}

function splitLongLine(line: string, max: number): string[] {
  const parts: string[] = [];
  let rest = line;
  while (rest.length > max) {
    let cut = rest.lastIndexOf(' ', max);
    if (cut <= 0) {
      cut = max;
      // Do not cut a surrogate pair (an emoji) in half.
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^ /, '');
  }
  if (rest !== '') parts.push(rest);
  return parts;
}

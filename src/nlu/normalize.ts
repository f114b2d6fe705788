import { stripInvisible } from '../text';

/**
 * Text clean-up before anything else looks at a message: Unicode NFKC, lower case, no zero-width
 * or control characters, letters repeated for emphasis collapsed ("bangettt" → "banget"), spaces
 * collapsed, length bounded. Pure.
 */

/** Messages longer than this are cut (a complaint is rarely longer; abuse can be). */
export const MAX_TEXT_LENGTH = 4000;

// C0/C1 controls except tab and newlines, which become spaces below.
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
// Not before a dot: "www." in a web address stays.
const REPEATS = /(\p{L})\1{2,}(?!\.)/gu;

/**
 * @example
 * normalizeText('  Jalannya RUSAKKK  bangettt\u200B!! ') // 'jalannya rusak banget!!'
 */
export function normalizeText(raw: string, maxLength = MAX_TEXT_LENGTH): string {
  const lower = cleanText(raw, maxLength);
  return (mayRepeat(lower) ? lower.replace(REPEATS, '$1') : lower)
    .replace(SPACES, ' ')
    .trim()
    .slice(0, maxLength);
}

/**
 * The first step of {@link normalizeText}: cut, NFKC (full-width letters become ASCII), invisible
 * and control characters removed, lower case; repeated letters are kept, so codes such as a
 * tracking id (`ADU-4W7GGG`) read as written.
 *
 * @example
 * cleanText('ADU-4W7\u200BGGG') // 'adu-4w7ggg'
 */
export function cleanText(raw: string, maxLength = MAX_TEXT_LENGTH): string {
  // Cut first (with room for what NFKC expands), so a huge message costs little.
  return stripInvisible(raw.slice(0, maxLength * 2).normalize('NFKC'))
    .replace(CONTROL, '')
    .toLowerCase();
}

/**
 * Whitespace to collapse: a run of two or more, or one that is not a plain space. Replacing
 * these with one space is `.replace(/\s+/g, ' ')`, without rebuilding a text that has none.
 */
const SPACES = /\s{2,}|[^\S ]/g;

/**
 * False when REPEATS cannot match: no code unit three times in a row and no surrogate (an
 * astral letter repeats as a repeated pair). A loop is much cheaper than the Unicode pattern,
 * and one message in sixty has a repeat.
 */
function mayRepeat(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return true;
    if (i >= 2 && c === text.charCodeAt(i - 1) && c === text.charCodeAt(i - 2)) return true;
  }
  return false;
}

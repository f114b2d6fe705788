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
  // Cut first (with room for what NFKC expands), so a huge message costs little.
  return stripInvisible(raw.slice(0, maxLength * 2).normalize('NFKC'))
    .replace(CONTROL, '')
    .toLowerCase()
    .replace(REPEATS, '$1')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, maxLength);
}

/**
 * Splits normalised text into word tokens. Tracking ids, URLs, e-mail addresses and phone
 * numbers become placeholder tokens, so a model learns "a tracking id is here" rather than one id.
 */

export const TOKEN_TRACKING_ID = 'xtrackingid';
export const TOKEN_URL = 'xurl';
export const TOKEN_EMAIL = 'xemail';
export const TOKEN_PHONE = 'xphone';
export const TOKEN_NUMBER = 'xnum';
export const PLACEHOLDERS: ReadonlySet<string> = new Set([
  TOKEN_TRACKING_ID,
  TOKEN_URL,
  TOKEN_EMAIL,
  TOKEN_PHONE,
  TOKEN_NUMBER,
]);

/** Pattern, placeholder, and a cheap test that must pass before the pattern can match. */
const SPECIALS: [RegExp, string, (text: string) => boolean][] = [
  // Same rule as extractTrackingIds: without a hyphen the id must hold a digit ("adu gengsi").
  [
    /\badu\s*[-‐–—_.:]\s*[0-9a-z]{6}\b|\badu\s*(?=[a-z]*\d)[0-9a-z]{6}\b/g,
    ` ${TOKEN_TRACKING_ID} `,
    (t) => t.includes('adu'),
  ],
  [
    /\bhttps?:\/\/\S+|\bwww\.\S+/g,
    ` ${TOKEN_URL} `,
    (t) => t.includes('http') || t.includes('www.'),
  ],
  [/\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b/g, ` ${TOKEN_EMAIL} `, (t) => t.includes('@')],
  [/(\+62|\b0)8[\d\s-]{7,13}\d\b/g, ` ${TOKEN_PHONE} `, (t) => t.includes('8')],
];

/**
 * @example
 * tokenize('cek adu-7k3m9q dong, wa 0812-3456-7890') // ['cek', 'xtrackingid', 'dong', 'wa', 'xphone']
 */
export function tokenize(normalized: string): string[] {
  let text = normalized;
  for (const [pattern, token, possible] of SPECIALS) {
    if (possible(text)) text = text.replace(pattern, token);
  }
  const tokens = text.match(/[\p{L}\p{N}]+/gu) ?? [];
  // Long digit runs (NIK, amounts, house numbers) say little one by one.
  return tokens.map((t) => (isDigit(t.charCodeAt(0)) && DIGITS.test(t) ? TOKEN_NUMBER : t));
}

const DIGITS = /^\d{3,}$/;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

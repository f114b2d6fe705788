import { stripInvisible } from '../text';

/**
 * Tracking ids: `ADU-` followed by 6 Crockford base32 characters (digits and letters without
 * I, L, O and U), e.g. `ADU-7K3M9Q`. 32^6 ≈ 1.07 billion ids, so random ids rarely collide; the
 * case service still checks the store before using one.
 */

export const TRACKING_PREFIX = 'ADU-';
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BODY_LENGTH = 6;

/** A source of random bytes, injected so ids are reproducible in tests. */
export type RandomBytes = (size: number) => Uint8Array;

/**
 * Makes a new random tracking id.
 *
 * @example
 * generateTrackingId(crypto.randomBytes) // 'ADU-7K3M9Q'
 */
export function generateTrackingId(randomBytes: RandomBytes): string {
  const bytes = randomBytes(BODY_LENGTH);
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++) {
    // 256 is a multiple of 32, so `byte % 32` is uniform.
    body += CROCKFORD_ALPHABET[(bytes[i] ?? 0) % 32];
  }
  return TRACKING_PREFIX + body;
}

/** True when `id` is a canonical tracking id (upper case, with the prefix). */
export function isTrackingId(id: string): boolean {
  return /^ADU-[0-9A-HJKMNP-TV-Z]{6}$/.test(id);
}

const CONFUSIONS: Record<string, string> = { O: '0', I: '1', L: '1' };

/**
 * Turns what a citizen typed into the canonical id, or `null` when it cannot be one.
 * Accepts any case, spaces or no hyphen after the prefix, and the usual confusions
 * (O→0, I and L→1); full-width characters, zero-width characters and trailing punctuation
 * ("ADU-7K3M9Q.") are tolerated.
 *
 * @example
 * normalizeTrackingId(' adu 7k3m9q ') // 'ADU-7K3M9Q'
 * normalizeTrackingId('ADU-7K3MOQ')   // 'ADU-7K3M0Q'
 */
export function normalizeTrackingId(input: string): string | null {
  const cleaned = stripInvisible(input.normalize('NFKC'));
  const match = /^\s*adu\s*[-‐–—_.:]?\s*([0-9a-z]{6})[\s.,;:!?)\]"']*$/i.exec(cleaned);
  if (!match?.[1]) return null;
  return canonicalBody(match[1]);
}

/**
 * Finds every tracking id mentioned in a message, canonicalised, without duplicates. An id
 * written without its hyphen must contain a digit, so ordinary words after "adu" are not taken
 * for ids (an id of letters only is still found when written with the hyphen).
 *
 * @example
 * extractTrackingIds('status ADU-7k3m9q dan adu 12ab34?') // ['ADU-7K3M9Q', 'ADU-12AB34']
 */
export function extractTrackingIds(text: string): string[] {
  const found = new Set<string>();
  const pattern = /(?<![0-9a-z])adu(\s*[-‐–—_.:]\s*|\s*)([0-9a-z]{6})(?![0-9a-z])/gi;
  for (const [, separator = '', body = ''] of text.matchAll(pattern)) {
    // Without a hyphen, "adu gengsi" or "adu sampai" is Indonesian, not an id: ask for a digit.
    if (!/[-‐–—_.:]/.test(separator) && !/\d/.test(body)) continue;
    const id = canonicalBody(body);
    if (id) found.add(id);
  }
  return [...found];
}

function canonicalBody(raw: string): string | null {
  let body = '';
  for (const ch of raw.toUpperCase()) {
    const mapped = CONFUSIONS[ch] ?? ch;
    if (!CROCKFORD_ALPHABET.includes(mapped)) return null;
    body += mapped;
  }
  return TRACKING_PREFIX + body;
}

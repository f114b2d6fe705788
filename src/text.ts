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

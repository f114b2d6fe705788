import type { Language } from '../taxonomy';
import { BoundedCache } from './bounded-cache';
import { stemId } from './stemmer-id';
import { PLACEHOLDERS } from './tokenize';

interface Stemmer {
  stem(word: string): string;
}

let porter: Stemmer | undefined;

/** natural's Porter stemmer, loaded on first use (natural's index pulls in much more). */
function english(): Stemmer {
  porter ??= require('natural/lib/natural/stemmers/porter_stemmer') as Stemmer;
  return porter;
}

/**
 * Stems per language, memoised: ~1–4 µs a new Indonesian word (see stemmer-id.ts), a Map probe
 * a known one. Bounded: at most 2 × STEM_CACHE words per language (see BoundedCache).
 */
const STEM_CACHE = 50_000;
const caches: Record<Language, BoundedCache<string, string>> = {
  id: new BoundedCache(STEM_CACHE),
  en: new BoundedCache(STEM_CACHE),
};

const DIGIT = /\d/;

/**
 * Stems one lower-case word: Indonesian with our implementation of natural's StemmerId
 * (Sastrawi/Nazief–Adriani, equal to natural's on every word tested, see `stemId`), English
 * with natural's Porter stemmer. Placeholders and words with digits are kept as they are.
 *
 * @example
 * stem('perbaikan', 'id') // 'baik'
 * stem('complaints', 'en') // 'complaint'
 */
export function stem(word: string, lang: Language): string {
  const cache = caches[lang];
  const s = cache.get(word);
  if (s !== undefined) return s;
  // Placeholders and numbers are not words.
  if (PLACEHOLDERS.has(word) || DIGIT.test(word)) return cache.set(word, word);
  return cache.set(word, lang === 'id' ? stemId(word) : english().stem(word));
}

/** Indonesian and English stop words (natural's lists), for retrieval. */
export function stopwords(lang: Language): ReadonlySet<string> {
  const list =
    lang === 'id'
      ? (require('natural/lib/natural/util/stopwords_id.js') as { words: string[] }).words
      : (require('natural/lib/natural/util/stopwords.js') as { words: string[] }).words;
  return new Set(list);
}

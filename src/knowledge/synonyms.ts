import { readFileSync } from 'node:fs';

/** Query expansion: a term (one or more words) → the terms that mean the same. */
export type Synonyms = ReadonlyMap<string, string[]>;

/**
 * Parses `intents/synonyms.tsv`: `term<TAB>synonym1,synonym2,…`, `#` comments. Terms are lower
 * case and may have several words.
 */
export function parseSynonyms(text: string, source = 'synonyms.tsv'): Synonyms {
  const map = new Map<string, string[]>();
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const [term, list, ...rest] = line.split('\t');
    if (!term?.trim() || !list?.trim() || rest.length > 0) {
      problems.push(`${source}:${i + 1}: expected "term<TAB>synonym,synonym,…"`);
      return;
    }
    const key = term.trim().toLowerCase();
    const values = list
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
    map.set(key, [...new Set([...(map.get(key) ?? []), ...values])]);
  });
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return map;
}

export function loadSynonyms(path: string): Synonyms {
  return parseSynonyms(readFileSync(path, 'utf8'), path);
}

/** Longest synonym key, in words (bounds the phrase search). */
export function longestKey(synonyms: Synonyms): number {
  let max = 1;
  for (const k of synonyms.keys()) max = Math.max(max, k.split(/\s+/).length);
  return max;
}

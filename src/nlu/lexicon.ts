import { readFileSync } from 'node:fs';

/** Informal spelling → standard words (one or more), and address words to drop. */
export interface SlangLexicon {
  replacements: ReadonlyMap<string, string[]>;
  /** Words used to address the admin ("min", "mimin", "kak"): carry no meaning, dropped. */
  addressWords: ReadonlySet<string>;
}

/**
 * Parses `intents/slang.tsv`: `informal<TAB>standard` per line, `#` comments. A standard form
 * of `-` marks an address word. Returns the lexicon or throws with the bad line numbers.
 *
 * @example
 * parseSlang('gak\ttidak\nmin\t-\n').replacements.get('gak') // ['tidak']
 */
export function parseSlang(text: string, source = 'slang.tsv'): SlangLexicon {
  const replacements = new Map<string, string[]>();
  const addressWords = new Set<string>();
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const [from, to, ...rest] = trimmed.split('\t').map((s) => s.trim());
    if (!from || !to || rest.length > 0 || /\s/.test(from)) {
      problems.push(`${source}:${i + 1}: expected "informal<TAB>standard"`);
      return;
    }
    if (to === '-') addressWords.add(from.toLowerCase());
    else replacements.set(from.toLowerCase(), to.toLowerCase().split(/\s+/));
  });
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return { replacements, addressWords };
}

export function loadSlang(path: string): SlangLexicon {
  return parseSlang(readFileSync(path, 'utf8'), path);
}

/** Applies the lexicon to Indonesian tokens. */
export function applySlang(tokens: string[], lexicon: SlangLexicon): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    if (lexicon.addressWords.has(t)) continue;
    const r = lexicon.replacements.get(t);
    if (r) out.push(...r);
    else out.push(t);
  }
  return out;
}

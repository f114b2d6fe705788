/**
 * Indonesian stemming: our own implementation of natural's `StemmerId` (natural 8.1.1,
 * `lib/natural/stemmers/indonesian`, a port of Sastrawi: Nazief–Adriani with the ECS
 * improvements), rule for rule and quirk for quirk, with natural's root-word dictionary.
 *
 * Why a reimplementation rather than a table of precomputed stems: complaints bring new words
 * all the time (names, places, typos), and natural spends ~30 µs on each, mostly rebuilding
 * arrays of closures and running every prefix rule's regular expression (through `for…in`) up
 * to a dozen times per word. Here the rules are built once, a prefix rule whose regular
 * expression cannot match (the word does not start with its literal prefix) is skipped with one
 * `startsWith`, and the dictionary is looked up only where a result can change — the same steps
 * in the same order, a few microseconds a word. A table of stems precomputed from the training
 * vocabulary would leave every unseen word (a good part of a real complaint's) at natural's
 * speed; with this, the stem cache (stem.ts) is only a convenience.
 *
 * `tests/nlu/stemmer-id.test.ts` proves equality with natural's StemmerId on every word of the
 * training data, on every distinct word of the Surabaya complaints (when the evaluation data is
 * present), on every dictionary root and on affixed forms built from them. Quirks kept on
 * purpose (changing them would change stems, and so the models): rules 3 and 5 are not anchored
 * at the start of the word; a rule's result is the last alternative tried when none is in the
 * dictionary (rule 30 then yields nothing); restoring prefixes starts from the original word of
 * the *last* removal; the two halves of a reduplicated word share one list of removals.
 *
 * Ported from natural (MIT licence), whose Indonesian stemmer carries: Copyright (c) 2017,
 * Alif Bhaskoro, Andy Librian, R. Kukuh (reimplemented from https://github.com/sastrawi/sastrawi).
 * Permission is hereby granted, free of charge, to any person obtaining a copy of this software
 * and associated documentation files (the "Software"), to deal in the Software without
 * restriction, including without limitation the rights to use, copy, modify, merge, publish,
 * distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
 * Software is furnished to do so, subject to the following conditions: The above copyright
 * notice and this permission notice shall be included in all copies or substantial portions of
 * the Software. THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 * IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A
 * PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE
 * LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
 * OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
 * DEALINGS IN THE SOFTWARE.
 */

/** How one affix was removed. */
interface Removal {
  /** The word before the removal. */
  original: string;
  /** The word after it. */
  result: string;
  /** What was removed (suffix removals only: prefix removals never read it). */
  removed: string;
  /** P: particle, PP: possessive pronoun, DS: derivational suffix, DP: derivational prefix. */
  type: 'P' | 'PP' | 'DS' | 'DP';
}

let dictionary: ReadonlySet<string> | undefined;

/** natural's root-word list (kata dasar), without empty entries, as natural loads it. */
function roots(): ReadonlySet<string> {
  if (!dictionary) {
    const words =
      require('natural/lib/natural/stemmers/indonesian/data/kata-dasar.json') as string[];
    dictionary = new Set(words.filter(Boolean));
  }
  return dictionary;
}

// Character classes of natural's rules.
const C = 'bcdfghjklmnpqrstvwxyz';
const V = 'aiueo';

/** One alternative of a prefix rule: the root it proposes, or undefined when it does not apply. */
type Alternative = (word: string) => string | undefined;

/** An alternative that applies when `re` matches, proposing `join` of the match. */
function rewrite(re: RegExp, join: (m: RegExpExecArray) => string | undefined): Alternative {
  return (word) => {
    const m = re.exec(word);
    return m ? join(m) : undefined;
  };
}

const g = (m: RegExpExecArray, i: number) => m[i] as string;

/** natural's test that the rest of a word starts with "er". */
const STARTS_ER = /^er(.*)$/;

/** Rule 32's pattern: pelV. */
const PEL = rewrite(new RegExp(`^pe(l[${V}])(.*)`), (m) => g(m, 1) + g(m, 2));

/**
 * A disambiguating prefix rule: its alternatives in natural's order, and a literal the word
 * must start with (or, for natural's two unanchored rules, contain) for any of them to match.
 */
interface PrefixRule {
  literal: string;
  anchored: boolean;
  alternatives: Alternative[];
}

const rule = (literal: string, ...alternatives: Alternative[]): PrefixRule => ({
  literal,
  anchored: true,
  alternatives,
});

/** natural's `DisambiguatorPrefixRule1` … `42` (there is no 22 nor 33), in natural's order. */
const PREFIX_RULES: PrefixRule[] = [
  // 1: berV → ber-V | be-rV
  rule(
    'ber',
    rewrite(new RegExp(`^ber([${V}].*)$`), (m) => g(m, 1)),
    rewrite(new RegExp(`^ber([${V}].*)$`), (m) => `r${g(m, 1)}`),
  ),
  // 2: berCAP → ber-CAP where P != 'er'
  rule(
    'ber',
    rewrite(new RegExp(`^ber([${C}])([a-z])(.*)`), (m) =>
      STARTS_ER.test(g(m, 3)) ? undefined : g(m, 1) + g(m, 2) + g(m, 3),
    ),
  ),
  // 3: berCAerV → ber-CAerV (natural's pattern is not anchored)
  {
    literal: 'ber',
    anchored: false,
    alternatives: [
      rewrite(new RegExp(`ber([${C}])([a-z])er([${V}])(.*)`), (m) =>
        g(m, 1) === 'r' ? undefined : `${g(m, 1) + g(m, 2)}er${g(m, 3)}${g(m, 4)}`,
      ),
    ],
  },
  // 4: belajar → ajar
  rule('belajar', (w) => (w === 'belajar' ? 'ajar' : undefined)),
  // 5: beC1erC2 → be-C1erC2 (not anchored either)
  {
    literal: 'be',
    anchored: false,
    alternatives: [
      rewrite(
        /be([bcdfghjklmnpqstvwxyz])(er[bcdfghjklmnpqrstvwxyz])(.*)$/,
        (m) => g(m, 1) + g(m, 2) + g(m, 3),
      ),
    ],
  },
  // 6: terV → ter-V | te-rV
  rule(
    'ter',
    rewrite(new RegExp(`^ter([${V}].*)$`), (m) => g(m, 1)),
    rewrite(new RegExp(`^ter([${V}].*)$`), (m) => `r${g(m, 1)}`),
  ),
  // 7: terCerV → ter-CerV where C != 'r'
  rule(
    'ter',
    rewrite(new RegExp(`^ter([${C}])er([${V}].*)$`), (m) =>
      g(m, 1) === 'r' ? undefined : `${g(m, 1)}er${g(m, 2)}`,
    ),
  ),
  // 8: terCP → ter-CP where C != 'r' and P != 'er'
  rule(
    'ter',
    rewrite(new RegExp(`^ter([${C}])(.*)$`), (m) =>
      g(m, 1) === 'r' || STARTS_ER.test(g(m, 2)) ? undefined : g(m, 1) + g(m, 2),
    ),
  ),
  // 9: teC1erC2 → te-C1erC2 where C1 != 'r'
  rule(
    'te',
    rewrite(new RegExp(`^te([${C}])er([${C}])(.*)$`), (m) =>
      g(m, 1) === 'r' ? undefined : `${g(m, 1)}er${g(m, 2)}${g(m, 3)}`,
    ),
  ),
  // 10: me{l|r|w|y}V → me-{l|r|w|y}V
  rule(
    'me',
    rewrite(new RegExp(`^me([lrwy])([${V}])(.*)$`), (m) => g(m, 1) + g(m, 2) + g(m, 3)),
  ),
  // 11: mem{b|f|v} → mem-{b|f|v}
  rule(
    'mem',
    rewrite(/^mem([bfv])(.*)$/, (m) => g(m, 1) + g(m, 2)),
  ),
  // 12: mempe → mem-pe
  rule(
    'mempe',
    rewrite(/^mempe(.*)$/, (m) => `pe${g(m, 1)}`),
  ),
  // 13: mem{rV|V} → me-m{rV|V} | me-p{rV|V}
  rule(
    'mem',
    rewrite(new RegExp(`^mem([${V}])(.*)$`), (m) => `m${g(m, 1)}${g(m, 2)}`),
    rewrite(new RegExp(`^mem([${V}])(.*)$`), (m) => `p${g(m, 1)}${g(m, 2)}`),
  ),
  // 14: men{c|d|j|s|t|z} → men-{c|d|j|s|t|z}
  rule(
    'men',
    rewrite(/^men([cdjstz])(.*)$/, (m) => g(m, 1) + g(m, 2)),
  ),
  // 15: menV → me-nV | me-tV
  rule(
    'men',
    rewrite(new RegExp(`^men([${V}])(.*)$`), (m) => `n${g(m, 1)}${g(m, 2)}`),
    rewrite(new RegExp(`^men([${V}])(.*)$`), (m) => `t${g(m, 1)}${g(m, 2)}`),
  ),
  // 16: meng{g|h|q|k} → meng-{g|h|q|k} (natural's class also holds '|')
  rule(
    'meng',
    rewrite(/^meng([g|h|q|k])(.*)$/, (m) => g(m, 1) + g(m, 2)),
  ),
  // 17: mengV → meng-V | meng-kV | meng-e → (V = e) | me-ngV
  rule(
    'meng',
    rewrite(new RegExp(`^meng([${V}])(.*)$`), (m) => g(m, 1) + g(m, 2)),
    rewrite(new RegExp(`^meng([${V}])(.*)$`), (m) => `k${g(m, 1)}${g(m, 2)}`),
    rewrite(/^menge(.*)$/, (m) => g(m, 1)),
    rewrite(new RegExp(`^meng([${V}])(.*)$`), (m) => `ng${g(m, 1)}${g(m, 2)}`),
  ),
  // 18: menyV → me-nyV | meny-sV
  rule(
    'meny',
    rewrite(new RegExp(`^meny([${V}])(.*)$`), (m) => `ny${g(m, 1)}${g(m, 2)}`),
    rewrite(new RegExp(`^meny([${V}])(.*)$`), (m) => `s${g(m, 1)}${g(m, 2)}`),
  ),
  // 19: mempA → mem-pA where A != 'e'
  rule(
    'memp',
    rewrite(/^memp([abcdfghijklmopqrstuvwxyz])(.*)$/, (m) => `p${g(m, 1)}${g(m, 2)}`),
  ),
  // 20: pe{w|y}V → pe-{w|y}V
  rule(
    'pe',
    rewrite(new RegExp(`^pe([wy])([${V}])(.*)$`), (m) => g(m, 1) + g(m, 2) + g(m, 3)),
  ),
  // 21: perV → per-V | pe-rV
  rule(
    'per',
    rewrite(new RegExp(`^per([${V}])(.*)$`), (m) => g(m, 1) + g(m, 2)),
    rewrite(new RegExp(`^pe(r[${V}])(.*)$`), (m) => g(m, 1) + g(m, 2)),
  ),
  // 23: perCAP → per-CAP where P != 'er'
  rule(
    'per',
    rewrite(new RegExp(`^per([${C}])([a-z])(.*)$`), (m) =>
      STARTS_ER.test(g(m, 3)) ? undefined : g(m, 1) + g(m, 2) + g(m, 3),
    ),
  ),
  // 24: perCAerV → per-CAerV where C != 'r'
  rule(
    'per',
    rewrite(new RegExp(`^per([${C}])([a-z])er([${V}])(.*)$`), (m) =>
      g(m, 1) === 'r' ? undefined : `${g(m, 1) + g(m, 2)}er${g(m, 3)}${g(m, 4)}`,
    ),
  ),
  // 25: pem{b|f|v} → pem-{b|f|v}
  rule(
    'pem',
    rewrite(/^pem([bfv])(.*)$/, (m) => g(m, 1) + g(m, 2)),
  ),
  // 26: pem{rV|V} → pe-m{rV|V} | pe-p{rV|V}
  rule(
    'pem',
    rewrite(new RegExp(`^pem([${V}])(.*)$`), (m) => `m${g(m, 1)}${g(m, 2)}`),
    rewrite(new RegExp(`^pem([${V}])(.*)$`), (m) => `p${g(m, 1)}${g(m, 2)}`),
  ),
  // 27: pen{c|d|j|s|t|z} → pen-{c|d|j|s|t|z}
  rule(
    'pen',
    rewrite(/^pen([cdjstz])(.*)$/, (m) => g(m, 1) + g(m, 2)),
  ),
  // 28: penV → pe-nV | pe-tV
  rule(
    'pen',
    rewrite(new RegExp(`^pen([${V}])(.*)$`), (m) => `n${g(m, 1)}${g(m, 2)}`),
    rewrite(new RegExp(`^pen([${V}])(.*)$`), (m) => `t${g(m, 1)}${g(m, 2)}`),
  ),
  // 29: pengC → peng-C
  rule(
    'peng',
    rewrite(new RegExp(`^peng([${C}])(.*)$`), (m) => g(m, 1) + g(m, 2)),
  ),
  // 30: pengV → peng-V | peng-kV | penge → (V = e)
  rule(
    'peng',
    rewrite(new RegExp(`^peng([${V}])(.*)$`), (m) => g(m, 1) + g(m, 2)),
    rewrite(new RegExp(`^peng([${V}])(.*)$`), (m) => `k${g(m, 1)}${g(m, 2)}`),
    rewrite(/^penge(.*)$/, (m) => g(m, 1)),
  ),
  // 31: penyV → pe-nyV | peny-sV
  rule(
    'peny',
    rewrite(new RegExp(`^peny([${V}])(.*)$`), (m) => `ny${g(m, 1)}${g(m, 2)}`),
    rewrite(new RegExp(`^peny([${V}])(.*)$`), (m) => `s${g(m, 1)}${g(m, 2)}`),
  ),
  // 32: pelV → pe-lV, except pelajar → ajar
  rule('pe', (w) => (w === 'pelajar' ? 'ajar' : PEL(w))),
  // 34: peCP → pe-CP where P != 'er'
  rule(
    'pe',
    rewrite(new RegExp(`^pe([${C}])(.*)$`), (m) =>
      STARTS_ER.test(g(m, 2)) ? undefined : g(m, 1) + g(m, 2),
    ),
  ),
  // 35: terC1erC2 → ter-C1erC2 where C1 != 'r'
  rule(
    'ter',
    rewrite(
      new RegExp(`^ter([bcdfghjkpqstvxz])(er[${C}])(.*)$`),
      (m) => g(m, 1) + g(m, 2) + g(m, 3),
    ),
  ),
  // 36: peC1erC2 → pe-C1erC2 where C1 != {r|w|y|l|m|n}
  rule(
    'pe',
    rewrite(
      new RegExp(`^pe([bcdfghjkpqstvxz])(er[${C}])(.*)$`),
      (m) => g(m, 1) + g(m, 2) + g(m, 3),
    ),
  ),
  // 37–40: CerV, CelV, CemV, CinV → the word itself | CV
  ...['er', 'el', 'em', 'in'].map((infix) =>
    rule(
      '',
      rewrite(new RegExp(`^([${C}])(${infix}[${V}])(.*)$`), (m) => g(m, 1) + g(m, 2) + g(m, 3)),
      rewrite(new RegExp(`^([${C}])${infix}([${V}])(.*)$`), (m) => g(m, 1) + g(m, 2) + g(m, 3)),
    ),
  ),
  // 41: kuA → ku-A
  rule(
    'ku',
    rewrite(/^ku(.*)$/, (m) => g(m, 1)),
  ),
  // 42: kauA → kau-A
  rule(
    'kau',
    rewrite(/^kau(.*)$/, (m) => g(m, 1)),
  ),
];

/** natural's suffix rules, in order: particle, possessive pronoun, derivational suffix. */
const SUFFIX_RULES: [RegExp, Removal['type']][] = [
  [/-*(lah|kah|tah|pun)$/, 'P'],
  [/-*(ku|mu|nya)$/, 'PP'],
  [/(is|isme|isasi|i|kan|an)$/, 'DS'],
];

/** Words whose prefix is removed before their suffix (natural's precedence adjustment). */
const PREFIX_FIRST = [
  /^be(.*)lah$/,
  /^be(.*)an$/,
  /^me(.*)i$/,
  /^di(.*)i$/,
  /^pe(.*)i$/,
  /^ter(.*)i$/,
];

const PLAIN_PREFIX = /^(di|ke|se)/;
const HYPHENATED = /^(.*)-(.*)$/;
const PLURAL_WITH_SUFFIX = /^(.*)-(ku|mu|nya|lah|kah|tah|pun)$/;

const POSSESSIVE_OR_PARTICLE = ['ku', 'mu', 'nya', 'lah', 'kah', 'tah', 'pun'];

/** The state of stemming one token (natural keeps it in module variables). */
class Stemming {
  removals: Removal[] = [];
  private original = '';
  private current = '';

  constructor(private readonly dict: ReadonlySet<string>) {}

  stemPlural(plural: string): string {
    let m = HYPHENATED.exec(plural);
    if (!m) return plural;
    const words = [g(m, 1), g(m, 2)];
    // malaikat-malaikat-nya → malaikat, malaikat-nya
    const suffix = words[1] as string;
    m = HYPHENATED.exec(words[0] as string);
    if (POSSESSIVE_OR_PARTICLE.includes(suffix) && m) {
      words[0] = g(m, 1);
      words[1] = `${g(m, 2)}-${suffix}`;
    }
    const root1 = this.stemSingular(words[0] as string);
    let root2 = this.stemSingular(words[1] as string);
    // meniru-nirukan → tiru
    if (!this.dict.has(words[1] as string) && root2 === words[1]) {
      root2 = this.stemSingular(`me${words[1]}`);
    }
    return root1 === root2 ? root1 : plural;
  }

  stemSingular(word: string): string {
    this.original = word;
    this.current = word;
    if (word.length > 3) this.process();
    return this.dict.has(this.current) ? this.current : this.original;
  }

  private process(): void {
    const { dict } = this;
    if (dict.has(this.current)) return;
    if (PREFIX_FIRST.some((re) => re.test(this.original))) {
      this.removePrefixes();
      if (dict.has(this.current)) return;
      this.removeSuffixes();
      if (dict.has(this.current)) return;
      this.current = this.original;
      this.removals = [];
    }
    this.removeSuffixes();
    if (dict.has(this.current)) return;
    this.removePrefixes();
    if (dict.has(this.current)) return;
    this.loopRestorePrefixes();
  }

  private removeSuffixes(): void {
    for (const [re, type] of SUFFIX_RULES) {
      const word = this.current;
      const result = word.replace(re, '');
      if (result !== word) {
        // natural: word.replace(result, ''); result starts word, so that is the rest of word.
        const removed = word.slice(result.length);
        this.removals.push({ original: word, result, removed, type });
      }
      this.current = result;
      if (this.dict.has(result)) return;
    }
  }

  private removePrefixes(): void {
    for (let i = 0; i < 3; i++) {
      this.checkPrefixRules();
      if (this.dict.has(this.current)) return;
    }
  }

  /**
   * natural's `checkPrefixRules`: the plain prefixes, then the disambiguating rules in order,
   * stopping at the first rule that removes something. Every rule that removes nothing leaves
   * the word as it was, so natural's dictionary check after it repeats the check made on entry
   * (made once here); rules whose pattern cannot match are skipped.
   */
  private checkPrefixRules(): void {
    const word = this.current;
    const plain = word.replace(PLAIN_PREFIX, '');
    if (plain !== word) {
      this.removals.push({ original: word, result: plain, removed: '', type: 'DP' });
      this.current = plain;
      return;
    }
    if (this.dict.has(word)) return;
    for (const r of PREFIX_RULES) {
      if (r.anchored ? !word.startsWith(r.literal) : !word.includes(r.literal)) continue;
      let result: string | undefined;
      for (const alternative of r.alternatives) {
        result = alternative(word);
        if (result !== undefined && this.dict.has(result)) break;
      }
      if (result !== undefined) {
        this.removals.push({ original: word, result, removed: '', type: 'DP' });
        this.current = result;
        return;
      }
    }
  }

  private loopRestorePrefixes(): void {
    // natural's restorePrefix: back to the word before the last removal, prefix removals dropped.
    for (const r of this.removals) this.current = r.original;
    const removals = this.removals.filter((r) => r.type !== 'DP');
    this.removals = removals;
    removals.reverse();
    const before = this.current;
    // Prefix removals pushed while looping are not visited (natural skips them as prefixes).
    const n = removals.length;
    for (let i = 0; i < n; i++) {
      const r = removals[i] as Removal;
      if (r.removed === 'kan') {
        this.current = `${r.result}k`;
        this.removePrefixes();
        if (this.dict.has(this.current)) return;
        this.current = `${r.result}kan`;
      } else {
        this.current = r.original;
      }
      this.removePrefixes();
      if (this.dict.has(this.current)) return;
      this.current = before;
    }
  }
}

/** natural's `isPlural`: a hyphen, not counting one before a final particle or pronoun. */
function isPlural(token: string): boolean {
  const m = PLURAL_WITH_SUFFIX.exec(token);
  if (m) return g(m, 1).includes('-');
  return token.includes('-');
}

/**
 * The root of an Indonesian word, exactly as natural's `StemmerId.stem` gives it.
 *
 * @example
 * stemId('perbaikan') // 'baik'
 * stemId('mempengaruhi') // 'pengaruh'
 */
export function stemId(token: string): string {
  const word = token.toLowerCase();
  const run = new Stemming(roots());
  return isPlural(word) ? run.stemPlural(word) : run.stemSingular(word);
}

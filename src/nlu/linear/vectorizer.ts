import type { TokenIds } from '../token-table';
import type { SoftmaxWeights } from './calibration';
import type { SparseVector } from './sparse';

/** Which features a vectorizer makes from a token list. */
export interface FeatureConfig {
  /** Word n-gram sizes, e.g. [1, 2]. */
  wordNgrams: number[];
  /** Character n-grams within words (padded with spaces), min and max size; [0, 0] for none. */
  charNgrams: [number, number];
  /** Keep features seen in at least this many training documents. */
  minDf: number;
  /** Keep at most this many features (the most frequent). */
  maxFeatures: number;
  /**
   * Weight of the character block against the word block; each block is L2-normalised on its
   * own first, so the many character n-grams do not drown the words. Default 1.
   */
  charWeight?: number;
}

/** A document as the vectorizer sees it: word tokens (stems) and surface tokens for char n-grams. */
export interface FeatureInput {
  words: string[];
  chars: string[];
  /** Ids of `chars` in a TokenTable, if known: per-token memos are then array look-ups. */
  charIds?: TokenIds;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Low bit of a feature hash: 1 for character n-grams, 0 for word n-grams. */
const CHAR_BIT = 1;
/** Reused buffer of a padded token's character codes. */
let codes = new Uint16Array(64);

function hashString(s: string, h = FNV_OFFSET): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/**
 * Character n-grams are taken from at most this many characters of a message: from its tokens
 * in order, as long as their lengths add up to no more than this (the token that would go past
 * it, and every token after it, add no character n-grams; every word still adds its word
 * n-grams). This bounds the work and memory of one message whatever its length (a long
 * complaint's first thousand letters say what it is about), and applies to training alike.
 * Measured with `npm run bench -- nlu`: the hold-out set is unchanged (its messages are
 * shorter); 3% of the Surabaya complaints are longer, and the router trained and tested on them
 * went from accuracy 0.9092 / macro-F1 0.8534 to 0.9087 / 0.8528 (one test complaint of 2,070).
 */
export const MAX_CHAR_NGRAM_CHARS = 1000;

/** How many leading tokens fit in the character budget (see MAX_CHAR_NGRAM_CHARS). */
export function charTokenCount(tokens: readonly string[]): number {
  let budget = MAX_CHAR_NGRAM_CHARS;
  for (let t = 0; t < tokens.length; t++) {
    budget -= (tokens[t] as string).length;
    if (budget < 0) return t;
  }
  return tokens.length;
}

/**
 * The hashed features of a document, with repeats: 32-bit FNV-1a hashes of word n-grams and of
 * character n-grams (within the character budget, see MAX_CHAR_NGRAM_CHARS), computed without
 * building substrings. The lowest bit tells character features from word features.
 */
export function featureHashes(
  input: FeatureInput,
  config: FeatureConfig,
  out: number[] = [],
): number[] {
  out.length = 0;
  wordHashes(input.words, config, out);
  const [, hi] = config.charNgrams;
  if (hi > 0) {
    const n = charTokenCount(input.chars);
    for (let t = 0; t < n; t++) charHashes(input.chars[t] as string, config, out);
  }
  return out;
}

/** Reused: the FNV state after each word alone (where every n-gram starting there begins). */
let wordStarts = new Int32Array(64);

/** Appends the hashes of the word n-grams of `words` to `out` (n by n, then in order). */
function wordHashes(words: readonly string[], config: FeatureConfig, out: number[]): void {
  if (wordStarts.length < words.length) wordStarts = new Int32Array(words.length * 2);
  for (let i = 0; i < words.length; i++) wordStarts[i] = hashString(words[i] as string);
  for (const n of config.wordNgrams) {
    for (let i = 0; i + n <= words.length; i++) {
      let h = wordStarts[i] as number;
      for (let k = 1; k < n; k++) {
        h = Math.imul(h ^ 0x20, FNV_PRIME); // word separator
        h = hashString(words[i + k] as string, h);
      }
      h = Math.imul(h ^ n, FNV_PRIME);
      out.push((h & ~CHAR_BIT) >>> 0);
    }
  }
}

/** Appends the character n-gram hashes of one token (padded: " token ") to `out`. */
function charHashes(token: string, config: FeatureConfig, out: number[]): void {
  const [lo, hi] = config.charNgrams;
  const len = token.length + 2;
  if (codes.length < len) codes = new Uint16Array(len * 2);
  codes[0] = 0x20;
  for (let i = 0; i < token.length; i++) codes[i + 1] = token.charCodeAt(i);
  codes[len - 1] = 0x20;
  for (let i = 0; i + lo <= len; i++) {
    let h = FNV_OFFSET;
    const end = Math.min(hi, len - i);
    for (let n = 1; n <= end; n++) {
      h = Math.imul(h ^ (codes[i + n - 1] as number), FNV_PRIME);
      if (n >= lo) out.push((Math.imul(h ^ (0x100 + n), FNV_PRIME) | CHAR_BIT) >>> 0);
    }
  }
}

/** 1 + ln(tf) for small term counts (the sublinear tf of every feature, precomputed). */
const SUBLINEAR_TF = Float64Array.from({ length: 256 }, (_, c) => (c > 0 ? 1 + Math.log(c) : 0));

/** The sublinear term frequency 1 + ln(count) of a feature seen `count` (> 0) times. */
function sublinearTf(count: number): number {
  return count < SUBLINEAR_TF.length ? (SUBLINEAR_TF[count] as number) : 1 + Math.log(count);
}

/**
 * Bounds of the per-token memo of character features (per vectorizer): tokens up to this long,
 * at most this many of them (then the memo starts afresh). With the partial scores of a
 * 16-class model that is at most ~10 MB.
 */
const MAX_CACHED_TOKENS = 50_000;
const MAX_CACHED_TOKEN = 40;

/** Serialised vectorizer: feature hashes (position = index) and idf weights. */
export interface VectorizerJSON {
  config: FeatureConfig;
  /** Uint32 feature hashes, base64. */
  hashes: string;
  /** Float32 idf weights, base64. */
  idf: string;
}

const toBase64 = (a: Uint32Array | Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
function fromBase64<T>(s: string, make: (b: ArrayBuffer) => T): T {
  const bytes = Buffer.from(s, 'base64');
  return make(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/**
 * TF-IDF over hashed word n-grams and character n-grams: sublinear tf (1 + ln tf), smoothed idf,
 * word and character blocks L2-normalised separately. Character n-grams make the model tolerant
 * of typos and slang spellings. Vocabulary = the hashes seen in training (minDf, maxFeatures).
 */
export class Vectorizer {
  private readonly index: HashIndex;
  private readonly scratch: number[] = [];
  private readonly scratchChars: number[] = [];
  /** Per-feature counts of the document being transformed (reset after each use). */
  private readonly counts: Uint16Array;
  private readonly touched: Int32Array;
  /** 1 where the feature is a character n-gram (a small array the hot loop reads). */
  private readonly isChar: Uint8Array;
  private readonly memo = new TokenMemo();
  /** Known character n-grams and partial scores of a token too long for the memo. */
  private long = new Int32Array(64);
  private longSums = new Float64Array(0);
  /** Per-class sums of the word and character blocks while scoring (see `scoreInto`). */
  private wordAcc = new Float64Array(0);
  private charAcc = new Float64Array(0);
  /** The character block's squared norm, as `sumTokens` leaves it. */
  private charNorm = 0;

  private constructor(
    readonly config: FeatureConfig,
    readonly hashes: Uint32Array,
    readonly idf: Float32Array,
  ) {
    this.index = new HashIndex(hashes);
    this.counts = new Uint16Array(hashes.length);
    this.touched = new Int32Array(Math.max(16, hashes.length));
    this.isChar = Uint8Array.from(hashes, (h) => h & CHAR_BIT);
  }

  get size(): number {
    return this.hashes.length;
  }

  /** Learns the vocabulary and idf from training documents. */
  static fit(docs: FeatureInput[], config: FeatureConfig): Vectorizer {
    const df = new DocumentFrequencies();
    const buffer: number[] = [];
    docs.forEach((doc, d) => {
      for (const h of featureHashes(doc, config, buffer)) df.add(h, d);
    });
    const kept = df
      .entries(config.minDf)
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, config.maxFeatures);
    const n = docs.length;
    return new Vectorizer(
      config,
      Uint32Array.from(kept, ([h]) => h),
      Float32Array.from(kept, ([, d]) => Math.log((1 + n) / (1 + d)) + 1),
    );
  }

  static fromJSON(json: VectorizerJSON): Vectorizer {
    const hashes = fromBase64(json.hashes, (b) => new Uint32Array(b));
    const idf = fromBase64(json.idf, (b) => new Float32Array(b));
    if (idf.length !== hashes.length) throw new Error('vectorizer idf does not match its features');
    return new Vectorizer(json.config, hashes, idf);
  }

  toJSON(): VectorizerJSON {
    return { config: this.config, hashes: toBase64(this.hashes), idf: toBase64(this.idf) };
  }

  /**
   * The TF-IDF vector of a document (unknown features are ignored). The known character n-grams
   * of each token are memoised: words repeat across messages, so a long message mostly costs
   * one memo look-up per word (an array read with the pipeline's token ids, else a `Map` probe)
   * instead of a hash and a table probe per n-gram.
   */
  transform(doc: FeatureInput): SparseVector {
    return this.finish(this.count(doc));
  }

  /** The TF-IDF vector of precomputed feature hashes (see `featureHashes`). */
  transformHashes(hashes: readonly number[]): SparseVector {
    return this.finish(this.countHashes(hashes, 0));
  }

  /**
   * The class scores `bias + W·x` of a document (or of its precomputed feature hashes) for
   * feature-major weights over this vocabulary, written into `out`, without building the vector:
   * the same numbers as `logits(model, transform(doc))` up to rounding, with no allocation.
   * This is the classification hot path.
   *
   * For a document, each token's character n-grams come with memoised partial scores (their
   * `idf · w` summed per class, and their `idf²`), as if each occurred once: one short row per
   * token instead of one weight row per n-gram. Only the n-grams that occur more than once in
   * the document (about a quarter of a long complaint's) then need their own row, to turn the `c`
   * occurrences summed into the sublinear `1 + ln c`.
   */
  scoreInto(
    doc: FeatureInput | readonly number[],
    model: SoftmaxWeights,
    out: Float64Array,
  ): Float64Array {
    const { classes, weights, bias } = model;
    if (this.wordAcc.length < classes) {
      this.wordAcc = new Float64Array(classes);
      this.charAcc = new Float64Array(classes);
    }
    const { wordAcc, charAcc, counts, touched, idf, isChar } = this;
    wordAcc.fill(0, 0, classes);
    charAcc.fill(0, 0, classes);
    let wordNorm = 0;
    let charNorm = 0;
    if (Array.isArray(doc)) {
      // Feature hashes: every feature scored on its own.
      const n = this.countHashes(doc as readonly number[], 0);
      for (let k = 0; k < n; k++) {
        const i = touched[k] as number;
        const v = sublinearTf(counts[i] as number) * (idf[i] as number);
        counts[i] = 0;
        const base = i * classes;
        if (isChar[i] === 1) {
          charNorm += v * v;
          for (let j = 0; j < classes; j++)
            charAcc[j] = (charAcc[j] as number) + v * (weights[base + j] as number);
        } else {
          wordNorm += v * v;
          for (let j = 0; j < classes; j++)
            wordAcc[j] = (wordAcc[j] as number) + v * (weights[base + j] as number);
        }
      }
    } else {
      const { words, chars, charIds } = doc as FeatureInput;
      // Word n-grams are the first `nWords` touched features, character n-grams the rest.
      const nWords = this.countHashes(this.wordFeatureHashes(words), 0);
      let n = nWords;
      if (this.config.charNgrams[1] > 0) {
        n = this.sumTokens(chars, charIds, nWords, model);
        charNorm = this.charNorm;
      }
      for (let k = 0; k < nWords; k++) {
        const i = touched[k] as number;
        const v = sublinearTf(counts[i] as number) * (idf[i] as number);
        counts[i] = 0;
        wordNorm += v * v;
        const base = i * classes;
        for (let j = 0; j < classes; j++)
          wordAcc[j] = (wordAcc[j] as number) + v * (weights[base + j] as number);
      }
      for (let k = nWords; k < n; k++) {
        const i = touched[k] as number;
        const c = counts[i] as number;
        counts[i] = 0;
        if (c === 1) continue; // summed already, and 1 + ln 1 = 1
        // Summed as c · idf (and c · idf² in the norm): add the difference to tf · idf.
        const tf = sublinearTf(c);
        const d = idf[i] as number;
        const f = (tf - c) * d;
        charNorm += (tf * tf - c) * d * d;
        const base = i * classes;
        for (let j = 0; j < classes; j++)
          charAcc[j] = (charAcc[j] as number) + f * (weights[base + j] as number);
      }
    }
    const { wordScale, charScale } = this.scales(wordNorm, charNorm);
    for (let j = 0; j < classes; j++) {
      out[j] =
        (bias[j] as number) +
        (wordAcc[j] as number) * wordScale +
        (charAcc[j] as number) * charScale;
    }
    return out;
  }

  /** The hashes of a document's word n-grams (a reused array). */
  private wordFeatureHashes(words: readonly string[]): number[] {
    const out = this.scratch;
    out.length = 0;
    wordHashes(words, this.config, out);
    return out;
  }

  /**
   * Adds the partial scores of the tokens within the character budget to `charAcc` (and their
   * squared norm to `charNorm`), and counts their character n-grams after the `n` features
   * touched so far; returns how many are touched now.
   */
  private sumTokens(
    tokens: readonly string[],
    ids: TokenIds | undefined,
    n: number,
    model: SoftmaxWeights,
  ): number {
    const { counts, touched, charAcc, memo } = this;
    const { classes } = model;
    const m = charTokenCount(tokens);
    let norm = 0;
    let touchedCount = n;
    for (let t = 0; t < m; t++) {
      const token = tokens[t] as string;
      const e = this.memoEntry(token, ids, t);
      let indices: Int32Array;
      let from: number;
      let to: number;
      let sums: Float64Array;
      let at: number;
      if (e >= 0) {
        indices = memo.indices;
        from = memo.starts[e] as number;
        to = memo.ends[e] as number;
        at = memo.scoredAt(e, model, this.idf);
        sums = memo.sums;
      } else {
        to = this.longIndices(token); // (first: it may grow `long`)
        indices = this.long;
        from = 0;
        if (this.longSums.length < classes + 1) this.longSums = new Float64Array(classes + 1);
        sums = this.longSums;
        at = 0;
        partialScores(indices, from, to, model, this.idf, sums, 0);
      }
      for (let j = 0; j < classes; j++)
        charAcc[j] = (charAcc[j] as number) + (sums[at + j] as number);
      norm += sums[at + classes] as number;
      for (let k = from; k < to; k++) {
        const i = indices[k] as number;
        if (counts[i] === 0) touched[touchedCount++] = i;
        if ((counts[i] as number) < 0xffff) counts[i] = (counts[i] as number) + 1;
      }
    }
    this.charNorm = norm;
    return touchedCount;
  }

  /** Counts a document's known features into `counts`; returns how many were touched. */
  private count(doc: FeatureInput): number {
    let n = this.countHashes(this.wordFeatureHashes(doc.words), 0);
    if (this.config.charNgrams[1] > 0) {
      const { counts, touched, memo } = this;
      const m = charTokenCount(doc.chars);
      for (let t = 0; t < m; t++) {
        const token = doc.chars[t] as string;
        const e = this.memoEntry(token, doc.charIds, t);
        const to = e >= 0 ? (memo.ends[e] as number) : this.longIndices(token);
        const indices = e >= 0 ? memo.indices : this.long; // (after: longIndices may grow it)
        const from = e >= 0 ? (memo.starts[e] as number) : 0;
        for (let k = from; k < to; k++) {
          const i = indices[k] as number;
          if (counts[i] === 0) touched[n++] = i;
          if ((counts[i] as number) < 0xffff) counts[i] = (counts[i] as number) + 1;
        }
      }
    }
    return n;
  }

  /** Counts known feature hashes into `counts` after `n` touched features; returns the new n. */
  private countHashes(hashes: readonly number[], n: number): number {
    const { counts, touched } = this;
    let touchedCount = n;
    for (let k = 0; k < hashes.length; k++) {
      const i = this.index.get(hashes[k] as number);
      if (i < 0) continue;
      if (counts[i] === 0) touched[touchedCount++] = i;
      if ((counts[i] as number) < 0xffff) counts[i] = (counts[i] as number) + 1;
    }
    return touchedCount;
  }

  /**
   * Factors that L2-normalise the word and character blocks separately (the character block
   * weighted by `charWeight`) and then the whole vector.
   */
  private scales(wordNorm: number, charNorm: number): { wordScale: number; charScale: number } {
    const charWeight = this.config.charWeight ?? 1;
    const total =
      Math.sqrt((wordNorm > 0 ? 1 : 0) + (charNorm > 0 ? charWeight * charWeight : 0)) || 1;
    return {
      wordScale: wordNorm > 0 ? 1 / Math.sqrt(wordNorm) / total : 0,
      charScale: charNorm > 0 ? charWeight / Math.sqrt(charNorm) / total : 0,
    };
  }

  /**
   * The memo entry of a token's known character n-grams (made on first sight), or -1 if long.
   * With token ids (the token is `ids.ids[k]`), found by id rather than by text.
   */
  private memoEntry(token: string, ids: TokenIds | undefined, k: number): number {
    // Very long "words" (pasted junk) are not worth keeping.
    if (token.length > MAX_CACHED_TOKEN) return -1;
    const { memo } = this;
    if (ids !== undefined) {
      const id = ids.ids[k] as number;
      const e = memo.byId(ids)[id] as number;
      if (e >= 0) return e;
      const made = memo.add(this.knownCharFeatures(token));
      // (Re-read: adding may have started the memo afresh.)
      memo.byId(ids)[id] = made;
      return made;
    }
    const e = memo.get(token);
    if (e !== undefined) return e;
    const made = memo.add(this.knownCharFeatures(token));
    memo.set(token, made);
    return made;
  }

  /** The known character n-grams of a token too long for the memo, in `long`; returns how many. */
  private longIndices(token: string): number {
    const found = this.knownCharFeatures(token);
    if (this.long.length < found.length) this.long = new Int32Array(found.length * 2);
    for (let k = 0; k < found.length; k++) this.long[k] = found[k] as number;
    return found.length;
  }

  /** Feature indices of a token's known character n-grams, with repeats (a reused array). */
  private knownCharFeatures(token: string): number[] {
    const hashes = this.scratchChars;
    hashes.length = 0;
    charHashes(token, this.config, hashes);
    // Known ones overwrite the hashes in place.
    let n = 0;
    for (let k = 0; k < hashes.length; k++) {
      const i = this.index.get(hashes[k] as number);
      if (i >= 0) hashes[n++] = i;
    }
    hashes.length = n;
    return hashes;
  }

  /** Turns the counts of the `n` touched features into the normalised TF-IDF vector. */
  private finish(n: number): SparseVector {
    const { counts, touched } = this;
    const idx = new Int32Array(n);
    const val = new Float32Array(n);
    let wordNorm = 0;
    let charNorm = 0;
    for (let k = 0; k < n; k++) {
      const i = touched[k] as number;
      const c = counts[i] as number;
      const v = sublinearTf(c) * (this.idf[i] as number);
      counts[i] = 0;
      idx[k] = i;
      val[k] = v;
      if (this.isChar[i] === 1) charNorm += v * v;
      else wordNorm += v * v;
    }
    const { wordScale, charScale } = this.scales(wordNorm, charNorm);
    for (let j = 0; j < n; j++) {
      const isChar = this.isChar[idx[j] as number] === 1;
      val[j] = (val[j] as number) * (isChar ? charScale : wordScale);
    }
    return { idx, val };
  }
}

/** Bound of the memo's shared array of feature indices (4 MB). */
const MAX_MEMO_INDICES = 1 << 20;

/**
 * The memo of tokens' known character n-grams (see Vectorizer): token → entry; the feature
 * indices of entry `e` (with repeats, in n-gram order) are `indices[starts[e]…ends[e])`, and
 * once it is scored with a model its partial scores are at `scoredAt(e, model)` in `sums`.
 * Typed arrays rather than an object per token: fewer pointers to follow on the hot path.
 * Bounded: when it holds MAX_CACHED_TOKENS tokens or MAX_MEMO_INDICES indices it starts afresh.
 */
class TokenMemo {
  private readonly entries = new Map<string, number>();
  /** Entry per token id of `idTable` (generation `idGeneration`), -1 if none. */
  private ids = new Int32Array(0);
  private idTable: TokenIds['table'] | undefined;
  private idGeneration = -1;
  private count = 0;
  starts = new Int32Array(256);
  ends = new Int32Array(256);
  indices = new Int32Array(4096);
  private used = 0;
  /** Per entry, `classes + 1` numbers: Σ idf · w per class, then Σ idf². */
  sums = new Float64Array(0);
  /** 1 where the entry's partial scores are computed (for `model`). */
  private scored = new Uint8Array(256);
  private model: SoftmaxWeights | undefined;

  get(token: string): number | undefined {
    return this.entries.get(token);
  }

  set(token: string, e: number): void {
    this.entries.set(token, e);
  }

  /** Entries by token id for the table and generation of `ids` (forgotten when they change). */
  byId(ids: TokenIds): Int32Array {
    if (ids.table !== this.idTable || ids.generation !== this.idGeneration) {
      if (this.ids.length < ids.table.capacity) this.ids = new Int32Array(ids.table.capacity);
      this.ids.fill(-1);
      this.idTable = ids.table;
      this.idGeneration = ids.generation;
    }
    return this.ids;
  }

  /** Adds the indices of a token's known character n-grams; returns the new entry. */
  add(found: readonly number[]): number {
    if (this.count >= MAX_CACHED_TOKENS || this.used + found.length > MAX_MEMO_INDICES) {
      this.entries.clear();
      this.ids.fill(-1);
      this.count = 0;
      this.used = 0;
    }
    const e = this.count++;
    if (e === this.starts.length) {
      const size = Math.min(e * 2, MAX_CACHED_TOKENS);
      this.starts = grow(this.starts, size);
      this.ends = grow(this.ends, size);
      this.scored = grow(this.scored, size);
      if (this.model) this.sums = grow(this.sums, size * (this.model.classes + 1));
    }
    if (this.used + found.length > this.indices.length) {
      this.indices = grow(this.indices, Math.min(this.indices.length * 2, MAX_MEMO_INDICES));
    }
    this.starts[e] = this.used;
    for (let k = 0; k < found.length; k++) this.indices[this.used++] = found[k] as number;
    this.ends[e] = this.used;
    this.scored[e] = 0;
    return e;
  }

  /** Where entry `e`'s partial scores for `model` start in `sums` (computed on first use). */
  scoredAt(e: number, model: SoftmaxWeights, idf: Float32Array): number {
    const stride = model.classes + 1;
    if (model !== this.model) {
      // Scored with another model than before: forget every partial score.
      this.model = model;
      this.scored.fill(0);
      this.sums = new Float64Array(this.starts.length * stride);
    }
    const at = e * stride;
    if (this.scored[e] === 0) {
      partialScores(
        this.indices,
        this.starts[e] as number,
        this.ends[e] as number,
        model,
        idf,
        this.sums,
        at,
      );
      this.scored[e] = 1;
    }
    return at;
  }
}

/** A copy of `a` with room for `size` elements. */
function grow<T extends Int32Array | Uint8Array | Float64Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

/**
 * Adds, per class, `idf · w` of the features `indices[from…to)` to `out[at + c]`, and their
 * `idf²` to `out[at + classes]`: the partial scores of one token's character n-grams.
 */
function partialScores(
  indices: Int32Array,
  from: number,
  to: number,
  model: SoftmaxWeights,
  idf: Float32Array,
  out: Float64Array,
  at: number,
): void {
  const { classes, weights } = model;
  out.fill(0, at, at + classes + 1);
  let norm = 0;
  for (let k = from; k < to; k++) {
    const i = indices[k] as number;
    const d = idf[i] as number;
    norm += d * d;
    const base = i * classes;
    for (let j = 0; j < classes; j++)
      out[at + j] = (out[at + j] as number) + d * (weights[base + j] as number);
  }
  out[at + classes] = norm;
}

/**
 * Open-addressing hash table from a feature hash to its index, in typed arrays: several times
 * faster than a Map for the few hundred look-ups of every message.
 */
class HashIndex {
  /** Slot s holds a hash (as int32) at 2s and its index at 2s + 1 (-1: empty): one cache line. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  /**
   * One bit per value of the top FILTER_BITS bits of `mix(hash)`, set for every known hash: a
   * 64 KB array that stays in cache and turns away most unknown hashes (about half a message's
   * word n-grams) before they cost a probe in the much larger table.
   */
  private readonly filter = new Int32Array(1 << (FILTER_BITS - 5));

  constructor(hashes: Uint32Array) {
    let capacity = 16;
    while (capacity < hashes.length * 2) capacity *= 2;
    this.slots = new Int32Array(capacity * 2).fill(-1);
    this.mask = capacity - 1;
    hashes.forEach((h, i) => {
      const m = mix(h);
      const b = m >>> (32 - FILTER_BITS);
      this.filter[b >>> 5] = (this.filter[b >>> 5] as number) | (1 << (b & 31));
      let slot = m & this.mask;
      while (this.slots[2 * slot + 1] !== -1) slot = (slot + 1) & this.mask;
      this.slots[2 * slot] = h | 0;
      this.slots[2 * slot + 1] = i;
    });
  }

  /** The index of a hash, or -1. */
  get(h: number): number {
    const m = mix(h);
    const b = m >>> (32 - FILTER_BITS);
    if (((this.filter[b >>> 5] as number) & (1 << (b & 31))) === 0) return -1;
    const key = h | 0;
    let slot = m & this.mask;
    for (;;) {
      const v = this.slots[2 * slot + 1] as number;
      if (v === -1 || this.slots[2 * slot] === key) return v;
      slot = (slot + 1) & this.mask;
    }
  }
}

/** Bits of the HashIndex filter's key (2^19 bits: 64 KB). */
const FILTER_BITS = 19;

/**
 * Counts in how many documents each hash occurs: an open-addressing table of typed arrays that
 * grows at half load (a `Map` of a million char n-grams made fitting several times slower).
 * Documents must be added in order, each with its own number.
 */
class DocumentFrequencies {
  private keys = new Uint32Array(1 << 16);
  private counts = new Uint32Array(1 << 16);
  /** 1 + the number of the last document that counted the slot's hash (0: slot empty). */
  private lastDoc = new Int32Array(1 << 16);
  private used = 0;

  add(h: number, doc: number): void {
    const mask = this.keys.length - 1;
    let slot = mix(h) & mask;
    for (;;) {
      const last = this.lastDoc[slot] as number;
      if (last === 0) {
        this.keys[slot] = h;
        this.counts[slot] = 1;
        this.lastDoc[slot] = doc + 1;
        if (++this.used * 2 > this.keys.length) this.grow();
        return;
      }
      if (this.keys[slot] === h) {
        if (last !== doc + 1) {
          this.counts[slot] = (this.counts[slot] as number) + 1;
          this.lastDoc[slot] = doc + 1;
        }
        return;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** [hash, documents] of every hash seen in at least `min` documents. */
  entries(min: number): [number, number][] {
    const out: [number, number][] = [];
    for (let s = 0; s < this.keys.length; s++) {
      const c = this.counts[s] as number;
      if (this.lastDoc[s] !== 0 && c >= min) out.push([this.keys[s] as number, c]);
    }
    return out;
  }

  private grow(): void {
    const { keys, counts, lastDoc } = this;
    const size = keys.length * 2;
    const mask = size - 1;
    this.keys = new Uint32Array(size);
    this.counts = new Uint32Array(size);
    this.lastDoc = new Int32Array(size);
    for (let s = 0; s < keys.length; s++) {
      if (lastDoc[s] === 0) continue;
      let slot = mix(keys[s] as number) & mask;
      while (this.lastDoc[slot] !== 0) slot = (slot + 1) & mask;
      this.keys[slot] = keys[s] as number;
      this.counts[slot] = counts[s] as number;
      this.lastDoc[slot] = lastDoc[s] as number;
    }
  }
}

/** Spreads the bits of a hash before masking (murmur3 finaliser). */
function mix(h: number): number {
  let x = h;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

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
}

/** Every feature string of a document, with repeats. */
export function featureStrings(input: FeatureInput, config: FeatureConfig): string[] {
  const out: string[] = [];
  const { words } = input;
  for (const n of config.wordNgrams) {
    for (let i = 0; i + n <= words.length; i++) {
      out.push(n === 1 ? (words[i] as string) : `${words.slice(i, i + n).join('_')}`);
    }
  }
  const [lo, hi] = config.charNgrams;
  if (hi > 0) {
    for (const token of input.chars) {
      const padded = ` ${token} `;
      for (let n = lo; n <= hi; n++) {
        for (let i = 0; i + n <= padded.length; i++) out.push(`#${padded.slice(i, i + n)}`);
      }
    }
  }
  return out;
}

/** Serialised vectorizer: vocabulary (feature → index by position) and idf weights. */
export interface VectorizerJSON {
  config: FeatureConfig;
  features: string[];
  /** Float32 idf weights, base64. */
  idf: string;
}

/**
 * TF-IDF over word n-grams and character n-grams: sublinear tf (1 + ln tf), smoothed idf,
 * L2-normalised. Character n-grams make the model tolerant of typos and slang spellings.
 */
export class Vectorizer {
  private readonly index: Map<string, number>;
  private readonly charFeature: Uint8Array;

  private constructor(
    readonly config: FeatureConfig,
    readonly features: string[],
    readonly idf: Float32Array,
  ) {
    this.index = new Map(features.map((f, i) => [f, i]));
    this.charFeature = Uint8Array.from(features, (f) => (f.startsWith('#') ? 1 : 0));
  }

  get size(): number {
    return this.features.length;
  }

  /** Learns the vocabulary and idf from training documents. */
  static fit(docs: FeatureInput[], config: FeatureConfig): Vectorizer {
    const df = new Map<string, number>();
    for (const doc of docs) {
      for (const f of new Set(featureStrings(doc, config))) df.set(f, (df.get(f) ?? 0) + 1);
    }
    const kept = [...df.entries()]
      .filter(([, n]) => n >= config.minDf)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, config.maxFeatures);
    const n = docs.length;
    const idf = Float32Array.from(kept, ([, d]) => Math.log((1 + n) / (1 + d)) + 1);
    return new Vectorizer(
      config,
      kept.map(([f]) => f),
      idf,
    );
  }

  static fromJSON(json: VectorizerJSON): Vectorizer {
    const bytes = Buffer.from(json.idf, 'base64');
    const idf = new Float32Array(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    );
    if (idf.length !== json.features.length)
      throw new Error('vectorizer idf does not match its features');
    return new Vectorizer(json.config, json.features, idf);
  }

  toJSON(): VectorizerJSON {
    return {
      config: this.config,
      features: this.features,
      idf: Buffer.from(this.idf.buffer, this.idf.byteOffset, this.idf.byteLength).toString(
        'base64',
      ),
    };
  }

  /** The TF-IDF vector of a document (unknown features are ignored). */
  transform(doc: FeatureInput): SparseVector {
    const counts = new Map<number, number>();
    for (const f of featureStrings(doc, this.config)) {
      const i = this.index.get(f);
      if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    const idx = new Int32Array(counts.size);
    const val = new Float32Array(counts.size);
    const isChar = new Uint8Array(counts.size);
    let k = 0;
    let wordNorm = 0;
    let charNorm = 0;
    for (const [i, c] of counts) {
      const v = (1 + Math.log(c)) * (this.idf[i] as number);
      idx[k] = i;
      val[k] = v;
      if (this.charFeature[i]) {
        isChar[k] = 1;
        charNorm += v * v;
      } else wordNorm += v * v;
      k++;
    }
    const charWeight = this.config.charWeight ?? 1;
    const wordScale = wordNorm > 0 ? 1 / Math.sqrt(wordNorm) : 0;
    const charScale = charNorm > 0 ? charWeight / Math.sqrt(charNorm) : 0;
    const total =
      Math.sqrt((wordNorm > 0 ? 1 : 0) + (charNorm > 0 ? charWeight * charWeight : 0)) || 1;
    for (let j = 0; j < val.length; j++) {
      val[j] = ((val[j] as number) * (isChar[j] ? charScale : wordScale)) / total;
    }
    return { idx, val };
  }
}

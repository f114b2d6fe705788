/**
 * Okapi BM25 over pre-tokenised fields. Documents may weight fields differently (title and tags
 * count more than the body) by repeating their terms.
 */
export interface Bm25Options {
  k1: number;
  b: number;
}

export const DEFAULT_BM25: Bm25Options = { k1: 1.2, b: 0.75 };

export class Bm25Index {
  private readonly postings = new Map<string, { doc: number; tf: number }[]>();
  private readonly lengths: number[];
  private readonly avgLength: number;

  constructor(
    docs: string[][],
    private readonly options: Bm25Options = DEFAULT_BM25,
  ) {
    this.lengths = docs.map((d) => d.length);
    this.avgLength = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, docs.length);
    docs.forEach((terms, doc) => {
      const tf = new Map<string, number>();
      for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const [term, n] of tf) {
        const list = this.postings.get(term) ?? [];
        list.push({ doc, tf: n });
        this.postings.set(term, list);
      }
    });
  }

  get size(): number {
    return this.lengths.length;
  }

  idf(term: string): number {
    const n = this.postings.get(term)?.length ?? 0;
    return Math.log(1 + (this.size - n + 0.5) / (n + 0.5));
  }

  /** BM25 score of every document for weighted query terms. */
  score(query: Map<string, number>): Float64Array {
    const { k1, b } = this.options;
    const scores = new Float64Array(this.size);
    for (const [term, weight] of query) {
      const idf = this.idf(term);
      for (const { doc, tf } of this.postings.get(term) ?? []) {
        const norm = k1 * (1 - b + (b * (this.lengths[doc] as number)) / this.avgLength);
        scores[doc] = (scores[doc] as number) + weight * idf * ((tf * (k1 + 1)) / (tf + norm));
      }
    }
    return scores;
  }

  /** The most a document could score for these terms (each matched at saturation). */
  ceiling(terms: Iterable<string>): number {
    let max = 0;
    for (const t of terms) max += this.idf(t) * (this.options.k1 + 1);
    return max;
  }
}

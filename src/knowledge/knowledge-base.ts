import type { TextPipeline } from '../nlu/pipeline';
import { stem, stopwords } from '../nlu/stem';
import type { Language } from '../taxonomy';
import { Bm25Index } from './bm25';
import { longestKey, type Synonyms } from './synonyms';

/** Something the knowledge base can answer with: an article, an FAQ entry… */
export interface KnowledgeDoc {
  id: string;
  lang: Language;
  title: string;
  tags: string[];
  body: string;
}

export interface SearchHit<D extends KnowledgeDoc> {
  doc: D;
  /** BM25 score. */
  score: number;
  /**
   * Score relative to the most the citizen's own words could reach, capped at 1: comparable
   * across queries of different lengths.
   */
  relative: number;
}

export interface KnowledgeBaseOptions {
  /** Below this relative score there is no answer ("I don't know"). */
  threshold: number;
  /** Field weights: how many times title and tag terms count against body terms. */
  titleWeight: number;
  tagWeight: number;
  /** Weight of terms added by synonym expansion, against the citizen's own words. */
  synonymWeight: number;
}

export const DEFAULT_KB_OPTIONS: KnowledgeBaseOptions = {
  threshold: 0.35,
  titleWeight: 3,
  tagWeight: 2,
  synonymWeight: 0.5,
};

/**
 * BM25 retrieval over stemmed articles in Indonesian and English, with synonym expansion of the
 * query, one result per article id (in the asker's language when it exists), and an honest
 * "no answer" below a threshold.
 *
 * @example
 * const kb = new KnowledgeBase(articles, pipeline, synonyms);
 * kb.answer('syarat bikin ktp apa aja', 'id')?.doc.title // 'Membuat KTP-el baru'
 */
export class KnowledgeBase<D extends KnowledgeDoc = KnowledgeDoc> {
  private readonly index: Bm25Index;
  private readonly stop: Record<Language, ReadonlySet<string>>;
  private readonly maxPhrase: number;

  constructor(
    readonly docs: D[],
    private readonly pipeline: TextPipeline,
    private readonly synonyms: Synonyms,
    private readonly options: KnowledgeBaseOptions = DEFAULT_KB_OPTIONS,
  ) {
    this.stop = { id: stopwords('id'), en: stopwords('en') };
    this.maxPhrase = longestKey(synonyms);
    this.index = new Bm25Index(
      docs.map((d) => [
        ...repeat(this.terms(d.title, d.lang), options.titleWeight),
        ...repeat(this.terms(d.tags.join(' . '), d.lang), options.tagWeight),
        ...this.terms(d.body, d.lang),
      ]),
    );
  }

  /** Content-word stems of a text in a language. */
  private terms(text: string, lang: Language): string[] {
    const tokens = this.pipeline.analyze(text, lang).tokens;
    return tokens.filter((t) => !this.stop[lang].has(t)).map((t) => stem(t, lang));
  }

  /**
   * Weighted query terms: own words (stemmed in both languages) plus synonyms; and the citizen's
   * own content words, against which the relative score is measured.
   */
  private queryTerms(
    query: string,
    lang: Language,
  ): { weights: Map<string, number>; own: string[] } {
    const weights = new Map<string, number>();
    const add = (terms: string[], w: number) => {
      for (const t of terms) weights.set(t, Math.max(weights.get(t) ?? 0, w));
    };
    const other: Language = lang === 'id' ? 'en' : 'id';
    const tokens = this.pipeline.analyze(query, lang).tokens;
    const content = tokens.filter((t) => !this.stop[lang].has(t));
    const own = [...new Set(content.map((t) => stem(t, lang)))];
    add(own, 1);
    add(
      content.map((t) => stem(t, other)),
      this.options.synonymWeight,
    );
    for (let n = this.maxPhrase; n >= 1; n--) {
      for (let i = 0; i + n <= tokens.length; i++) {
        const expansions = this.synonyms.get(tokens.slice(i, i + n).join(' '));
        if (!expansions) continue;
        for (const phrase of expansions) {
          add(this.terms(phrase, lang), this.options.synonymWeight);
          add(this.terms(phrase, other), this.options.synonymWeight);
        }
      }
    }
    return { weights, own };
  }

  /** The best documents for a query, one per id, preferring the asker's language. */
  search(query: string, lang: Language, limit = 3): SearchHit<D>[] {
    const { weights, own } = this.queryTerms(query, lang);
    if (weights.size === 0) return [];
    const scores = this.index.score(weights);
    const ceiling = this.index.ceiling(own);
    const best = new Map<string, SearchHit<D>>();
    this.docs.forEach((doc, i) => {
      const score = scores[i] as number;
      if (score <= 0) return;
      const hit = { doc, score, relative: ceiling > 0 ? Math.min(1, score / ceiling) : 0 };
      const seen = best.get(doc.id);
      if (!seen || hit.score > seen.score) best.set(doc.id, hit);
    });
    return [...best.values()]
      .sort((a, b) => b.score - a.score || a.doc.id.localeCompare(b.doc.id))
      .slice(0, limit)
      .map((hit) => this.inLanguage(hit, lang));
  }

  /** The answer to a question, or null when nothing is relevant enough. */
  answer(query: string, lang: Language): SearchHit<D> | null {
    const [top] = this.search(query, lang, 1);
    return top && this.isAnswer(top) ? top : null;
  }

  /** Whether a search hit is relevant enough to be given as the answer. */
  isAnswer(hit: SearchHit<D>): boolean {
    return hit.relative >= this.options.threshold;
  }

  private inLanguage(hit: SearchHit<D>, lang: Language): SearchHit<D> {
    if (hit.doc.lang === lang) return hit;
    const translated = this.docs.find((d) => d.id === hit.doc.id && d.lang === lang);
    return translated ? { ...hit, doc: translated } : hit;
  }
}

function repeat<T>(items: T[], times: number): T[] {
  const out: T[] = [];
  for (let i = 0; i < times; i++) out.push(...items);
  return out;
}

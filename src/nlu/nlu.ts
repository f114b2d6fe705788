import { extractTrackingIds } from '../cases/tracking-id';
import { type Category, INTENTS, type Intent, isCategory, type Language } from '../taxonomy';
import { applySlang, type SlangLexicon } from './lexicon';
import {
  LinearClassifier,
  type LinearClassifierJSON,
  type TrainOptions,
} from './linear/classifier';
import { cleanText, normalizeText } from './normalize';
import { type Analysis, languageDoc, TextPipeline } from './pipeline';
import { tokenize } from './tokenize';
import type { Example, TrainingData } from './training-data';
import { type UrgencyLexicon, UrgencyMatcher } from './urgency';

/** The result of classifying one message. */
export interface Classification {
  lang: Language;
  intent: Intent;
  intentConfidence: number;
  /** Set for complaints and aspirations only; `other` when the model is not sure enough. */
  category: Category | null;
  categoryConfidence: number | null;
  /** The best categories with their probabilities (for "is it one of these?"). */
  categoryCandidates: { category: Category; p: number }[];
  urgent: boolean;
  /** Tracking ids mentioned in the message, canonical. */
  trackingIds: string[];
}

/** Data files the models depend on at run time (not stored in the model). */
export interface NluResources {
  slang: SlangLexicon;
  urgency: UrgencyLexicon;
}

export interface NluOptions {
  /** Category predictions below this confidence become `other` (→ triage desk). */
  categoryThreshold: number;
  language: TrainOptions;
  intent: TrainOptions;
  category: TrainOptions;
}

export const DEFAULT_NLU_OPTIONS: NluOptions = {
  categoryThreshold: 0.3,
  language: {
    features: { wordNgrams: [1], charNgrams: [3, 3], minDf: 1, maxFeatures: 50_000 },
    svm: { C: 1, tolerance: 0.1, maxPasses: 60, seed: 7 },
    calibrationShare: 0.15,
  },
  intent: {
    features: { wordNgrams: [1, 2], charNgrams: [3, 4], minDf: 1, maxFeatures: 200_000 },
    svm: { C: 1, tolerance: 0.1, maxPasses: 60, seed: 7 },
    calibrationShare: 0.15,
  },
  category: {
    features: { wordNgrams: [1, 2], charNgrams: [3, 4], minDf: 1, maxFeatures: 200_000 },
    svm: { C: 1, tolerance: 0.1, maxPasses: 60, seed: 7 },
    calibrationShare: 0.15,
  },
};

export interface NluJSON {
  format: 'suara-nlu@1';
  /** Fingerprint of the training data and options the model was built from. */
  source: string;
  categoryThreshold: number;
  language: LinearClassifierJSON;
  intent: LinearClassifierJSON;
  category: LinearClassifierJSON;
}

/**
 * Language detection, intent and complaint-category classification, and urgency, for one
 * message at a time. Trained from `intents/training/` (see `suara train`), saved as JSON.
 *
 * @example
 * const nlu = Nlu.train(loadTrainingData('intents/training'), resources);
 * nlu.classify('lampu jalan di gang 3 mati seminggu') // { intent: 'complaint', category: 'street_lighting', … }
 */
export class Nlu {
  readonly pipeline: TextPipeline;
  private readonly urgency: UrgencyMatcher;

  private constructor(
    private readonly models: {
      language: LinearClassifier;
      intent: LinearClassifier;
      category: LinearClassifier;
    },
    /** The slang table and urgency phrases the model was built with (shared with retrieval). */
    readonly resources: NluResources,
    readonly categoryThreshold: number,
    readonly source: string,
  ) {
    this.pipeline = new TextPipeline(resources.slang, models.language);
    this.urgency = new UrgencyMatcher(resources.urgency, (phrase, lang) => {
      const tokens = tokenize(normalizeText(phrase.join(' ')));
      return lang === 'id' ? applySlang(tokens, resources.slang) : tokens;
    });
  }

  static train(
    data: TrainingData,
    resources: NluResources,
    options = DEFAULT_NLU_OPTIONS,
    source = '',
  ): Nlu {
    const all = [...data.intents, ...data.categories];
    const language = LinearClassifier.train(
      all.map((e) => languageDoc(tokenize(normalizeText(e.text)))),
      all.map((e) => e.lang),
      options.language,
    );
    // Training text is analysed in its known language, as a message would be after detection.
    const plain = new TextPipeline(resources.slang);
    const docs = (examples: Example[]) => examples.map((e) => plain.analyze(e.text, e.lang).doc);
    const intent = LinearClassifier.train(
      docs(data.intents),
      data.intents.map((e) => e.label),
      options.intent,
    );
    const category = LinearClassifier.train(
      docs(data.categories),
      data.categories.map((e) => e.label),
      options.category,
    );
    return new Nlu({ language, intent, category }, resources, options.categoryThreshold, source);
  }

  static fromJSON(json: NluJSON, resources: NluResources): Nlu {
    if (json.format !== 'suara-nlu@1')
      throw new Error(`unknown NLU model format ${String(json.format)}`);
    return new Nlu(
      {
        language: LinearClassifier.fromJSON(json.language),
        intent: LinearClassifier.fromJSON(json.intent),
        category: LinearClassifier.fromJSON(json.category),
      },
      resources,
      json.categoryThreshold,
      json.source,
    );
  }

  toJSON(): NluJSON {
    return {
      format: 'suara-nlu@1',
      source: this.source,
      categoryThreshold: this.categoryThreshold,
      language: this.models.language.toJSON(),
      intent: this.models.intent.toJSON(),
      category: this.models.category.toJSON(),
    };
  }

  analyze(text: string, lang?: Language): Analysis {
    return this.pipeline.analyze(text, lang);
  }

  /** Classifies a message; `lang` skips language detection (e.g. the citizen chose it). */
  classify(text: string, lang?: Language): Classification {
    const a = this.pipeline.analyze(text, lang);
    const intent = this.models.intent.predictTop(a.doc);
    const urgent = this.isUrgent(a);
    let intentId: Intent = (INTENTS as readonly string[]).includes(intent.label)
      ? (intent.label as Intent)
      : 'other';
    // An emergency is a report even when it reads like small talk ("tolong ada orang tenggelam").
    if (urgent && (intentId === 'greeting' || intentId === 'thanks' || intentId === 'other')) {
      intentId = 'complaint';
    }
    const result: Classification = {
      lang: a.lang,
      intent: intentId,
      intentConfidence: intent.confidence,
      category: null,
      categoryConfidence: null,
      categoryCandidates: [],
      urgent,
      // Not from the normalised text: it collapses repeated letters ("ADU-4W7GGG").
      trackingIds: extractTrackingIds(cleanText(text)),
    };
    if (intentId === 'complaint' || intentId === 'aspiration') {
      const c = this.categorize(a);
      result.category = c.category;
      result.categoryConfidence = c.confidence;
      result.categoryCandidates = c.candidates;
    }
    return result;
  }

  /** Whether an analysed message reports an emergency (fire, flood, accident, violence…). */
  isUrgent(a: Analysis): boolean {
    return this.urgency.isUrgent(a.tokens);
  }

  /** The complaint category of an analysed message (`other` below the threshold). */
  categorize(a: Analysis): {
    category: Category;
    confidence: number;
    candidates: { category: Category; p: number }[];
  } {
    const p = this.models.category.predict(a.doc);
    const candidates = p.scores
      .filter((s) => isCategory(s.label))
      .map((s) => ({ category: s.label as Category, p: s.p }));
    const best = candidates[0];
    if (!best || best.p < this.categoryThreshold)
      return { category: 'other', confidence: best?.p ?? 0, candidates };
    return { category: best.category, confidence: best.p, candidates };
  }
}

/** Rounds a probability for output (4 decimals). */
export const roundConfidence = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * The stable wire format of a classification (used by `suara classify` and the HTTP API):
 * `{lang, intent, intent_confidence, category, category_confidence, urgent}`.
 */
export function classificationJson(c: Classification) {
  return {
    lang: c.lang,
    intent: c.intent,
    intent_confidence: roundConfidence(c.intentConfidence),
    category: c.category,
    category_confidence:
      c.categoryConfidence === null ? null : roundConfidence(c.categoryConfidence),
    urgent: c.urgent,
  };
}

import type { Language } from '../taxonomy';
import { applySlang, type SlangLexicon } from './lexicon';
import type { LinearClassifier } from './linear/classifier';
import type { FeatureInput } from './linear/vectorizer';
import { normalizeText } from './normalize';
import { stem } from './stem';
import { tokenize } from './tokenize';

/** What the pipeline makes of one message. */
export interface Analysis {
  /** Normalised text (NFKC, lower case, repeats collapsed). */
  normalized: string;
  lang: Language;
  langConfidence: number;
  /** Word tokens after slang normalisation (Indonesian) and without address words. */
  tokens: string[];
  /** Model input: stems for word n-grams, tokens for character n-grams. */
  doc: FeatureInput;
}

/** Below this confidence the language falls back to Indonesian (the service's home language). */
const MIN_LANGUAGE_CONFIDENCE = 0.6;

/** Words enough to tell Indonesian from English; a long complaint's first words decide. */
const LANGUAGE_TOKENS = 40;

/** The language detector's input: surface tokens only, before any language-specific step. */
export function languageDoc(tokens: string[]): FeatureInput {
  const head = tokens.length > LANGUAGE_TOKENS ? tokens.slice(0, LANGUAGE_TOKENS) : tokens;
  return { words: head, chars: head };
}

/**
 * normalise → tokenise → detect language → slang (Indonesian) → stem. The language detector is
 * a small linear model over character n-grams (see `Nlu`); pass `lang` to skip detection.
 *
 * @example
 * pipeline.analyze('jalannya rusak bgt min').tokens // ['jalannya', 'rusak', 'banget']
 */
export class TextPipeline {
  constructor(
    private readonly slang: SlangLexicon,
    private readonly detector?: LinearClassifier,
  ) {}

  /** The language of a message's surface tokens (`tokenize` of the normalised text). */
  detectLanguage(tokens: string[]): { lang: Language; confidence: number } {
    if (!this.detector) return { lang: 'id', confidence: 0 };
    const p = this.detector.predictTop(languageDoc(tokens));
    const lang = p.label === 'en' && p.confidence >= MIN_LANGUAGE_CONFIDENCE ? 'en' : 'id';
    return { lang, confidence: p.label === lang ? p.confidence : 1 - p.confidence };
  }

  analyze(text: string, lang?: Language): Analysis {
    const normalized = normalizeText(text);
    const raw = tokenize(normalized);
    const detected = lang ? { lang, confidence: 1 } : this.detectLanguage(raw);
    const tokens = detected.lang === 'id' ? applySlang(raw, this.slang) : raw;
    return {
      normalized,
      lang: detected.lang,
      langConfidence: detected.confidence,
      tokens,
      doc: { words: tokens.map((t) => stem(t, detected.lang)), chars: tokens },
    };
  }
}

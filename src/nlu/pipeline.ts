import type { Language } from '../taxonomy';
import type { SlangLexicon } from './lexicon';
import type { LinearClassifier } from './linear/classifier';
import type { FeatureInput } from './linear/vectorizer';
import { normalizeText } from './normalize';
import { stem } from './stem';
import { type TokenIds, type TokenInfo, TokenTable } from './token-table';
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

/**
 * The language detector's input: surface tokens only, before any language-specific step.
 * `ids` (of `tokens`, in order) let the detector memoise per token by id.
 */
export function languageDoc(tokens: string[], ids?: TokenIds): FeatureInput {
  const head = tokens.length > LANGUAGE_TOKENS ? tokens.slice(0, LANGUAGE_TOKENS) : tokens;
  if (!ids) return { words: head, chars: head };
  const headIds = ids.ids.length > LANGUAGE_TOKENS ? ids.ids.subarray(0, LANGUAGE_TOKENS) : ids.ids;
  return { words: head, chars: head, charIds: { ...ids, ids: headIds } };
}

/**
 * normalise → tokenise → detect language → slang (Indonesian) → stem. The language detector is
 * a small linear model over character n-grams (see `Nlu`); pass `lang` to skip detection.
 * Each distinct token's slang form and stems are worked out once and kept in a bounded table
 * (see TokenTable), whose ids go with the model input.
 *
 * @example
 * pipeline.analyze('jalannya rusak bgt min').tokens // ['jalannya', 'rusak', 'banget']
 */
export class TextPipeline {
  private readonly table = new TokenTable();
  /** The most tokens one token becomes under the slang table. */
  private readonly maxExpansion: number;

  constructor(
    private readonly slang: SlangLexicon,
    private readonly detector?: LinearClassifier,
  ) {
    this.maxExpansion = Math.max(1, ...[...slang.replacements.values()].map((r) => r.length));
  }

  /** The language of a message's surface tokens (`tokenize` of the normalised text). */
  detectLanguage(tokens: string[], ids?: TokenIds): { lang: Language; confidence: number } {
    if (!this.detector) return { lang: 'id', confidence: 0 };
    const p = this.detector.predictTop(languageDoc(tokens, ids));
    const lang = p.label === 'en' && p.confidence >= MIN_LANGUAGE_CONFIDENCE ? 'en' : 'id';
    return { lang, confidence: p.label === lang ? p.confidence : 1 - p.confidence };
  }

  analyze(text: string, lang?: Language): Analysis {
    const normalized = normalizeText(text);
    const raw = tokenize(normalized);
    const { table } = this;
    // Room for every token and what the slang table turns it into, so ids agree within a message.
    table.reserve(raw.length * (1 + this.maxExpansion));
    const infos = raw.map((t) => table.get(t));
    const detected = lang ? { lang, confidence: 1 } : this.detectLanguage(raw, this.idsOf(infos));
    const used = detected.lang === 'id' ? this.applySlang(infos) : infos;
    const n = used.length;
    const tokens = new Array<string>(n);
    const words = new Array<string>(n);
    const ids = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const info = used[k] as TokenInfo;
      tokens[k] = info.text;
      words[k] = stemOf(info, detected.lang);
      ids[k] = info.id;
    }
    return {
      normalized,
      lang: detected.lang,
      langConfidence: detected.confidence,
      tokens,
      doc: {
        words,
        chars: tokens,
        charIds: { table, generation: table.generation, ids },
      },
    };
  }

  /** `applySlang` (lexicon.ts), token by token, remembered per token. */
  private applySlang(infos: TokenInfo[]): TokenInfo[] {
    const out: TokenInfo[] = [];
    for (const info of infos) {
      let forms = info.slang;
      if (forms === undefined) {
        const r = this.slang.replacements.get(info.text);
        if (this.slang.addressWords.has(info.text)) forms = [];
        else if (r) forms = r.map((t) => this.table.get(t));
        else forms = [info];
        info.slang = forms;
      }
      for (const f of forms) out.push(f);
    }
    return out;
  }

  private idsOf(infos: TokenInfo[]): TokenIds {
    const ids = new Int32Array(infos.length);
    for (let k = 0; k < infos.length; k++) ids[k] = (infos[k] as TokenInfo).id;
    return { table: this.table, generation: this.table.generation, ids };
  }
}

/** A token's stem in a language (remembered on the token). */
function stemOf(info: TokenInfo, lang: Language): string {
  if (lang === 'id') {
    info.stemId ??= stem(info.text, 'id');
    return info.stemId;
  }
  info.stemEn ??= stem(info.text, 'en');
  return info.stemEn;
}

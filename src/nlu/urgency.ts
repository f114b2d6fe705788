import { z } from 'zod';
import { issueLines, type Validated } from '../errors';
import type { Language } from '../taxonomy';

/** Emergency phrases per language, and negations that cancel a phrase right after them. */
export interface UrgencyLexicon {
  phrases: Record<Language, string[][]>;
  negations: Record<Language, string[][]>;
}

const words = z.array(z.string().min(1));
const schema = z.object({
  id: z.object({ phrases: words }),
  en: z.object({ phrases: words }),
  negations: z.object({ id: words, en: words }),
});

const split = (list: string[]) => list.map((p) => p.toLowerCase().split(/\s+/).filter(Boolean));

/** Validates a parsed `intents/urgency.yaml`. */
export function parseUrgency(raw: unknown): Validated<UrgencyLexicon> {
  const r = schema.safeParse(raw);
  if (!r.success) return { ok: false, errors: issueLines(r.error.issues) };
  return {
    ok: true,
    value: {
      phrases: { id: split(r.data.id.phrases), en: split(r.data.en.phrases) },
      negations: { id: split(r.data.negations.id), en: split(r.data.negations.en) },
    },
  };
}

function startsAt(tokens: string[], at: number, phrase: string[]): boolean {
  if (at < 0 || at + phrase.length > tokens.length) return false;
  for (let k = 0; k < phrase.length; k++) if (tokens[at + k] !== phrase[k]) return false;
  return true;
}

/** How far back (in tokens) a negation still cancels an emergency phrase. */
const NEGATION_WINDOW = 3;

/**
 * Finds emergencies (fire, flood, landslide, accident, violence, someone in danger) in analysed
 * tokens. Phrases of both languages are checked (code-switching is common); a negation just
 * before a phrase ("tidak ada kebakaran") cancels it. Phrases are indexed by their first word.
 *
 * @example
 * new UrgencyMatcher(lexicon, normalise).isUrgent(['rumah', 'tetangga', 'kebakaran']) // true
 */
export class UrgencyMatcher {
  private readonly byFirst = new Map<string, string[][]>();
  private readonly negations: string[][];

  /** `prepare` turns a phrase into tokens the same way messages are analysed. */
  constructor(lexicon: UrgencyLexicon, prepare: (phrase: string[], lang: Language) => string[]) {
    for (const lang of ['id', 'en'] as const) {
      for (const phrase of lexicon.phrases[lang]) {
        const tokens = prepare(phrase, lang);
        const first = tokens[0];
        if (!first) continue;
        const list = this.byFirst.get(first) ?? [];
        list.push(tokens);
        this.byFirst.set(first, list);
      }
    }
    this.negations = [
      ...lexicon.negations.id.map((n) => prepare(n, 'id')),
      ...lexicon.negations.en.map((n) => prepare(n, 'en')),
    ].filter((n) => n.length > 0);
  }

  isUrgent(tokens: string[]): boolean {
    for (let i = 0; i < tokens.length; i++) {
      const candidates = this.byFirst.get(tokens[i] as string);
      if (!candidates) continue;
      for (const phrase of candidates) {
        if (startsAt(tokens, i, phrase) && !this.negatedAt(tokens, i)) return true;
      }
    }
    return false;
  }

  private negatedAt(tokens: string[], i: number): boolean {
    for (const neg of this.negations) {
      for (let j = i - neg.length; j >= Math.max(0, i - NEGATION_WINDOW - neg.length + 1); j--) {
        if (startsAt(tokens, j, neg)) return true;
      }
    }
    return false;
  }
}

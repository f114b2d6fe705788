import { join } from 'node:path';
import type { SlangLexicon } from '../nlu/lexicon';
import { TextPipeline } from '../nlu/pipeline';
import { type Article, loadArticles } from './articles';
import { DEFAULT_KB_OPTIONS, KnowledgeBase, type KnowledgeBaseOptions } from './knowledge-base';
import { loadSynonyms } from './synonyms';

/** Loads `<intents>/knowledge/*.md` and `<intents>/synonyms.tsv` into a searchable base. */
export function loadKnowledgeBase(
  intentsDir: string,
  slang: SlangLexicon,
  options: KnowledgeBaseOptions = DEFAULT_KB_OPTIONS,
): KnowledgeBase<Article> {
  const articles = loadArticles(join(intentsDir, 'knowledge'));
  const synonyms = loadSynonyms(join(intentsDir, 'synonyms.tsv'));
  return new KnowledgeBase(articles, new TextPipeline(slang), synonyms, options);
}

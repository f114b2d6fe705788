import { summary } from '../knowledge/articles';
import { loadKnowledgeBase } from '../knowledge/load';
import { loadNluResources, loadOrTrainNlu } from '../nlu/load';
import { LANGUAGES, type Language } from '../taxonomy';
import { config, options, usageError } from './common';
import type { Command } from './io';

/** `suara ask "…"`: the knowledge-base answers for a question, with scores. */
export const askCommand: Command = {
  summary: 'search the knowledge base: top answers with scores',
  usage: 'suara ask "question" [--lang id|en] [--limit N]',
  async run(args, io) {
    const { values, positionals } = options(
      'ask',
      this.usage,
      args,
      { lang: { type: 'string' }, limit: { type: 'string' } },
      io,
      true,
    );
    const question = positionals.join(' ').trim();
    if (!question) usageError('ask', 'a question is required', this.usage, io);
    if (values.lang !== undefined && !(LANGUAGES as readonly string[]).includes(values.lang)) {
      usageError('ask', '--lang must be id or en', this.usage, io);
    }
    const limit = values.limit === undefined ? 3 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 20)
      usageError('ask', '--limit must be 1–20', this.usage, io);
    const cfg = config(io);
    const { nlu } = loadOrTrainNlu(cfg.intentsDir, cfg.nluModelFile);
    const lang = (values.lang as Language | undefined) ?? nlu.analyze(question).lang;
    const kb = loadKnowledgeBase(cfg.intentsDir, loadNluResources(cfg.intentsDir).slang);
    const hits = kb.search(question, lang, limit);
    const answered = hits[0] !== undefined && kb.isAnswer(hits[0]);
    io.stdout(
      `language: ${lang}; ${answered ? 'answer found' : 'no answer above the threshold (the bot would say it does not know)'}\n`,
    );
    for (const [i, h] of hits.entries()) {
      io.stdout(
        `\n${i + 1}. ${h.doc.title}  [${h.doc.id}]  score ${h.score.toFixed(2)}, relative ${h.relative.toFixed(2)}\n`,
      );
      io.stdout(`   ${summary(h.doc, 200)}\n`);
      if (h.doc.url) io.stdout(`   ${h.doc.url}\n`);
    }
    return 0;
  },
};

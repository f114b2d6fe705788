import { saveJson, trainNlu } from '../nlu/load';
import { config, options } from './common';
import type { Command } from './io';

/** `suara train`: rebuilds the intent/category/language model from the intents directory. */
export const trainCommand: Command = {
  summary: 'train the intent and category models from intents/training (writes SUARA_NLU_MODEL)',
  usage: 'suara train [--out FILE]',
  async run(args, io) {
    const { values } = options('train', this.usage, args, { out: { type: 'string' } }, io);
    const cfg = config(io);
    const out = values.out ?? cfg.nluModelFile;
    const started = performance.now();
    const nlu = trainNlu(cfg.intentsDir);
    saveJson(out, nlu.toJSON());
    io.stdout(
      `trained from ${cfg.intentsDir} in ${((performance.now() - started) / 1000).toFixed(1)} s → ${out} (source ${nlu.source})\n`,
    );
    return 0;
  },
};

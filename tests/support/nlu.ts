import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSlang } from '../../src/nlu/lexicon';
import { loadOrTrainNlu, nluPaths } from '../../src/nlu/load';
import type { Nlu } from '../../src/nlu/nlu';

export const INTENTS_DIR = join(__dirname, '..', '..', 'intents');
/** Shared between test files and runs; rebuilt when intents/ changes (the model records its source). */
export const TEST_NLU_MODEL = join(tmpdir(), 'suara-test-nlu-model.json');

let cached: Nlu | undefined;

/** The NLU trained from the project's own intents/ (cached on disk across test files). */
export function testNlu(): Nlu {
  cached ??= loadOrTrainNlu(INTENTS_DIR, TEST_NLU_MODEL).nlu;
  return cached;
}

export function testSlang() {
  return loadSlang(nluPaths(INTENTS_DIR).slang);
}

import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import YAML from 'yaml';
import { ConfigFileError } from '../config/files';
import { ensureDir } from '../fs';
import { loadSlang } from './lexicon';
import { DEFAULT_NLU_OPTIONS, Nlu, type NluJSON, type NluOptions, type NluResources } from './nlu';
import { Router, type RouterJSON } from './router';
import { hashFiles, listFiles, loadTrainingData } from './training-data';
import { parseUrgency } from './urgency';

/** Bump when feature extraction or training changes, so saved models are rebuilt. */
export const NLU_CODE_VERSION = 'nlu-5';

/** Where the NLU data lives: `<intents>/training/`, `<intents>/slang.tsv`, `<intents>/urgency.yaml`. */
export function nluPaths(intentsDir: string) {
  return {
    training: join(intentsDir, 'training'),
    slang: join(intentsDir, 'slang.tsv'),
    urgency: join(intentsDir, 'urgency.yaml'),
  };
}

export function loadNluResources(intentsDir: string): NluResources {
  const paths = nluPaths(intentsDir);
  const urgency = parseUrgency(YAML.parse(readFileSync(paths.urgency, 'utf8')));
  if (!urgency.ok) throw new Error(`${paths.urgency}: ${urgency.errors.join('; ')}`);
  return { slang: loadSlang(paths.slang), urgency: urgency.value };
}

/** The fingerprint of everything a model is trained from (data files, options, code version). */
export function nluSource(intentsDir: string, options: NluOptions = DEFAULT_NLU_OPTIONS): string {
  const paths = nluPaths(intentsDir);
  return hashFiles(
    intentsDir,
    [...listFiles(paths.training), paths.slang],
    JSON.stringify({ NLU_CODE_VERSION, options }),
  );
}

/** Trains the NLU models from `intentsDir`. */
export function trainNlu(intentsDir: string, options: NluOptions = DEFAULT_NLU_OPTIONS): Nlu {
  const data = loadTrainingData(nluPaths(intentsDir).training);
  return Nlu.train(data, loadNluResources(intentsDir), options, nluSource(intentsDir, options));
}

/** Writes a model atomically (write a temporary file, then rename). */
export function saveJson(path: string, value: unknown): void {
  ensureDir(dirname(path));
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, path);
}

/**
 * Loads the saved model when it was built from the current data, else trains and saves it.
 * Returns how it got the model, for the log.
 */
export function loadOrTrainNlu(
  intentsDir: string,
  modelPath: string,
): { nlu: Nlu; trained: boolean } {
  const source = nluSource(intentsDir);
  if (existsSync(modelPath)) {
    try {
      const json = JSON.parse(readFileSync(modelPath, 'utf8')) as NluJSON;
      if (json.source === source)
        return { nlu: Nlu.fromJSON(json, loadNluResources(intentsDir)), trained: false };
    } catch {
      // unreadable or from another version: rebuild below
    }
  }
  const nlu = trainNlu(intentsDir);
  saveJson(modelPath, nlu.toJSON());
  return { nlu, trained: true };
}

/** Loads a router made by `suara train-router`; throws ConfigFileError naming SUARA_ROUTER_MODEL. */
export function loadRouter(path: string): Router {
  let json: RouterJSON;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as RouterJSON;
    return Router.fromJSON(json);
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    throw new ConfigFileError([`SUARA_ROUTER_MODEL=${JSON.stringify(path)}: ${reason}`]);
  }
}

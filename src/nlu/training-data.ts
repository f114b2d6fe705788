import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CATEGORIES, INTENTS, LANGUAGES, type Language } from '../taxonomy';

/** One labelled training message. */
export interface Example {
  text: string;
  lang: Language;
  label: string;
}

/** Intent and category examples read from `intents/training/`. */
export interface TrainingData {
  intents: Example[];
  categories: Example[];
}

/**
 * Reads `<dir>/intent/<intent>.<lang>.txt` and `<dir>/category/<category>.<lang>.txt`: one message
 * per line, `#` comments and blank lines ignored. File names must use taxonomy ids.
 */
export function loadTrainingData(dir: string): TrainingData {
  return {
    intents: readLabelled(join(dir, 'intent'), INTENTS),
    categories: readLabelled(join(dir, 'category'), CATEGORIES),
  };
}

function readLabelled(dir: string, labels: readonly string[]): Example[] {
  const examples: Example[] = [];
  for (const file of readdirSync(dir).sort()) {
    const m = /^([a-z_]+)\.([a-z]{2})\.txt$/.exec(file);
    if (!m) continue;
    const [, label = '', lang = ''] = m;
    if (!labels.includes(label))
      throw new Error(`${join(dir, file)}: "${label}" is not a taxonomy id`);
    if (!(LANGUAGES as readonly string[]).includes(lang))
      throw new Error(`${join(dir, file)}: unknown language ${lang}`);
    for (const line of readFileSync(join(dir, file), 'utf8').split(/\r?\n/)) {
      const text = line.trim();
      if (text && !text.startsWith('#')) examples.push({ text, lang: lang as Language, label });
    }
  }
  return examples;
}

/** A fingerprint of every file a model is built from, so a stale model is noticed. */
export function hashFiles(root: string, paths: string[], extra: string): string {
  const h = createHash('sha256').update(extra);
  for (const path of [...paths].sort())
    h.update(`\0${relative(root, path)}\0`).update(readFileSync(path));
  return h.digest('hex').slice(0, 16);
}

/** Every file below `dir`, recursively, sorted. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

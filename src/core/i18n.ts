import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { LANGUAGES, type Language } from '../taxonomy';

/** Reply texts per language, by dotted key (`intake.ask_location`). */
export interface Texts {
  /** The text for `key` in `lang` with `{placeholders}` filled in. Throws on an unknown key. */
  t(lang: Language, key: string, vars?: Record<string, string | number>): string;
  has(key: string): boolean;
}

function flatten(
  value: unknown,
  prefix: string,
  out: Map<string, string>,
  problems: string[],
): void {
  if (typeof value === 'string') out.set(prefix, value);
  else if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value))
      flatten(v, prefix ? `${prefix}.${k}` : k, out, problems);
  } else problems.push(`${prefix}: expected text or a group of texts`);
}

const placeholders = (s: string) =>
  [...s.matchAll(/\{(\w+)\}/g)]
    .map((m) => m[1])
    .sort()
    .join(',');

/**
 * Loads `<dir>/id.yaml` and `<dir>/en.yaml`. Every key must exist in both languages with the same
 * placeholders; otherwise it throws listing every problem.
 *
 * @example
 * texts.t('id', 'status.not_found', { id: 'ADU-7K3M9Q' })
 */
export function loadTexts(dir: string): Texts {
  const tables = {} as Record<Language, Map<string, string>>;
  const problems: string[] = [];
  for (const lang of LANGUAGES) {
    const map = new Map<string, string>();
    flatten(YAML.parse(readFileSync(join(dir, `${lang}.yaml`), 'utf8')), '', map, problems);
    tables[lang] = map;
  }
  for (const key of new Set([...tables.id.keys(), ...tables.en.keys()])) {
    const id = tables.id.get(key);
    const en = tables.en.get(key);
    if (id === undefined || en === undefined)
      problems.push(`${key}: missing in ${id === undefined ? 'id' : 'en'}.yaml`);
    else if (placeholders(id) !== placeholders(en))
      problems.push(`${key}: placeholders differ between id and en`);
  }
  if (problems.length > 0) throw new Error(`reply texts in ${dir}:\n${problems.join('\n')}`);
  return {
    has: (key) => tables.id.has(key),
    t(lang, key, vars = {}) {
      const text = tables[lang].get(key);
      if (text === undefined) throw new Error(`no reply text "${key}"`);
      return text.replace(/\{(\w+)\}/g, (m, name: string) =>
        name in vars ? String(vars[name]) : m,
      );
    },
  };
}

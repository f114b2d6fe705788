import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { issueLines } from '../errors';
import { LANGUAGES, type Language } from '../taxonomy';

/** One knowledge-base article in one language. */
export interface Article {
  id: string;
  lang: Language;
  title: string;
  tags: string[];
  url: string;
  agency: string;
  /** Generic content a city should replace with its own. */
  sample: boolean;
  body: string;
}

const frontMatter = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and hyphens'),
    lang: z.enum(LANGUAGES),
    title: z.string().min(1),
    tags: z.array(z.string().min(1)).default([]),
    url: z.union([z.literal(''), z.url()]).default(''),
    agency: z.string().default('none'),
    sample: z.boolean().default(false),
  })
  .strict();

/** Parses one Markdown file with YAML front matter between `---` lines. */
export function parseArticle(text: string, source: string): Article {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!m) throw new Error(`${source}: missing front matter (--- … ---)`);
  const r = frontMatter.safeParse(YAML.parse(m[1] ?? ''));
  if (!r.success) throw new Error(`${source}: ${issueLines(r.error.issues).join('; ')}`);
  return { ...r.data, body: (m[2] ?? '').trim() };
}

/** Loads every `*.md` article in a directory. Throws listing every bad file. */
export function loadArticles(dir: string): Article[] {
  const articles: Article[] = [];
  const problems: string[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.md')) continue;
    try {
      articles.push(parseArticle(readFileSync(join(dir, file), 'utf8'), join(dir, file)));
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return articles;
}

/** The first paragraph of an article without Markdown markup: the short answer. */
export function summary(article: Article, maxLength = 400): string {
  const first = article.body.split(/\r?\n\s*\r?\n/)[0] ?? '';
  const plain = first
    .replace(/\*\*|__|`/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > maxLength ? `${plain.slice(0, maxLength - 1)}…` : plain;
}

import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Creates a directory and its missing parents, one level at a time. (Node 20's recursive
 * `mkdirSync` never returns for some paths, e.g. under /proc; this fails at once with the
 * system's error instead.)
 *
 * @example
 * ensureDir('data/uploads');
 */
export function ensureDir(dir: string): void {
  const missing: string[] = [];
  let current = resolve(dir);
  while (!existsSync(current)) {
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const path of missing.reverse()) mkdirSync(path);
}

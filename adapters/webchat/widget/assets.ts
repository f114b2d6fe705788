import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A static file held in memory with its strong ETag. */
export interface Asset {
  body: Buffer;
  etag: string;
}

/**
 * The project root: the nearest folder above `from` holding a package.json. Works from the
 * sources (ts-node, jest) and from `dist/adapters/...` alike, since `tsc` does not copy assets.
 */
export function projectRoot(from: string = __dirname): string {
  let dir = from;
  for (let i = 0; i < 12; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(`webchat widget: no package.json above ${from}`);
}

/** Path of the widget script in the source tree (served as is, no build step). */
export function widgetPath(root: string = projectRoot()): string {
  return join(root, 'adapters', 'webchat', 'widget', 'widget.js');
}

/** Reads a file and computes its ETag (a hash of the bytes, quoted as HTTP wants). */
export function loadAsset(path: string): Asset {
  const body = readFileSync(path);
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 27);
  return { body, etag: `"${hash}"` };
}

import type { Request } from 'express';
import { exceedsDepth } from '../../src/http/json-depth';
import { badRequest, Open311Error } from './errors';

/**
 * Request parameters as the Open311 routes read them: every name with its values, in order
 * (`status=open&status=closed`, `attribute[hazards][]=fire&attribute[hazards][]=flood`). A name
 * ending in `[]` is stored without it.
 */
export type Fields = Map<string, string[]>;

/** Most bytes of a `POST requests` body: a 4,000-character description fits several times. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Deepest JSON body: `{ "attribute": { "hazards": ["fire"] } }` is 3. */
const MAX_JSON_DEPTH = 3;

/** Thrown when the client went away before its body was read: nobody reads an answer. */
export class BodyAborted extends Error {}

function add(fields: Fields, name: string, value: string): void {
  const key = name.endsWith('[]') ? name.slice(0, -2) : name;
  const list = fields.get(key);
  if (list) list.push(value);
  else fields.set(key, [value]);
}

/** The query string's parameters. */
export function queryFields(req: Request): Fields {
  const fields: Fields = new Map();
  const search = new URL(req.originalUrl, 'http://localhost').searchParams;
  for (const [name, value] of search) add(fields, name, value);
  return fields;
}

/**
 * The value of a parameter, trimmed; undefined when absent or empty ("a null parameter should be
 * treated as equivalent to a non-declared parameter"). Of a repeated single-valued parameter the
 * first value counts.
 */
export function field(fields: Fields, name: string): string | undefined {
  const value = fields.get(name)?.find((v) => v.trim() !== '');
  return value === undefined ? undefined : value.trim();
}

/** Every value of a list parameter: repeated and/or comma-separated, trimmed, empty ones left out. */
export function listField(fields: Fields, name: string): string[] {
  return (fields.get(name) ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

function hasBody(req: Request): boolean {
  const length = req.get('content-length');
  return req.get('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
}

/**
 * Reads a `POST` body of at most `limit` bytes as form fields (`application/x-www-form-urlencoded`,
 * the specification's format, also assumed when no type is given) or a flat JSON object
 * (`application/json`; `attribute` may be an object of answers). Throws {@link Open311Error} 413
 * past the limit (the rest is not read), 400 for another type, a compressed body or bad JSON.
 */
export async function readBody(req: Request, limit = MAX_BODY_BYTES): Promise<Fields> {
  if (!hasBody(req)) return new Map();
  const encoding = (req.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') throw badRequest(`Content-Encoding ${encoding} is not accepted.`);
  const json = Boolean(req.is(['application/json', 'application/*+json']));
  if (!json && req.get('content-type') && !req.is('application/x-www-form-urlencoded')) {
    throw badRequest('Send the request as application/x-www-form-urlencoded (or JSON).');
  }
  const declared = req.get('content-length');
  if (declared !== undefined && Number(declared) > limit) throw tooLarge(limit);
  const text = (await readText(req, limit)).replace(/^\uFEFF/, '');
  return json ? jsonFields(text) : formFields(text);
}

function tooLarge(limit: number): Open311Error {
  return new Open311Error(413, [`The request body is larger than ${limit} bytes.`]);
}

function formFields(text: string): Fields {
  const fields: Fields = new Map();
  for (const [name, value] of new URLSearchParams(text)) add(fields, name, value);
  return fields;
}

type Scalar = string | number | boolean;
const isScalar = (v: unknown): v is Scalar =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

function jsonFields(text: string): Fields {
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('The JSON request body must be an object of fields.');
  }
  if (exceedsDepth(value, MAX_JSON_DEPTH))
    throw badRequest('The JSON request body nests too deeply.');
  const fields: Fields = new Map();
  const put = (name: string, v: unknown) => {
    const values = Array.isArray(v) ? v : [v];
    for (const item of values) {
      if (item === null) continue;
      if (!isScalar(item)) throw badRequest(`${name} must be a text, a number or a list of them.`);
      add(fields, name, String(item));
    }
  };
  for (const [name, v] of Object.entries(value)) {
    if (name === 'attribute' && typeof v === 'object' && v !== null && !Array.isArray(v)) {
      for (const [code, answer] of Object.entries(v)) put(`attribute[${code}]`, answer);
    } else put(name, v);
  }
  return fields;
}

/** The body as UTF-8 text; past `limit` bytes reading stops at once (413). */
function readText(req: Request, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (finish: () => void) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAborted);
      req.off('close', onAborted);
      finish();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        done(() => reject(tooLarge(limit)));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => done(() => resolve(Buffer.concat(chunks, size).toString('utf8')));
    const onAborted = () => done(() => reject(new BodyAborted('the client went away')));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAborted);
    req.on('close', onAborted);
  });
}

import express, { type RequestHandler } from 'express';
import { MAX_JSON_DEPTH } from '../../src/http/json-depth';
import { badArgument } from './errors';

// The service's one nesting bound (an activity needs 3 or 4 levels).
export { MAX_JSON_DEPTH };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = new Set([0x5b, 0x7b]); // [ {
const CLOSE = new Set([0x5d, 0x7d]); // ] }

/**
 * Whether JSON text nests arrays and objects at most `maxDepth` deep. One pass over the UTF-8
 * bytes with a counter — no recursion and no parsing, so it is safe on any input (100,000 nested
 * arrays take a counter, not a stack). Brackets inside strings do not count. For text that is not
 * JSON the answer is only an estimate: the parser refuses that text anyway.
 *
 * @example
 * nestingWithin(Buffer.from('{"a":[1,{"b":"]]"}]}'), 3); // true
 * nestingWithin(Buffer.from('[[[[]]]]'), 3); // false
 */
export function nestingWithin(json: Uint8Array, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const b = json[i] as number;
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) {
      inString = true;
    } else if (OPEN.has(b)) {
      if (++depth > maxDepth) return false;
    } else if (CLOSE.has(b)) {
      depth--;
    }
  }
  return true;
}

/** The refusal of JSON nested too deeply (400 BadArgument). */
export const tooDeep = () =>
  badArgument(`JSON may nest at most ${MAX_JSON_DEPTH} levels of arrays and objects`);

/**
 * A JSON body parser for one route: reads at most `limitBytes` (413 beyond, before parsing) and
 * refuses JSON nested deeper than MAX_JSON_DEPTH (400) before it is parsed, so nothing recursive
 * (serialising the echo, storing it) ever sees it. Other content types are not read.
 */
export function jsonBody(limitBytes: number): RequestHandler {
  return express.json({
    limit: limitBytes,
    type: ['application/json', 'application/*+json'],
    verify: (_req, _res, body) => {
      if (!nestingWithin(body, MAX_JSON_DEPTH)) throw tooDeep();
    },
  });
}

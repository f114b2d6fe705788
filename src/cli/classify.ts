import { createInterface } from 'node:readline';
import { loadOrTrainNlu } from '../nlu/load';
import { classificationJson, type Nlu } from '../nlu/nlu';
import { config, options } from './common';
import type { Command } from './io';

/** The stable output line of `suara classify` for one message. */
export function classifyLine(nlu: Nlu, id: unknown, text: string): Record<string, unknown> {
  return { id, ...classificationJson(nlu.classify(text)) };
}

/**
 * Parses one input line and returns the output line (a result or an error), as JSON text. An
 * integer id beyond 2^53 is echoed digit for digit (JSON.parse alone would round it).
 */
export function handleInputLine(nlu: Nlu, line: string): string {
  const json = line.replace(/^\uFEFF/, '');
  const result = classifyInput(nlu, json);
  if (typeof result.id === 'number' && !Number.isSafeInteger(result.id)) {
    const raw = topLevelNumber(json, 'id');
    if (raw !== null && /^-?\d+$/.test(raw)) {
      return JSON.stringify({ ...result, id: RAW_ID }).replace(JSON.stringify(RAW_ID), raw);
    }
  }
  return JSON.stringify(result);
}

const RAW_ID = '\u0000raw-id\u0000';

/** The raw text of a top-level number member of a JSON object, or null. */
function topLevelNumber(json: string, key: string): string | null {
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const ch = json[i];
    if (ch === '"') {
      let end = i + 1;
      while (end < json.length && json[end] !== '"') end += json[end] === '\\' ? 2 : 1;
      const isKey = depth === 1 && /^\s*:/.test(json.slice(end + 1, end + 20));
      if (isKey && JSON.parse(json.slice(i, end + 1)) === key) {
        return /^\s*:\s*(-?[\d.eE+-]+)/.exec(json.slice(end + 1))?.[1] ?? null;
      }
      i = end;
    } else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
  }
  return null;
}

function classifyInput(nlu: Nlu, json: string): Record<string, unknown> {
  let input: unknown;
  try {
    input = JSON.parse(json);
  } catch {
    return { id: null, error: 'not valid JSON' };
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { id: null, error: 'expected a JSON object {"id": …, "text": "…"}' };
  }
  const { id, text } = input as { id?: unknown; text?: unknown };
  if (typeof text !== 'string' || text.trim() === '') {
    return { id: null, error: '"text" must be a non-empty string' };
  }
  if (id !== undefined && typeof id !== 'string' && typeof id !== 'number') {
    return { id: null, error: '"id" must be a string or a number' };
  }
  return classifyLine(nlu, id ?? null, text);
}

/** `suara classify`: JSON lines in, JSON lines out (a stable interface for other tools). */
export const classifyCommand: Command = {
  summary: 'classify messages: JSON lines {"id","text"} on stdin (or --text) → JSON lines',
  usage: 'suara classify [--text "message"] < messages.jsonl',
  async run(args, io) {
    const { values } = options('classify', this.usage, args, { text: { type: 'string' } }, io);
    const cfg = config(io);
    const { nlu } = loadOrTrainNlu(cfg.intentsDir, cfg.nluModelFile);
    if (values.text !== undefined) {
      io.stdout(`${JSON.stringify(classifyLine(nlu, null, values.text))}\n`);
      return 0;
    }
    const lines = createInterface({
      input: io.stdin ?? process.stdin,
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      io.stdout(`${handleInputLine(nlu, line)}\n`);
    }
    return 0;
  },
};

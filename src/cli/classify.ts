import { createInterface } from 'node:readline';
import { loadOrTrainNlu } from '../nlu/load';
import { classificationJson, type Nlu } from '../nlu/nlu';
import { config, options } from './common';
import type { Command } from './io';

/** The stable output line of `suara classify` for one message. */
export function classifyLine(nlu: Nlu, id: unknown, text: string): Record<string, unknown> {
  return { id, ...classificationJson(nlu.classify(text)) };
}

/** Parses one input line; returns the output object (a result or an error line). */
export function handleInputLine(nlu: Nlu, line: string): Record<string, unknown> {
  let input: unknown;
  try {
    input = JSON.parse(line.replace(/^\uFEFF/, ''));
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
      io.stdout(`${JSON.stringify(handleInputLine(nlu, line))}\n`);
    }
    return 0;
  },
};

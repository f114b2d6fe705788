import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import type { WorkingCalendar } from '../../src/cases/calendar';
import { parseDeadlineRules, parseHolidays } from '../../src/cases/deadline-rules';
import type { DeadlinePlanner } from '../../src/cases/deadlines';
import { type AgencyDirectory, parseDirectory } from '../../src/cases/directory';
import type { Actor } from '../../src/cases/types';

export const JAKARTA = 'Asia/Jakarta';

/** Parses a YAML file of the project's intents/ folder. */
export function loadIntentsYaml(name: string): unknown {
  return YAML.parse(readFileSync(join(__dirname, '..', '..', 'intents', name), 'utf8'));
}

/** The Jakarta calendar with the shipped holiday file (intents/holidays.yaml). */
export function realCalendar(): WorkingCalendar {
  const r = parseHolidays(loadIntentsYaml('holidays.yaml'));
  if (!r.ok) throw new Error(`holidays.yaml does not parse:\n${r.errors.join('\n')}`);
  return { timeZone: JAKARTA, holidays: r.value };
}

/** A Jakarta calendar with only the given holidays. */
export function calendarWith(...holidays: string[]): WorkingCalendar {
  return { timeZone: JAKARTA, holidays: new Set(holidays) };
}

/** The end of a Jakarta (UTC+7) day as an instant: 23:59:59.999 WIB = 16:59:59.999Z. */
export function endOfWib(date: string): string {
  return `${date}T16:59:59.999Z`;
}

export const staff: Actor = { type: 'staff', id: 'U024BE7LH', name: 'Sari' };
export const citizen: Actor = { type: 'citizen', id: '1001' };
export const system: Actor = { type: 'system', id: 'scheduler' };

export { makeCase } from '../support/fixtures';

/** A random-bytes source that hands out the given byte arrays in order (then repeats the last). */
export function bytesSequence(...chunks: number[][]): (size: number) => Uint8Array {
  let i = 0;
  return (size: number) => {
    const chunk = chunks[Math.min(i++, chunks.length - 1)] ?? [];
    const out = new Uint8Array(size);
    out.set(chunk.slice(0, size));
    return out;
  };
}

/** mulberry32: a deterministic 32-bit pseudo-random sequence for tests (the same every run). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** A deterministic pseudo-random byte source (mulberry32), for "many ids" tests. */
export function seededBytes(seed: number): (size: number) => Uint8Array {
  const next = mulberry32(seed);
  return (size: number) => Uint8Array.from({ length: size }, () => next() % 256);
}

/** The project's agency directory (intents/agencies.yaml). */
export function projectDirectory(): AgencyDirectory {
  const r = parseDirectory(loadIntentsYaml('agencies.yaml'));
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.value;
}

/** The project's deadline rules on `calendar` (default: the real one). */
export function projectPlanner(calendar: WorkingCalendar = realCalendar()): DeadlinePlanner {
  const r = parseDeadlineRules(loadIntentsYaml('deadlines.yaml'));
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return { calendar, rules: r.value.rules };
}

import { z } from 'zod';
import { issueLines, type Validated } from '../errors';
import type { Category } from '../taxonomy';
import { CATEGORIES } from '../taxonomy';
import type { DeadlineDays, DeadlineRules } from './deadlines';

const days = z.number().int().min(0).max(90);
const partialDays = z
  .object({ verify: days.optional(), follow_up: days.optional(), auto_close: days.optional() })
  .strict();

const rulesSchema = z
  .object({
    time_zone: z.string().default('Asia/Jakarta'),
    defaults: z.object({ verify: days, follow_up: days, auto_close: days }).strict(),
    categories: z.partialRecord(z.enum(CATEGORIES), partialDays).default({}),
    urgent: partialDays.optional(),
    auto_close_note: z
      .object({ id: z.string().min(1), en: z.string().min(1) })
      .strict()
      .optional(),
  })
  .strict();

function toDays(d: z.infer<typeof partialDays>): Partial<DeadlineDays> {
  const out: Partial<DeadlineDays> = {};
  if (d.verify !== undefined) out.verify = d.verify;
  if (d.follow_up !== undefined) out.followUp = d.follow_up;
  if (d.auto_close !== undefined) out.autoClose = d.auto_close;
  return out;
}

/** Validates a parsed deadline-rules file (see intents/deadlines.yaml). */
export function parseDeadlineRules(
  raw: unknown,
): Validated<{ timeZone: string; rules: DeadlineRules }> {
  const r = rulesSchema.safeParse(raw);
  if (!r.success) return { ok: false, errors: issueLines(r.error.issues) };
  try {
    new Intl.DateTimeFormat('en', { timeZone: r.data.time_zone });
  } catch {
    return { ok: false, errors: [`time_zone: unknown IANA time zone "${r.data.time_zone}"`] };
  }
  const categories: DeadlineRules['categories'] = {};
  for (const [category, value] of Object.entries(r.data.categories)) {
    if (value) categories[category as Category] = toDays(value);
  }
  const rules: DeadlineRules = {
    defaults: {
      verify: r.data.defaults.verify,
      followUp: r.data.defaults.follow_up,
      autoClose: r.data.defaults.auto_close,
    },
    categories,
  };
  if (r.data.urgent) rules.urgent = toDays(r.data.urgent);
  if (r.data.auto_close_note) rules.autoCloseNote = r.data.auto_close_note;
  return { ok: true, value: { timeZone: r.data.time_zone, rules } };
}

const holidaySchema = z.object({
  holidays: z.array(
    z
      .object({
        date: z.iso.date({ message: 'a quoted date "YYYY-MM-DD"' }),
        name: z.object({ id: z.string(), en: z.string() }),
        type: z.enum(['national', 'cuti_bersama']),
        tentative: z.boolean().optional(),
      })
      .strict(),
  ),
});

/** Validates a parsed holiday file (see intents/holidays.yaml) and returns the set of dates. */
export function parseHolidays(raw: unknown): Validated<Set<string>> {
  const r = holidaySchema.safeParse(raw);
  if (!r.success) return { ok: false, errors: issueLines(r.error.issues) };
  return { ok: true, value: new Set(r.data.holidays.map((h) => h.date)) };
}

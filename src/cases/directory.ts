import { z } from 'zod';
import { issueLines, type Validated } from '../errors';
import { CATEGORIES, type Category, isCategory, type LocalizedText } from '../taxonomy';

/**
 * Where an agency's staff work their queue on one staff channel: the channel's name (the
 * adapter, e.g. the team chat) and the address there (a channel id, a team, a mailbox…). Each
 * adapter checks the addresses of its own channel.
 */
export interface StaffDesk {
  channel: string;
  address: string;
}

/** An agency (or the triage desk) that works a queue of cases. */
export interface Agency {
  id: string;
  name: LocalizedText;
  /** Its desks, at most one per staff channel. */
  desks: StaffDesk[];
  categories: Category[];
}

/** The agency directory: who handles which category, and the triage desk for the rest. */
export interface AgencyDirectory {
  triage: Agency;
  agencies: Agency[];
  /** category → agency id, for every category some agency claims. */
  byCategory: ReadonlyMap<Category, string>;
}

const localized = z.object({ id: z.string().min(1), en: z.string().min(1) }).strict();
const agencyId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'use lower-case letters, digits and hyphens');
/** `{ <staff channel>: <address> }`: the adapter named by the key checks the address. */
const desks = z.record(
  z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a staff channel name such as the adapter name'),
  z.string().trim().min(1).max(200),
);

const fileSchema = z
  .object({
    triage: z.object({ id: agencyId, name: localized, desks: desks.optional() }).strict(),
    agencies: z
      .array(
        z
          .object({
            id: agencyId,
            name: localized,
            categories: z.array(
              z.string().refine(isCategory, {
                message: `not a category of the taxonomy (${CATEGORIES.join(', ')})`,
              }),
            ),
            desks: desks.optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

/**
 * Validates a parsed directory file. Returns the directory or one readable line per problem.
 *
 * @example
 * const r = parseDirectory(YAML.parse(text));
 * if (!r.ok) for (const line of r.errors) console.error(line);
 * else useDirectory(r.value);
 */
export function parseDirectory(raw: unknown): Validated<AgencyDirectory> {
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: issueLines(parsed.error.issues) };
  const errors: string[] = [];
  const seen = new Set<string>([parsed.data.triage.id]);
  const byCategory = new Map<Category, string>();
  for (const [index, a] of parsed.data.agencies.entries()) {
    if (seen.has(a.id)) errors.push(`agencies.${index}.id: duplicate agency id "${a.id}"`);
    seen.add(a.id);
    for (const c of a.categories as Category[]) {
      if (c === 'other') errors.push(`agencies.${index}.categories: "other" always goes to triage`);
      const owner = byCategory.get(c);
      if (owner) errors.push(`agencies.${index}.categories: "${c}" is already handled by ${owner}`);
      else byCategory.set(c, a.id);
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const toAgency = (a: {
    id: string;
    name: LocalizedText;
    desks?: Record<string, string> | undefined;
    categories?: string[];
  }): Agency => ({
    id: a.id,
    name: a.name,
    desks: Object.entries(a.desks ?? {}).map(([channel, address]) => ({ channel, address })),
    categories: (a.categories ?? []) as Category[],
  });
  return {
    ok: true,
    value: {
      triage: toAgency(parsed.data.triage),
      agencies: parsed.data.agencies.map(toAgency),
      byCategory,
    },
  };
}

/**
 * The address of an agency's desk on a staff channel: its own, else the triage desk's (it works
 * what no agency desk there takes); null when neither has one.
 *
 * @example
 * deskAddress(dir, 'dinas-pupr', 'chat') // the address of dinas-pupr's desk on the staff channel 'chat'
 */
export function deskAddress(
  directory: AgencyDirectory,
  agencyId: string,
  channel: string,
): string | null {
  const on = (a: Agency | undefined) => a?.desks.find((d) => d.channel === channel)?.address;
  return on(findAgency(directory, agencyId)) ?? on(directory.triage) ?? null;
}

/** Looks up an agency (or the triage desk) by id. */
export function findAgency(directory: AgencyDirectory, id: string): Agency | undefined {
  return directory.triage.id === id
    ? directory.triage
    : directory.agencies.find((a) => a.id === id);
}

export type RouteReason = 'category' | 'low_confidence' | 'unrouted_category';

/**
 * Picks the agency for a category. `other`, a category no agency claims, or a prediction below
 * `minConfidence` goes to the triage desk (verifikator).
 *
 * @example
 * route(dir, 'roads_drainage', { confidence: 0.91, minConfidence: 0.5 }) // { agencyId: 'dinas-pupr', reason: 'category' }
 */
export function route(
  directory: AgencyDirectory,
  category: Category,
  options: { confidence?: number; minConfidence?: number } = {},
): { agencyId: string; reason: RouteReason } {
  const { confidence, minConfidence = 0 } = options;
  if (confidence !== undefined && confidence < minConfidence) {
    return { agencyId: directory.triage.id, reason: 'low_confidence' };
  }
  const agencyId = directory.byCategory.get(category);
  if (!agencyId) return { agencyId: directory.triage.id, reason: 'unrouted_category' };
  return { agencyId, reason: 'category' };
}

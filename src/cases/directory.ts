import { z } from 'zod';
import { issueLines, type Validated } from '../errors';
import { CATEGORIES, type Category, isCategory, type LocalizedText } from '../taxonomy';

/** An agency (or the triage desk) that works a queue of cases. */
export interface Agency {
  id: string;
  name: LocalizedText;
  /** Slack channel id where its staff work the queue. */
  slackChannel?: string;
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
const slackChannel = z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'a Slack channel id such as C0PUPR');

const fileSchema = z
  .object({
    triage: z
      .object({ id: agencyId, name: localized, slack_channel: slackChannel.optional() })
      .strict(),
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
            slack_channel: slackChannel.optional(),
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
    slack_channel?: string | undefined;
    categories?: string[];
  }): Agency => ({
    id: a.id,
    name: a.name,
    categories: (a.categories ?? []) as Category[],
    ...(a.slack_channel ? { slackChannel: a.slack_channel } : {}),
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

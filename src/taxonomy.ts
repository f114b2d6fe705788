/**
 * The label ids every classifier, training file and case uses (see ../shared/taxonomy.md).
 * Keep this file and the taxonomy document in step: they are the contract between the NLU,
 * the case domain and the agency directory.
 */

/** Message intents. */
export const INTENTS = [
  'complaint',
  'question',
  'aspiration',
  'status_check',
  'greeting',
  'thanks',
  'human_agent',
  'other',
] as const;
export type Intent = (typeof INTENTS)[number];

/** Complaint categories. `other` always routes to the triage desk. */
export const CATEGORIES = [
  'roads_drainage',
  'street_lighting',
  'waste_environment',
  'water_utility',
  'electricity',
  'health',
  'education',
  'civil_registry',
  'social_assistance',
  'transport_traffic',
  'public_order',
  'disaster_fire',
  'permits_tax',
  'employment',
  'civil_servant_conduct',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Languages the service speaks. */
export const LANGUAGES = ['id', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Text in every supported language. */
export type LocalizedText = Record<Language, string>;

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (CATEGORIES as readonly string[]).includes(value);
}

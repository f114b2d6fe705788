import { z } from 'zod';
import { MAX_NOTE_LENGTH } from '../../src/cases/state-machine';
import { CASE_STATUSES } from '../../src/cases/types';
import { CATEGORIES, LANGUAGES } from '../../src/taxonomy';

/**
 * The request shapes of the staff API, checked with zod at the boundary: every query value and
 * body field is bounded, unknown query parameters and body fields are refused (400). The OpenAPI
 * document (openapi.ts) describes the same rules; the tests check they agree.
 */

/** Most cases on one page of `GET /api/v1/cases`. */
export const MAX_LIST_LIMIT = 100;
/** Cases on a page when `limit` is not given. */
export const DEFAULT_LIST_LIMIT = 50;
/** Longest page cursor accepted (the API's own cursors are far shorter). */
export const MAX_CURSOR_LENGTH = 512;
/** Longest comma list accepted in a filter parameter. */
export const MAX_FILTER_LENGTH = 500;
/** Longest tracking id accepted in a path (a typed id may carry spaces or punctuation). */
export const MAX_TRACKING_ID_LENGTH = 40;
/** Agency ids, as in the agency directory. */
export const AGENCY_ID_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}$';
/** A note: not blank, at most the life cycle's {@link MAX_NOTE_LENGTH} characters. */
export const NOTE_PATTERN = '\\S';

/** `?order=`: newest or oldest first, or by the running agency deadline (soonest first). */
export const LIST_ORDERS = ['newest', 'oldest', 'deadline'] as const;
/** `?sla=`: the state of the running agency deadline. */
export const SLA_STATES = ['on_time', 'due_soon', 'overdue'] as const;

/** A comma-separated list of `item`s, at least one, repeats dropped. */
function commaList<T extends z.ZodType<string, string>>(item: T) {
  return z
    .string()
    .max(MAX_FILTER_LENGTH)
    .transform((s) => [...new Set(s.split(',').map((v) => v.trim()))])
    .pipe(z.array(item).min(1));
}

const agencyId = z.string().regex(new RegExp(AGENCY_ID_PATTERN), 'not an agency id');

/** A calendar date (`2026-11-30`) or an RFC 3339 date-time with an offset. */
const dateOrTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'expected a date (YYYY-MM-DD) or a date-time with offset (2026-11-30T08:00:00+07:00)',
});

/** `?lang=`: the language of the labels that replace masked personal data. */
export const LANG_PARAM = z.enum(LANGUAGES).default('id');

/** The query of `GET /api/v1/cases`. */
export const listQuery = z.strictObject({
  agency: commaList(agencyId).optional(),
  status: commaList(z.enum(CASE_STATUSES)).optional(),
  category: commaList(z.enum(CATEGORIES)).optional(),
  sla: z.enum(SLA_STATES).optional(),
  created_from: dateOrTime.optional(),
  created_to: dateOrTime.optional(),
  order: z.enum(LIST_ORDERS).default('newest'),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, `a whole number from 1 to ${MAX_LIST_LIMIT}`)
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_LIST_LIMIT))
    .default(DEFAULT_LIST_LIMIT),
  cursor: z
    .string()
    .max(MAX_CURSOR_LENGTH)
    .regex(/^[A-Za-z0-9_-]+$/, 'not a cursor of this API')
    .optional(),
  lang: LANG_PARAM,
});
/** A validated list query (comma lists split, defaults applied). */
export type ListQuery = z.output<typeof listQuery>;

/** The query of the single-case operations. */
export const caseQuery = z.strictObject({ lang: LANG_PARAM });

/** `{trackingId}` in a path: as typed (normalised by the route). */
export const trackingIdParam = z.string().min(1).max(MAX_TRACKING_ID_LENGTH);

/** A note: the length is checked as sent, then it is trimmed (as the life cycle does). */
const note = z
  .string()
  .max(MAX_NOTE_LENGTH)
  .regex(new RegExp(NOTE_PATTERN), 'must not be blank')
  .trim();

/** Every action of `POST /api/v1/cases/{trackingId}/actions`, by its `action` name. */
export const actionBody = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('acknowledge') }),
  z.strictObject({ action: z.literal('request_info'), note }),
  z.strictObject({ action: z.literal('resolve'), note }),
  z.strictObject({ action: z.literal('reject'), note }),
  z.strictObject({ action: z.literal('transfer'), to_agency: agencyId, note: note.optional() }),
  z.strictObject({ action: z.literal('reply'), note }),
  z.strictObject({ action: z.literal('note'), note }),
]);
/** A validated action body (notes trimmed). */
export type ActionBody = z.output<typeof actionBody>;
export type ActionName = ActionBody['action'];

/** The action names, in the order the document lists them. */
export const ACTION_NAMES: readonly ActionName[] = actionBody.options.map(
  (o) => o.shape.action.value,
);

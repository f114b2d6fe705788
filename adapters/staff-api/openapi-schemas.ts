import { DEFAULT_DEADLINE_DAYS } from '../../src/cases/deadlines';
import { MAX_NOTE_LENGTH } from '../../src/cases/state-machine';
import { CASE_EVENT_TYPES, CASE_KINDS, CASE_STATUSES, IDENTITY_MODES } from '../../src/cases/types';
import { CATEGORIES, LANGUAGES } from '../../src/taxonomy';
import type { SchemaObject } from './openapi-types';
import {
  ACTION_NAMES,
  type ActionName,
  AGENCY_ID_PATTERN,
  NOTE_PATTERN,
  SLA_STATES,
} from './schemas';

/**
 * `components.schemas` of the staff API document: the JSON of views.ts and the request bodies of
 * schemas.ts. Enumerations come from the code's own constants, so they cannot drift.
 */

const ref = (name: string): SchemaObject => ({ $ref: `#/components/schemas/${name}` });
const nullable = (description: string, type: 'string' | 'number' = 'string'): SchemaObject => ({
  type: [type, 'null'],
  description,
});
const instant = (description: string, orNull = false): SchemaObject => ({
  type: orNull ? ['string', 'null'] : 'string',
  format: 'date-time',
  description,
});
const object = (
  properties: Record<string, SchemaObject>,
  extra: Partial<SchemaObject> = {},
): SchemaObject => ({ type: 'object', required: Object.keys(properties), properties, ...extra });

const status = { type: 'string', enum: CASE_STATUSES } satisfies SchemaObject;
const statusOrNull: SchemaObject = { type: ['string', 'null'], enum: [...CASE_STATUSES, null] };

const note: SchemaObject = {
  type: 'string',
  maxLength: MAX_NOTE_LENGTH,
  pattern: NOTE_PATTERN,
  description: `Not blank; at most ${MAX_NOTE_LENGTH} characters; trimmed.`,
};

const CASE: SchemaObject = object(
  {
    tracking_id: {
      type: 'string',
      pattern: '^ADU-[0-9A-HJKMNP-TV-Z]{6}$',
      examples: ['ADU-7K3M9Q'],
    },
    kind: { type: 'string', enum: CASE_KINDS },
    category: { type: 'string', enum: CATEGORIES },
    agency_id: { type: 'string', pattern: AGENCY_ID_PATTERN, examples: ['dinas-pupr'] },
    priority: { type: 'string', enum: ['normal', 'urgent'] },
    status,
    resume_status: {
      ...statusOrNull,
      description: 'While `needs_info`: the status the case returns to when the citizen answers.',
    },
    identity: {
      type: 'string',
      enum: IDENTITY_MODES,
      description:
        '`anonymous` and `confidential`: NIK, phone numbers and e-mail addresses in `text`, ' +
        '`location.text` and citizen notes are masked, and `reporter` is null.',
    },
    language: { type: 'string', enum: LANGUAGES },
    text: { type: 'string', description: "The citizen's words (masked unless `named`)." },
    location: {
      type: ['object', 'null'],
      required: ['text', 'lat', 'lon'],
      properties: {
        text: nullable('Where, in words (masked unless `named`).'),
        lat: nullable('Latitude (WGS 84).', 'number'),
        lon: nullable('Longitude (WGS 84).', 'number'),
      },
    },
    attachments: {
      type: 'array',
      description:
        'Files the citizen sent. Each stays on their channel until someone opens its `href`.',
      items: object({
        kind: { type: 'string', enum: ['photo', 'document'] },
        mime_type: nullable('The media type, when the channel gave it.'),
        href: {
          type: 'string',
          description: 'Where to download it (`getAttachment`), relative to the API server.',
          examples: ['/api/v1/cases/ADU-7K3M9Q/attachments/1'],
        },
      }),
    },
    reporter: {
      type: ['object', 'null'],
      description: 'Who reported it: only on `named` reports (never their chat user id).',
      required: ['channel', 'name', 'phone', 'email'],
      properties: {
        channel: { type: 'string', description: 'The channel they wrote on.' },
        name: nullable('Their name, when given.'),
        phone: nullable('Their phone number, when given.'),
        email: nullable('Their e-mail address, when given.'),
      },
    },
    deadlines: object({
      verify_by: instant('End of the verification period (received cases).', true),
      follow_up_by: instant('End of the follow-up period (cases being worked on).', true),
      auto_close_at: instant('When a resolved case closes unless the citizen answers.', true),
    }),
    sla: {
      type: ['object', 'null'],
      description:
        'The agency deadline that runs now and its state; null while none runs (waiting for ' +
        'the citizen, resolved, finished). `due_soon`: due by the end of the next working day.',
      required: ['deadline', 'due', 'state'],
      properties: {
        deadline: { type: 'string', enum: ['verify', 'follow_up'] },
        due: instant('The deadline.'),
        state: { type: 'string', enum: SLA_STATES },
      },
    },
    rating: { type: ['integer', 'null'], minimum: 1, maximum: 5, description: '1–5 at closing.' },
    created_at: instant('When the case was filed.'),
    updated_at: instant('When the case last changed.'),
    version: { type: 'integer', minimum: 1, description: 'Grows by one with every event.' },
  },
  {
    description:
      'A case as agency staff may see it. Deadlines count working days in the service time ' +
      `zone (defaults: verify ${DEFAULT_DEADLINE_DAYS.verify}, follow up ${DEFAULT_DEADLINE_DAYS.followUp}).`,
  },
);

const CASE_EVENT: SchemaObject = object(
  {
    seq: { type: 'integer', minimum: 1, description: '1 for creation, then +1 per event.' },
    type: { type: 'string', enum: CASE_EVENT_TYPES },
    actor: object(
      {
        type: { type: 'string', enum: ['citizen', 'staff', 'system'] },
        id: nullable(
          'Staff: their id on the channel they used (`apikey:<key id>` for this API); null for the citizen.',
        ),
        name: nullable('A display name (the API key name for this API); null for the citizen.'),
      },
      { description: 'Who did it. A citizen is never identified.' },
    ),
    at: instant('When it happened.'),
    note: nullable('The note (a citizen note is masked unless `named`).'),
    public: { type: 'boolean', description: 'Whether the note was shown to the citizen.' },
    from_status: statusOrNull,
    to_status: status,
    from_agency_id: nullable('Transfers: the agency that had the case.'),
    to_agency_id: nullable('Transfers: the agency that has it now.'),
    rating: { type: ['integer', 'null'], minimum: 1, maximum: 5 },
  },
  { description: 'One accepted change of a case (its history is oldest first).' },
);

/** The request body of each action, and what it does. */
const ACTIONS: Record<
  ActionName,
  { title: string; description: string; body: Record<string, SchemaObject> }
> = {
  acknowledge: {
    title: 'ActionAcknowledge',
    description: 'Start work on the case (`in_progress`); the citizen is told.',
    body: {},
  },
  request_info: {
    title: 'ActionRequestInfo',
    description: 'Ask the citizen for more information (`needs_info`); the note goes to them.',
    body: { note },
  },
  resolve: {
    title: 'ActionResolve',
    description:
      'Resolve the case; the note goes to the citizen, who is asked to confirm. A `received` ' +
      'case is acknowledged first (two history events, two notices).',
    body: { note },
  },
  reject: {
    title: 'ActionReject',
    description: 'Reject the case; the note (the reason) goes to the citizen.',
    body: { note },
  },
  transfer: {
    title: 'ActionTransfer',
    description:
      'Hand the case to another agency (its status stays). The optional note is internal. ' +
      'The citizen is not told; the key may no longer see the case afterwards.',
    body: {
      to_agency: { type: 'string', pattern: AGENCY_ID_PATTERN, description: 'An agency id.' },
      note,
    },
  },
  reply: {
    title: 'ActionReply',
    description: 'Write to the citizen (a public note); the status stays.',
    body: { note },
  },
  note: {
    title: 'ActionNote',
    description: 'An internal note for staff: never shown to the citizen.',
    body: { note },
  },
};

function actionSchema(name: ActionName): SchemaObject {
  const { description, body } = ACTIONS[name];
  const properties: Record<string, SchemaObject> = { action: { type: 'string', const: name } };
  Object.assign(properties, body);
  return {
    type: 'object',
    description,
    required: Object.keys(properties).filter((k) => !(name === 'transfer' && k === 'note')),
    properties,
    additionalProperties: false,
  };
}

const ERROR: SchemaObject = object(
  {
    error: object({
      code: { type: 'string', description: 'Stable and machine-readable, e.g. `not_found`.' },
      message: { type: 'string', description: 'For people; may change.' },
    }),
  },
  { description: 'Every error answer.' },
);

/** The component schemas, by name. */
export const COMPONENT_SCHEMAS: Record<string, SchemaObject> = {
  Case: CASE,
  CaseEvent: CASE_EVENT,
  CaseDetail: object(
    { case: ref('Case'), history: { type: 'array', items: ref('CaseEvent') } },
    { description: 'A case and its history, oldest event first.' },
  ),
  CasePage: object(
    {
      cases: { type: 'array', items: ref('Case') },
      next: nullable(
        'Pass as `cursor` (with the same filters) for the next page; null on the last.',
      ),
    },
    { description: 'One page of cases.' },
  ),
  CaseAction: {
    description: 'What to do to a case, by `action`.',
    oneOf: ACTION_NAMES.map((n) => ref(ACTIONS[n].title)),
    discriminator: {
      propertyName: 'action',
      mapping: Object.fromEntries(
        ACTION_NAMES.map((n) => [n, `#/components/schemas/${ACTIONS[n].title}`]),
      ),
    },
  },
  ...Object.fromEntries(ACTION_NAMES.map((n) => [ACTIONS[n].title, actionSchema(n)])),
  Error: ERROR,
};

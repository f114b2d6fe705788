import { CASE_STATUSES } from '../../src/cases/types';
import { CATEGORIES, LANGUAGES } from '../../src/taxonomy';
import { COMPONENT_SCHEMAS } from './openapi-schemas';
import type {
  OpenApiDocument,
  OperationObject,
  ParameterObject,
  ResponseObject,
  ResponseOrRef,
} from './openapi-types';
import { STAFF_API_BODY_BYTES } from './routes';
import {
  AGENCY_ID_PATTERN,
  DEFAULT_LIST_LIMIT,
  LIST_ORDERS,
  MAX_CURSOR_LENGTH,
  MAX_LIST_LIMIT,
  MAX_TRACKING_ID_LENGTH,
  SLA_STATES,
} from './schemas';

/** Where the document is served (no key needed). */
export const OPENAPI_PATH = '/api/openapi.json';

const json = (schemaName: string) => ({
  'application/json': { schema: { $ref: `#/components/schemas/${schemaName}` } },
});
const error = (description: string, extra: Partial<ResponseObject> = {}): ResponseObject => ({
  description,
  content: json('Error'),
  ...extra,
});
const use = (name: string): ResponseOrRef => ({ $ref: `#/components/responses/${name}` });

const RESPONSES: Record<string, ResponseObject> = {
  Unauthorized: error(
    '`unauthorized`: no API key, or one that is malformed, unknown, revoked or not a staff key.',
    {
      headers: {
        'WWW-Authenticate': {
          description: 'A Bearer challenge (RFC 6750), with `error="invalid_token"` for a bad key.',
          required: true,
          schema: { type: 'string', examples: ['Bearer realm="suara"'] },
        },
      },
    },
  ),
  InsufficientScope: error('`insufficient_scope`: the key lacks the scope this operation needs.', {
    headers: {
      'WWW-Authenticate': {
        description: 'A Bearer challenge naming the scope needed.',
        required: true,
        schema: { type: 'string' },
      },
    },
  }),
  NotFound: error(
    '`not_found`: no such case, or it is with an agency outside the key (answered alike).',
  ),
  Internal: error('`internal`: an unexpected failure.'),
  Unavailable: error('`unavailable`: the database cannot be reached; nothing was written.', {
    headers: {
      'Retry-After': {
        description: 'Seconds to wait.',
        required: true,
        schema: { type: 'string' },
      },
    },
  }),
};

const PARAMETERS: Record<string, ParameterObject> = {
  trackingId: {
    name: 'trackingId',
    in: 'path',
    required: true,
    description:
      'The tracking id. Tolerant: any case, with or without the hyphen, O/0 and I/L/1 confusions.',
    schema: { type: 'string', minLength: 1, maxLength: MAX_TRACKING_ID_LENGTH },
  },
  lang: {
    name: 'lang',
    in: 'query',
    description: 'The language of the labels that replace masked personal data.',
    schema: { type: 'string', enum: LANGUAGES, default: 'id' },
  },
};

const list = (name: string, items: ParameterObject['schema'], description: string) =>
  ({
    name,
    in: 'query',
    description: `${description} Comma-separated.`,
    style: 'form',
    explode: false,
    schema: { type: 'array', items },
  }) satisfies ParameterObject;

/** Responses every operation with a key can answer. */
const COMMON: Record<string, ResponseOrRef> = {
  '401': use('Unauthorized'),
  '500': use('Internal'),
  '503': use('Unavailable'),
};

const listCases: OperationObject = {
  operationId: 'listCases',
  summary: 'List the cases of the key’s agencies',
  description:
    'One page of cases, newest first unless `order` says otherwise. Follow `next` with ' +
    '`cursor` (and the same filters) until it is null: no case is lost or repeated.',
  tags: ['cases'],
  security: [{ bearer: ['cases:read'] }],
  parameters: [
    list(
      'agency',
      { type: 'string', pattern: AGENCY_ID_PATTERN },
      'Only these agencies (each one of the key’s); default all of the key’s agencies.',
    ),
    list('status', { type: 'string', enum: CASE_STATUSES }, 'Only these statuses; default all.'),
    list('category', { type: 'string', enum: CATEGORIES }, 'Only these categories.'),
    {
      name: 'sla',
      in: 'query',
      description: 'Only cases whose running agency deadline is in this state.',
      schema: { type: 'string', enum: SLA_STATES },
    },
    {
      name: 'created_from',
      in: 'query',
      description:
        'Created at or after: a date (the start of that day in the service time zone) or a ' +
        'date-time with offset.',
      schema: { type: 'string', examples: ['2026-11-01', '2026-11-01T08:00:00+07:00'] },
    },
    {
      name: 'created_to',
      in: 'query',
      description:
        'Created before: a date (that whole day included) or a date-time with offset (excluded).',
      schema: { type: 'string', examples: ['2026-11-30'] },
    },
    {
      name: 'order',
      in: 'query',
      description: '`deadline`: by the running agency deadline, soonest first, none last.',
      schema: { type: 'string', enum: LIST_ORDERS, default: 'newest' },
    },
    {
      name: 'limit',
      in: 'query',
      description: 'Cases per page.',
      schema: { type: 'integer', minimum: 1, maximum: MAX_LIST_LIMIT, default: DEFAULT_LIST_LIMIT },
    },
    {
      name: 'cursor',
      in: 'query',
      description: 'The `next` of the previous page of the same list.',
      schema: { type: 'string', maxLength: MAX_CURSOR_LENGTH, pattern: '^[A-Za-z0-9_-]+$' },
    },
    { $ref: '#/components/parameters/lang' },
  ],
  responses: {
    '200': { description: 'A page of cases.', content: json('CasePage') },
    '400': error(
      '`invalid_request`: a bad or unknown query parameter; `bad_cursor`: a cursor of another list.',
    ),
    '403': error(
      '`insufficient_scope`: the key lacks `cases:read`; `forbidden`: `agency` names an agency ' +
        'the key does not work for.',
      {
        headers: {
          'WWW-Authenticate': {
            description: 'With `insufficient_scope`: a Bearer challenge naming the scope needed.',
            schema: { type: 'string' },
          },
        },
      },
    ),
    ...COMMON,
  },
};

const getCase: OperationObject = {
  operationId: 'getCase',
  summary: 'Read a case and its history',
  tags: ['cases'],
  security: [{ bearer: ['cases:read'] }],
  parameters: [{ $ref: '#/components/parameters/lang' }],
  responses: {
    '200': { description: 'The case and its history.', content: json('CaseDetail') },
    '400': error('`invalid_request`: a bad or unknown query parameter.'),
    '403': use('InsufficientScope'),
    '404': use('NotFound'),
    ...COMMON,
  },
};

const getAttachment: OperationObject = {
  operationId: 'getAttachment',
  summary: 'Download a file the citizen sent',
  description:
    'The `n`-th file of the case (1 = the first of `attachments`), fetched from the channel ' +
    'the citizen wrote on when asked for (Suara keeps no copy of WhatsApp or Telegram files). ' +
    'Answered as a download in the file’s own media type.',
  tags: ['cases'],
  security: [{ bearer: ['cases:read'] }],
  parameters: [
    {
      name: 'n',
      in: 'path',
      required: true,
      description: 'The position of the file in the case’s `attachments`, from 1.',
      schema: { type: 'integer', minimum: 1 },
    },
  ],
  responses: {
    '200': {
      description: 'The file.',
      headers: {
        'Content-Disposition': {
          description: '`attachment` with a file name from the tracking id.',
          required: true,
          schema: { type: 'string' },
        },
      },
      content: { '*/*': { schema: {} } },
    },
    '403': use('InsufficientScope'),
    '404': error('`not_found`: no such case (or another agency’s), or no such file.'),
    '502': error(
      '`media_unavailable`: the channel no longer has the file (expired or deleted), cannot be ' +
        'reached, or its files cannot be opened through Suara.',
    ),
    ...COMMON,
  },
};

const actOnCase: OperationObject = {
  operationId: 'actOnCase',
  summary: 'Act on a case',
  description:
    'Applies one action through the case life cycle, as the key (recorded in the history as ' +
    '`apikey:<key id>`). The citizen is told of public changes on their channel; the agency ' +
    `desk sees the change. A JSON body of at most ${STAFF_API_BODY_BYTES} bytes.`,
  tags: ['cases'],
  security: [{ bearer: ['cases:write'] }],
  parameters: [{ $ref: '#/components/parameters/lang' }],
  requestBody: { required: true, content: json('CaseAction') },
  responses: {
    '200': {
      description: 'The case after the action, and its history.',
      content: json('CaseDetail'),
    },
    '400': error(
      '`invalid_request`: the body does not match `CaseAction` (or a bad query parameter); ' +
        '`bad_request`: not JSON; `too_deep`: JSON nested too deeply.',
    ),
    '403': use('InsufficientScope'),
    '404': use('NotFound'),
    '409': error(
      '`invalid_transition`: the case’s status does not allow this action; `conflict`: the case ' +
        'kept changing meanwhile (try again).',
    ),
    '413': error(`\`payload_too_large\`: a body over ${STAFF_API_BODY_BYTES} bytes (not read).`),
    '415': error(
      '`unsupported_media_type`: the body is not `application/json`; `unsupported_encoding`: a ' +
        'compressed body.',
    ),
    '422': error(
      'A well-formed action the rules refuse: `unknown_agency` (no such agency), `same_agency` ' +
        '(already there), `note_required`, `note_too_long`.',
    ),
    ...COMMON,
  },
};

/**
 * The OpenAPI 3.1 document of the staff API, served at {@link OPENAPI_PATH}. `serverUrl` (the
 * service's public URL) becomes its server; without it, paths are relative to the host serving it.
 *
 * @example
 * const doc = staffApiDocument({ serverUrl: 'https://lapor.kota.go.id' });
 * doc.paths['/api/v1/cases']?.get?.operationId // 'listCases'
 */
export function staffApiDocument(options: { serverUrl?: string | null } = {}): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Suara staff API',
      version: '1.0.0',
      description:
        'Agency systems list, read and work the cases of their agencies. Authenticate with a ' +
        'staff API key (`suara api-key create --name N --agency ID --scope cases:read,cases:write`) ' +
        'as `Authorization: Bearer <key>`. Personal data is masked on anonymous and ' +
        'confidential reports. Errors are `{ "error": { "code", "message" } }`.',
      license: { name: 'MIT' },
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    tags: [{ name: 'cases', description: 'Citizen reports and their life cycle.' }],
    security: [{ bearer: [] }],
    paths: {
      '/api/v1/cases': { get: listCases },
      '/api/v1/cases/{trackingId}': {
        parameters: [{ $ref: '#/components/parameters/trackingId' }],
        get: getCase,
      },
      '/api/v1/cases/{trackingId}/attachments/{n}': {
        parameters: [{ $ref: '#/components/parameters/trackingId' }],
        get: getAttachment,
      },
      '/api/v1/cases/{trackingId}/actions': {
        parameters: [{ $ref: '#/components/parameters/trackingId' }],
        post: actOnCase,
      },
      [OPENAPI_PATH]: {
        get: {
          operationId: 'getOpenApiDocument',
          summary: 'This document',
          security: [],
          responses: {
            '200': {
              description: 'The OpenAPI 3.1 document.',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
          },
        },
      },
    },
    components: {
      schemas: COMPONENT_SCHEMAS,
      responses: RESPONSES,
      parameters: PARAMETERS,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'suara_<id>_<secret>',
          description:
            'A staff API key; its scopes (`cases:read`, `cases:write`) are listed per operation.',
        },
      },
    },
  };
}

import type { Channel, ChannelFactory } from '../../src/channel';
import { OPENAPI_PATH, staffApiDocument } from './openapi';
import { staffApiRoutes } from './routes';

export { OPENAPI_PATH, staffApiDocument } from './openapi';
export { STAFF_API_BODY_BYTES } from './routes';

/** Where the staff REST API is mounted (beside the classify/ask API of src/http/api.ts). */
export const STAFF_API_PATH = '/api/v1';

/**
 * The staff REST API: agencies' own systems list, read and work their cases with a staff API
 * key (`Authorization: Bearer <key>`, scopes `cases:read` and `cases:write`, limited to the key's
 * agencies), through the same staff rules, life cycle and notifications as the Slack desk.
 * `GET /api/v1/cases`, `GET /api/v1/cases/{trackingId}`, `POST /api/v1/cases/{trackingId}/actions`,
 * and the OpenAPI 3.1 document at `GET /api/openapi.json` (no key). Always on; it has no outbox
 * sender (citizens are told on their own channels, desks on theirs). Mount it after the
 * `/api/v1` router of src/http/api.ts: paths that are not its own fall through.
 *
 * @example
 * // src/service.ts wiring (adapters/index.ts):
 * const service = await startService(config, { logger, channels: [staffApiChannel] });
 * // then, with a key from
 * //   suara api-key create --name SIMPUPR --agency dinas-pupr --scope cases:read,cases:write
 * // curl -H "Authorization: Bearer suara_…" "${service.url}/api/v1/cases?status=received&sla=overdue"
 * // → {"cases":[{"tracking_id":"ADU-7K3M9Q","status":"received","sla":{"state":"overdue",…},…}],"next":null}
 * // curl -H "Authorization: Bearer suara_…" -H 'Content-Type: application/json' \
 * //   -d '{"action":"acknowledge"}' ${service.url}/api/v1/cases/ADU-7K3M9Q/actions
 */
export const staffApiChannel: ChannelFactory = (ctx): Channel => {
  const document = staffApiDocument({ serverUrl: ctx.config.publicUrl });
  return {
    name: 'staff-api',
    mount(app) {
      app.get(OPENAPI_PATH, (_req, res) => {
        res.json(document);
      });
      app.use(STAFF_API_PATH, staffApiRoutes(ctx));
    },
  };
};

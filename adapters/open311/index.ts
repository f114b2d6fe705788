import { OPEN311_CHANNEL } from '../../src/cases/types';
import type { Channel, ChannelFactory } from '../../src/channel';
import { open311Routes } from './routes';

/** Where the GeoReport v2 interface is mounted. */
export const OPEN311_PATH = '/open311/v2';

/**
 * The Open311 GeoReport v2 interface (https://wiki.open311.org/GeoReport_v2) at
 * {@link OPEN311_PATH}: other systems (FixMyStreet-like apps, city portals) list the services
 * (one per complaint category), file service requests with an Open311 API key (each becomes a
 * case routed to its agency's desk, with the system client as the actor) and follow their status.
 * Every resource answers JSON or XML by suffix. Always on; it has no outbox sender: the client
 * app polls the status, so no citizen notification is queued for its reporters.
 *
 * @example
 * // src/service.ts wiring (adapters/index.ts):
 * const service = await startService(config, { logger, channels: [open311Channel] });
 * // then, with a key from `suara api-key create --name "FixMyStreet" --open311`:
 * // curl -d api_key=suara_… -d service_code=roads_drainage -d lat=-6.2 -d long=106.8 \
 * //   -d description='Jalan berlubang' ${service.url}/open311/v2/requests.json
 * // → [{"service_request_id":"ADU-7K3M9Q","service_notice":"Ditangani oleh …","account_id":null}]
 */
export const open311Channel: ChannelFactory = (ctx): Channel => ({
  name: OPEN311_CHANNEL,
  mount(app) {
    app.use(OPEN311_PATH, open311Routes(ctx));
  },
});

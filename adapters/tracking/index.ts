import type { ChannelFactory } from '../../src/channel';
import type { RateLimit } from '../../src/store/rate-limit';
import { trackingRoutes } from './routes';

export { TRACKING_PATH } from './routes';

/** Settings of the public tracking page (tests, deployments). */
export interface TrackingOptions {
  /**
   * Case-page look-ups per client address: a bucket of `burst` refilled over `perMs`. Generous
   * enough for many citizens behind one carrier's or office's address, small enough that
   * guessing tracking ids gets nowhere (32^6 ids).
   */
  limit: RateLimit;
}

/** 30 look-ups a minute per client address, all of them at once if need be. */
export const DEFAULT_TRACKING_LIMIT: RateLimit = { burst: 30, perMs: 60_000 };

/**
 * The public tracking page: anyone with a tracking id sees its case's status, the agency now
 * responsible, the running deadline and its SLA state, and the public history, server-rendered
 * in Indonesian or English (no script, no external asset). Never anything personal: no
 * reporter, no citizen's words, no location; a confidential case shows its status only.
 * `GET /lacak` is the form, `GET /lacak/<id>` a case. Look-ups are rate-limited per client
 * address on the service's rate-limit store. It has no outbox sender: citizens get the link in
 * their messages when `SUARA_PUBLIC_URL` is set.
 *
 * @example
 * await startService(config, { logger, channels: [trackingChannel()] });
 * // tests: a small limit
 * trackingChannel({ limit: { burst: 3, perMs: 60_000 } });
 */
export function trackingChannel(options: Partial<TrackingOptions> = {}): ChannelFactory {
  return (ctx) => {
    const routes = trackingRoutes({ ctx, limit: options.limit ?? DEFAULT_TRACKING_LIMIT });
    return {
      name: 'tracking',
      mount(app) {
        app.use(routes);
      },
    };
  };
}

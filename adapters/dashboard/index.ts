import type { ChannelFactory } from '../../src/channel';
import { statsApiRoutes, statsPageRoutes } from './routes';

/**
 * Statistics for everyone: `GET /statistik` (the page, id/en, charts with a table each) and
 * `GET /api/v1/stats` (JSON). Reads only the summary tables the stores
 * keep as cases change (src/store/sql/stats.ts). It has no outbox sender.
 *
 * @example
 * await startService(config, { logger, channels: [dashboardChannel] });
 */
export const dashboardChannel: ChannelFactory = (ctx) => {
  const api = statsApiRoutes(ctx);
  const page = statsPageRoutes(ctx);
  return {
    name: 'dashboard',
    mount(app) {
      app.use(api);
      app.use(page);
    },
  };
};

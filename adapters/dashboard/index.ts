import type { ChannelFactory } from '../../src/channel';
import { statsApiRoutes, statsPageRoutes } from './routes';
import { supervisorRoutes } from './supervisor';

/**
 * Statistics for everyone: `GET /statistik` (the page, id/en, charts with a table each) and
 * `GET /api/v1/stats` (JSON); for staff, the supervisor view `/dashboard` (signed in with a
 * personal link from Slack's `/suara dashboard`). Reads only the summary tables the stores
 * keep as cases change (src/store/sql/stats.ts). It has no outbox sender.
 *
 * @example
 * await startService(config, { logger, channels: [dashboardChannel] });
 */
export const dashboardChannel: ChannelFactory = (ctx) => {
  const api = statsApiRoutes(ctx);
  const page = statsPageRoutes(ctx);
  const supervisor = supervisorRoutes(ctx);
  return {
    name: 'dashboard',
    mount(app) {
      app.use(api);
      app.use(page);
      app.use(supervisor);
    },
  };
};

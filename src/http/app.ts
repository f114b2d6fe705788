import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../logger';
import type { Store } from '../store/port';
import { bodyUnread } from './json-depth';

export interface AppDeps {
  store: Store;
  logger: Logger;
}

/**
 * The express app every channel and API mounts on. Health: `GET /healthz` (the process is up) and
 * `GET /readyz` (the store answers). Unknown routes and thrown errors answer JSON.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await deps.store.ping();
      res.json({ status: 'ready' });
    } catch (err) {
      deps.logger.warn({ err }, 'readiness check failed');
      res.status(503).json({ status: 'unavailable', error: 'store not reachable' });
    }
  });
  return app;
}

/**
 * The last handlers: JSON 404 and JSON 500 (mount after every route). A request answered before
 * its body was read has its connection closed after the answer: on a kept-alive connection Node
 * would otherwise read the rest of that body, however long, to reach the next request.
 */
export function finishApp(app: Express, logger: Logger): Express {
  app.use((req, res) => {
    if (bodyUnread(req)) res.set('Connection', 'close');
    res
      .status(404)
      .json({ error: { code: 'not_found', message: `no route ${req.method} ${req.path}` } });
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const { status: raw, message } = (err ?? {}) as { status?: unknown; message?: unknown };
    const status = typeof raw === 'number' && raw >= 400 && raw < 600 ? raw : 500;
    if (status >= 500) logger.error({ err }, 'request failed');
    if (bodyUnread(req)) res.set('Connection', 'close');
    res.status(status).json({
      error: {
        code: status >= 500 ? 'internal' : 'bad_request',
        message: status >= 500 ? 'internal error' : String(message ?? 'bad request'),
      },
    });
  });
  return app;
}

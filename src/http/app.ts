import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { TrustProxy } from '../config/env';
import type { Logger } from '../logger';
import type { Store } from '../store/port';

export interface AppDeps {
  store: Store;
  logger: Logger;
  /** Which peers are proxies whose X-Forwarded-* headers count (TRUST_PROXY; default none). */
  trustProxy?: TrustProxy;
}

/**
 * The express app every channel and API mounts on. Health: `GET /healthz` (the process is up) and
 * `GET /readyz` (the store answers). Unknown routes and thrown errors answer JSON.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? false);

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

/** The last handlers: JSON 404 and JSON 500 (mount after every route). */
export function finishApp(app: Express, logger: Logger): Express {
  app.use((req, res) => {
    res
      .status(404)
      .json({ error: { code: 'not_found', message: `no route ${req.method} ${req.path}` } });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const { status: raw, message } = (err ?? {}) as { status?: unknown; message?: unknown };
    const status = typeof raw === 'number' && raw >= 400 && raw < 600 ? raw : 500;
    if (status >= 500) logger.error({ err }, 'request failed');
    res.status(status).json({
      error: {
        code: status >= 500 ? 'internal' : 'bad_request',
        message: status >= 500 ? 'internal error' : String(message ?? 'bad request'),
      },
    });
  });
  return app;
}

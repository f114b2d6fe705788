import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { TrustProxy } from '../config/env';
import { isCodedError } from '../errors';
import type { Logger } from '../logger';
import type { OutboxCounts } from '../outbox/port';
import type { Backend } from '../store/backend';
import { isStorageError, type WriteHealth } from '../store/write-health';
import { bodyUnread } from './json-depth';
import { closeAfterAnswer } from './linger';

export interface AppDeps {
  backend: Backend;
  logger: Logger;
  /** What the store's own writes found (see `watchWrites`); without it only the probe counts. */
  writeHealth?: WriteHealth;
  clock?: () => Date;
  /** Which peers are proxies whose X-Forwarded-* headers count (TRUST_PROXY; default none). */
  trustProxy?: TrustProxy;
}

/** How long one probe write answers `/readyz`: a load balancer may poll it every second. */
export const READY_PROBE_MS = 1000;

/**
 * The express app every channel and API mounts on. Health: `GET /healthz` (the process is up) and
 * `GET /readyz` (the store answers and can write: 503 `store cannot write` after the disk filled
 * up or went read-only, until writes succeed again; 503 `store not reachable` otherwise). Unknown
 * routes and thrown errors answer JSON.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? false);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const ready = readiness(deps);
  app.get('/readyz', async (_req, res) => {
    const { error, outbox } = await ready();
    // Dead letters do not make the service unready, but an operator must see them.
    const details = outbox ? { outbox } : {};
    if (error === null) res.json({ status: 'ready', ...details });
    else res.status(503).json({ status: 'unavailable', error, ...details });
  });
  return app;
}

/**
 * The readiness check: a probe write (the store's `ping`) at most once per {@link READY_PROBE_MS},
 * and the failures the store's writes met. Resolves to null when ready, else the reason. Logs
 * when the answer changes, not on every poll.
 */
function readiness(
  deps: AppDeps,
): () => Promise<{ error: string | null; outbox: OutboxCounts | null }> {
  const clock = deps.clock ?? (() => new Date());
  let probe: { at: number; error: unknown; outbox: OutboxCounts | null } | null = null;
  let running: Promise<void> | null = null;
  let answered: string | null = null;
  const runProbe = async () => {
    const at = clock().getTime();
    try {
      await deps.backend.ping();
      probe = { at, error: null, outbox: await deps.backend.outbox.count().catch(() => null) };
    } catch (err) {
      probe = { at, error: err, outbox: null };
    }
  };
  return async () => {
    if (probe === null || clock().getTime() - probe.at >= READY_PROBE_MS) {
      running ??= runProbe().finally(() => {
        running = null;
      });
      await running;
    }
    const failure = deps.writeHealth?.failure() ?? null;
    const err = probe?.error ?? null;
    const error =
      failure !== null || (err !== null && isStorageError(err))
        ? 'store cannot write'
        : err !== null
          ? 'store not reachable'
          : null;
    if (error !== answered) {
      if (error === null) deps.logger.info({}, 'readiness check passes again');
      else deps.logger.warn({ err, failure }, `readiness check failed: ${error}`);
      answered = error;
    }
    return { error, outbox: probe?.outbox ?? null };
  };
}

/**
 * The last handlers: JSON 404 and JSON 500 (mount after every route). A request answered before
 * its body was read has its connection closed after the answer: on a kept-alive connection Node
 * would otherwise read the rest of that body, however long, to reach the next request.
 */
export function finishApp(app: Express, logger: Logger): Express {
  app.use((req, res) => {
    if (bodyUnread(req)) closeAfterAnswer(req, res);
    res
      .status(404)
      .json({ error: { code: 'not_found', message: `no route ${req.method} ${req.path}` } });
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (bodyUnread(req)) closeAfterAnswer(req, res);
    if (isCodedError(err, 'store_unavailable')) {
      // Nothing was written half (each change is one transaction): the client may try again.
      logger.warn({ err }, 'request failed: the database cannot be reached');
      res
        .status(503)
        .set('Retry-After', '5')
        .json({
          error: {
            code: 'unavailable',
            message: 'the service cannot reach its database; try again shortly',
          },
        });
      return;
    }
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

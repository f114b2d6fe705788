import express, { type Request, type Router } from 'express';
import { type Asset, loadAsset, widgetPath } from './assets';
import { demoPage } from './demo';

/** How long browsers and proxies may keep the widget before revalidating with its ETag. */
const WIDGET_MAX_AGE_S = 300;

/**
 * The base URL the browser used to reach us (`http://host:port`), for the demo page's script
 * tag. The Host header is client-supplied, so only a plain host[:port] is accepted.
 */
export function requestOrigin(req: Request): string {
  const host = req.get('host') ?? '';
  const safe = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host);
  const proto = req.protocol === 'https' ? 'https' : 'http';
  return `${proto}://${safe ? host : 'localhost'}`;
}

/**
 * Routes of the embeddable web chat widget, mounted at the root of the main app:
 * - `GET /widget.js` — the self-contained widget script (cached, with an ETag)
 * - `GET /` — a demo page of a mock government site embedding the widget
 *
 * @example app.use(widgetRoutes());
 */
export function widgetRoutes(): Router {
  const router = express.Router();
  let widget: Asset | null = null;

  router.get('/widget.js', (_req, res) => {
    widget ??= loadAsset(widgetPath());
    res.set({
      'Content-Type': 'application/javascript; charset=utf-8',
      'Cache-Control': `public, max-age=${WIDGET_MAX_AGE_S}, must-revalidate`,
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'X-Content-Type-Options': 'nosniff',
      ETag: widget.etag,
    });
    res.send(widget.body);
  });

  router.get('/', (req, res) => {
    res.set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    });
    res.send(demoPage(requestOrigin(req)));
  });
  return router;
}

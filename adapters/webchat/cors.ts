import type { RequestHandler } from 'express';
import { forbidden, sendError } from './errors';
import { originAllowed } from './origins';

const ALLOWED_HEADERS = 'Authorization, Content-Type, x-ms-bot-agent, X-Requested-With';

/**
 * CORS for the Direct Line routes: allowed origins (see originAllowed) get the CORS headers and
 * their preflight answered; other origins get no CORS headers, so a browser cannot read or send
 * (every route needs the Authorization header, which always needs a preflight). Their preflight
 * is refused with 403.
 */
export function directLineCors(allowed: readonly string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('origin');
    const ok = originAllowed(origin, req.get('host'), allowed);
    if (origin !== undefined) res.vary('Origin');
    if (origin !== undefined && ok) {
      res.set({
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Expose-Headers': 'Retry-After',
      });
    }
    if (req.method !== 'OPTIONS') return next();
    if (!ok) return sendError(res, forbidden('origin not allowed'));
    res.set({
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Allow-Headers': ALLOWED_HEADERS,
      'Access-Control-Max-Age': '600',
    });
    res.status(204).end();
  };
}

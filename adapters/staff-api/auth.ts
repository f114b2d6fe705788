import type { Request, RequestHandler, Response } from 'express';
import type { ApiKeyRecord, ApiKeys, ApiScope } from '../../src/apikeys/store';
import type { StaffIdentity } from '../../src/staff/identity';
import { StaffApiError } from './errors';

/** The realm named in `WWW-Authenticate` challenges. */
export const REALM = 'suara';

/** `Authorization: Bearer <token>` (RFC 6750 §2.1: the scheme is case-insensitive). */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * The staff identity of an API key: its id (`apikey:<key id>`, recorded as the actor in case
 * histories), its name and the agencies it works for. Pure.
 *
 * @example
 * keyIdentity({ id: 'a2b3c4d5e6', name: 'SIMPUPR', agencies: ['dinas-pupr'], … })
 * // { id: 'apikey:a2b3c4d5e6', name: 'SIMPUPR', agencyIds: ['dinas-pupr'] }
 */
export function keyIdentity(key: Pick<ApiKeyRecord, 'id' | 'name' | 'agencies'>): StaffIdentity {
  return { id: `apikey:${key.id}`, name: key.name, agencyIds: [...key.agencies] };
}

/** What an authenticated request carries (in `res.locals`). */
interface Authenticated {
  staff: StaffIdentity;
}

/** The identity {@link requireKey} authenticated for this request. */
export function staffOf(res: Response): StaffIdentity {
  const { staff } = res.locals as Partial<Authenticated>;
  if (!staff) throw new Error('staff API route without requireKey');
  return staff;
}

/** 401 with a Bearer challenge (RFC 6750 §3): no credentials, or credentials that do not work. */
function unauthorized(message: string, invalidToken: boolean): StaffApiError {
  const challenge = invalidToken
    ? `Bearer realm="${REALM}", error="invalid_token"`
    : `Bearer realm="${REALM}"`;
  return new StaffApiError(401, 'unauthorized', message, { 'WWW-Authenticate': challenge });
}

/**
 * Middleware that admits a request carrying a live staff API key with `scope`
 * (`Authorization: Bearer suara_…`), and records its identity for {@link staffOf}. Refusals:
 * 401 `unauthorized` with `WWW-Authenticate: Bearer` (no key, a malformed, unknown, revoked or
 * Open311 key), 403 `insufficient_scope` (a key without `scope`).
 *
 * @example
 * router.get('/cases', requireKey(keys, 'cases:read'), handler);
 */
export function requireKey(keys: Pick<ApiKeys, 'verify'>, scope: ApiScope): RequestHandler {
  return async (req: Request, res: Response, next) => {
    const header = req.get('authorization');
    if (header === undefined) throw unauthorized('an API key is required (Bearer)', false);
    const token = BEARER.exec(header)?.[1];
    if (!token) {
      throw unauthorized('the Authorization header must be "Bearer <API key>"', true);
    }
    const key = await keys.verify(token, 'staff');
    if (!key) throw unauthorized('this API key is not valid (unknown or revoked)', true);
    if (!key.scopes.includes(scope)) {
      throw new StaffApiError(403, 'insufficient_scope', `this API key lacks the scope ${scope}`, {
        'WWW-Authenticate': `Bearer realm="${REALM}", error="insufficient_scope", scope="${scope}"`,
      });
    }
    (res.locals as Authenticated).staff = keyIdentity(key);
    next();
  };
}

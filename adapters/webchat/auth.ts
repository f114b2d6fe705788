import type { Request } from 'express';
import { forbidden, unauthorized } from './errors';
import { sameSecret, type TokenClaims, type TokenSigner } from './tokens';

/** Who is calling: a site's back end with the Direct Line secret, or a conversation's token. */
export type Caller = { kind: 'secret' } | { kind: 'token'; token: string; claims: TokenClaims };

/** The bearer credential of a request, if any. */
export function bearer(req: Request): string | null {
  const header = req.get('authorization') ?? '';
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1] ?? null;
}

const PROBLEM_TEXT = {
  malformed: 'invalid token',
  signature: 'invalid token',
  kind: 'this token cannot be used here',
  expired: 'token expired',
} as const;

/**
 * Checks the `Authorization: Bearer …` header: the secret (when configured) or a valid,
 * unexpired conversation token. Throws 401 without credentials, 403 for bad or expired ones.
 */
export function authenticate(req: Request, tokens: TokenSigner, secret: string | null): Caller {
  const given = bearer(req);
  if (!given) throw unauthorized('missing Authorization: Bearer <token>');
  if (secret && sameSecret(given, secret)) return { kind: 'secret' };
  const r = tokens.verify(given, 'conversation');
  if (!r.ok) throw forbidden(PROBLEM_TEXT[r.problem]);
  return { kind: 'token', token: given, claims: r.claims };
}

/** Checks `Authorization: Bearer <resume token>` (401 without one, 403 for a bad or old one). */
export function authenticateResume(req: Request, tokens: TokenSigner): TokenClaims {
  const given = bearer(req);
  if (!given) throw unauthorized('missing Authorization: Bearer <resume token>');
  const r = tokens.verify(given, 'resume');
  if (!r.ok) throw forbidden(PROBLEM_TEXT[r.problem]);
  return r.claims;
}

/** A token opens its own conversation only (403 otherwise); the secret opens any. */
export function requireConversation(caller: Caller, conversationId: string): void {
  if (caller.kind === 'token' && caller.claims.conversationId !== conversationId) {
    throw forbidden('this token is for another conversation');
  }
}

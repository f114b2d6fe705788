import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { Config } from '../../src/config/env';
import type { KeyValueStore } from '../../src/store/channel-store';

/**
 * A conversation token authorises REST calls; a stream token only opens the WebSocket; a resume
 * token only buys a new conversation token for its conversation (`POST /tokens/resume`), for a
 * visitor who comes back after the conversation token expired.
 */
export type TokenKind = 'conversation' | 'stream' | 'resume';

const KIND_CODE = { conversation: 'c', stream: 's', resume: 'r' } as const;
const KIND_OF_CODE = { c: 'conversation', s: 'stream', r: 'resume' } as const;

/** How long a resume token lives: a visitor coming back within 30 days gets their conversation. */
export const RESUME_LIFETIME_MS = 30 * 24 * 3600_000;

/**
 * What a token says: which conversation it opens, and until when. It names no user: who writes
 * is the stored conversation's business (see `conversationUser`), so nothing readable in a token
 * (they travel in URLs: the stream's `?t=`) lets anyone pose as someone.
 */
export interface TokenClaims {
  kind: TokenKind;
  conversationId: string;
  /** Expiry, milliseconds since the epoch. */
  expiresAt: number;
}

/** Why a token was refused. */
export type TokenProblem = 'malformed' | 'signature' | 'expired' | 'kind';

const payloadSchema = z.object({
  v: z.literal(1),
  k: z.enum(['c', 's', 'r']),
  c: z.string().min(1).max(64),
  // Tokens issued before users left them carry `u` and `n`: still valid, those are not read.
  e: z.number().int().positive(),
});

/** Longer than any token we issue: refused before any work. */
const MAX_TOKEN_LENGTH = 1024;

/**
 * Issues and checks HMAC-SHA256 signed tokens `<base64url payload>.<base64url signature>`, bound
 * to one conversation, with an expiry read from the injected clock.
 *
 * @example
 * const tokens = new TokenSigner(key, () => new Date());
 * const { token } = tokens.issue({ conversationId: 'c1' });
 * tokens.verify(token, 'conversation'); // { ok: true, claims }
 */
export class TokenSigner {
  /** `key`: the signing key, or a function giving it (a key loaded once the service starts). */
  constructor(
    private readonly key: Uint8Array | (() => Uint8Array),
    private readonly clock: () => Date,
    /** How long a token lives (default 30 minutes). */
    readonly lifetimeMs = 30 * 60_000,
  ) {}

  /** A new token; `expiresIn` is its lifetime in whole seconds (Direct Line's `expires_in`). */
  issue(
    subject: { conversationId: string },
    kind: TokenKind = 'conversation',
    expiresAt = this.clock().getTime() + this.lifetimeMs,
  ): { token: string; expiresIn: number; expiresAt: number } {
    const payload: z.infer<typeof payloadSchema> = {
      v: 1,
      k: KIND_CODE[kind],
      c: subject.conversationId,
      e: expiresAt,
    };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return {
      token: `${body}.${this.sign(body).toString('base64url')}`,
      expiresIn: this.secondsLeft(expiresAt),
      expiresAt,
    };
  }

  /** Checks the signature (in constant time), the kind and the expiry. */
  verify(
    token: string,
    kind: TokenKind,
  ): { ok: true; claims: TokenClaims } | { ok: false; problem: TokenProblem } {
    if (token.length > MAX_TOKEN_LENGTH) return { ok: false, problem: 'malformed' };
    const parts = token.split('.');
    const [body, signature] = parts;
    if (parts.length !== 2 || !body || !signature) return { ok: false, problem: 'malformed' };
    // Compared as text, not decoded: base64url decoding is lenient (stray '=' or other low bits
    // in the last character give the same bytes), so only our exact encoding is accepted.
    const given = Buffer.from(signature, 'utf8');
    const expected = Buffer.from(this.sign(body).toString('base64url'), 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, problem: 'signature' };
    }
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, problem: 'malformed' };
    }
    const parsed = payloadSchema.safeParse(decoded);
    if (!parsed.success) return { ok: false, problem: 'malformed' };
    const p = parsed.data;
    if (KIND_OF_CODE[p.k] !== kind) return { ok: false, problem: 'kind' };
    if (p.e <= this.clock().getTime()) return { ok: false, problem: 'expired' };
    return { ok: true, claims: { kind, conversationId: p.c, expiresAt: p.e } };
  }

  /** Whole seconds from now until `expiresAt` (at least 0). */
  secondsLeft(expiresAt: number): number {
    return Math.max(0, Math.floor((expiresAt - this.clock().getTime()) / 1000));
  }

  private sign(body: string): Buffer {
    const key = typeof this.key === 'function' ? this.key() : this.key;
    return createHmac('sha256', key).update(body).digest();
  }
}

/**
 * Compares a presented secret with the configured one in constant time (both are hashed first,
 * so their lengths do not leak either).
 */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHmac('sha256', 'suara-secret-compare').update(given).digest();
  const b = createHmac('sha256', 'suara-secret-compare').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Where the web chat keeps its files: the SQLite database's directory, or (in-memory SQLite,
 * MongoDB) the directory of the NLU model file — `data/` by default.
 */
export function dataDirectory(config: Config): string {
  if (config.database.kind === 'sqlite' && config.database.path !== ':memory:') {
    return dirname(config.database.path);
  }
  return dirname(config.nluModelFile);
}

/** The token key file's name inside the data directory (where keys were kept before version 7). */
export const TOKEN_KEY_FILE = 'webchat-token.key';

/** The key's name in the web chat's channel store. */
const KEY_NAME = 'token-key';

/**
 * The key that signs tokens: `WEBCHAT_TOKEN_SECRET`, or else a random 32-byte key kept in the
 * web chat's channel store, so every instance on the database signs and checks with the same key
 * and tokens survive a restart. The first start after an upgrade takes over the key file an
 * earlier version created (`<data directory>/webchat-token.key`), so tokens already issued stay
 * valid. Throws when that file exists but does not hold a key.
 *
 * @example
 * const key = await loadTokenKey(config, backend.channelStore.scope('webchat'));
 */
export async function loadTokenKey(config: Config, data: KeyValueStore): Promise<Uint8Array> {
  if (config.webchat.tokenSecret) return Buffer.from(config.webchat.tokenSecret, 'utf8');
  const stored = await data.get(KEY_NAME);
  if (typeof stored === 'string' && HEX_KEY.test(stored)) return Buffer.from(stored, 'hex');
  const candidate = legacyKeyFile(config) ?? randomBytes(32).toString('hex');
  // Several instances starting at once: the first key stored wins, everyone reads it back.
  await data.putIfAbsent(KEY_NAME, candidate);
  const winner = await data.get(KEY_NAME);
  if (typeof winner !== 'string' || !HEX_KEY.test(winner)) {
    throw new Error('the web chat token key in the database is damaged');
  }
  return Buffer.from(winner, 'hex');
}

const HEX_KEY = /^[0-9a-f]{64}$/;

/** The key in the file of an earlier version, or null when there is none. */
function legacyKeyFile(config: Config): string | null {
  const file = join(dataDirectory(config), TOKEN_KEY_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return null;
    throw err;
  }
  if (!HEX_KEY.test(text)) {
    throw new Error(`${file}: expected 64 hex digits (delete the file to create a new key)`);
  }
  return text;
}

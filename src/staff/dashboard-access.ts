import { createHash, randomBytes } from 'node:crypto';
import type { KeyValueStore } from '../store/channel-store';

/** How long a sign-in link works (once). */
export const LINK_TTL_MS = 10 * 60_000;
/** How long a supervisor's session lasts. */
export const SESSION_TTL_MS = 8 * 3_600_000;
/** Where a sign-in link points (under the service's public URL), with `?t=<token>`. */
export const DASHBOARD_SIGN_IN_PATH = '/dashboard/masuk';
/** The key-value namespace of links and sessions. */
export const DASHBOARD_SCOPE = 'dashboard';

/** Who signed in and what they may see: their agencies, or every agency (`null`: triage). */
export interface DashboardSession {
  userId: string;
  name?: string;
  agencyIds: string[] | null;
  expiresAt: string;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const hash = (s: string) => createHash('sha256').update(s).digest('base64url');
const token = () => randomBytes(32).toString('base64url');

/**
 * Sign-in for the supervisor view without a password of ours: a staff channel (Slack's
 * `/suara dashboard`) hands a person a personal link, valid {@link LINK_TTL_MS} and once, that
 * opens a session of {@link SESSION_TTL_MS} scoped to the agencies of the channel it was asked in.
 * Links and sessions are kept hashed in the key-value store (any instance can check them; a
 * database dump holds nothing usable).
 *
 * @example
 * const access = new DashboardAccess(channelStore.scope(DASHBOARD_SCOPE), clock);
 * const link = await access.issueLink({ userId: 'U024BE7LH', agencyIds: ['dinas-pupr'] });
 * const session = await access.redeem(link); // { id, session } once; null after
 */
export class DashboardAccess {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly clock: () => Date,
  ) {}

  /** A new sign-in link token for a person and their agencies (`null`: every agency). */
  async issueLink(who: Omit<DashboardSession, 'expiresAt'>): Promise<string> {
    const t = token();
    const expiresAt = new Date(this.clock().getTime() + LINK_TTL_MS);
    await this.kv.put(
      `link:${hash(t)}`,
      { ...who, expiresAt: expiresAt.toISOString() },
      { expiresAt },
    );
    return t;
  }

  /** Whether a link token is one that can still be redeemed (it is not used up by asking). */
  async linkExists(linkToken: string): Promise<boolean> {
    return TOKEN.test(linkToken) && (await this.kv.get(`link:${hash(linkToken)}`)) !== null;
  }

  /**
   * Opens a session with a link token, or null when the token is malformed, unknown, expired or
   * used (the first redemption wins, on every instance). Returns the session id for the cookie.
   */
  async redeem(linkToken: string): Promise<{ id: string; session: DashboardSession } | null> {
    if (!TOKEN.test(linkToken)) return null;
    const key = `link:${hash(linkToken)}`;
    const link = (await this.kv.get(key)) as Omit<DashboardSession, 'expiresAt'> | null;
    if (!link) return null;
    const now = this.clock();
    const first = await this.kv.putIfAbsent(`used:${hash(linkToken)}`, true, {
      expiresAt: new Date(now.getTime() + LINK_TTL_MS),
    });
    await this.kv.delete(key);
    if (!first) return null;
    const id = token();
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    const session: DashboardSession = {
      userId: link.userId,
      ...(link.name ? { name: link.name } : {}),
      agencyIds: link.agencyIds,
      expiresAt: expiresAt.toISOString(),
    };
    await this.kv.put(`session:${hash(id)}`, session, { expiresAt });
    return { id, session };
  }

  /** The session of a cookie's id, or null (malformed, unknown, ended). */
  async session(id: string | undefined): Promise<DashboardSession | null> {
    if (!id || !TOKEN.test(id)) return null;
    return ((await this.kv.get(`session:${hash(id)}`)) as DashboardSession | null) ?? null;
  }

  /** Ends a session (sign out). */
  async end(id: string | undefined): Promise<void> {
    if (id && TOKEN.test(id)) await this.kv.delete(`session:${hash(id)}`);
  }
}

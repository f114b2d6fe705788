import type { WebchatRateConfig } from '../../src/config/env';
import type { RateDecision, RateLimit, RateLimitStore } from '../../src/store/rate-limit';

export type { RateLimit } from '../../src/store/rate-limit';

/** The web chat's limits (all configurable for tests and deployments). */
export interface WebchatLimits {
  /** Characters of text in one message. */
  maxTextChars: number;
  /** Bytes of a posted activity's JSON body (and of an upload's activity part). */
  maxBodyBytes: number;
  /** Bytes of the JSON body of token calls and conversation starts (`{"user": {"id", "name"}}`). */
  maxTokenBodyBytes: number;
  /** Bytes of one uploaded photo. */
  maxUploadBytes: number;
  /** Photos one conversation may upload in total. */
  maxUploadsPerConversation: number;
  /** Messages and uploads per conversation: most of the protection. */
  perConversation: RateLimit;
  /**
   * Token renewals (refresh, resume) and conversation starts per conversation (a page reloaded in
   * a loop, a stolen token used in a loop).
   */
  tokensPerConversation: RateLimit;
  /**
   * New conversations (`tokens/generate` without the secret, or with a wrong one) per client
   * address. Generous: many citizens share a mobile carrier's (CGNAT), an office's or a campus's
   * address, and all of them may open the chat in the same minute.
   */
  tokensPerIp: RateLimit;
  /** Messages and uploads per client address, over all its conversations (also generous). */
  messagesPerIp: RateLimit;
  /** WebSocket connections open at once per conversation. */
  maxSocketsPerConversation: number;
  /**
   * WebSocket connections open at once per client IP (generous: many citizens share a mobile
   * carrier's address; it stops one host from holding thousands of sockets).
   */
  maxSocketsPerIp: number;
}

/**
 * Defaults: 2,000 characters, 16 KB bodies, 5 MB photos; per conversation 20 messages and 10
 * token calls a minute; per address 300 new conversations and 1,200 messages a minute, and 1,000
 * open sockets.
 */
export const DEFAULT_LIMITS: WebchatLimits = {
  maxTextChars: 2000,
  maxBodyBytes: 16 * 1024,
  maxTokenBodyBytes: 4 * 1024,
  maxUploadBytes: 5 * 1024 * 1024,
  maxUploadsPerConversation: 20,
  perConversation: { burst: 20, perMs: 60_000 },
  tokensPerConversation: { burst: 10, perMs: 60_000 },
  tokensPerIp: { burst: 300, perMs: 60_000 },
  messagesPerIp: { burst: 1200, perMs: 60_000 },
  maxSocketsPerConversation: 8,
  maxSocketsPerIp: 1000,
};

/** The limits the environment sets (`WEBCHAT_*`), as per-minute buckets. */
export function limitsFromConfig(c: WebchatRateConfig): Partial<WebchatLimits> {
  const perMinute = (n: number): RateLimit => ({ burst: n, perMs: 60_000 });
  return {
    tokensPerIp: perMinute(c.newConversationsPerIpPerMin),
    messagesPerIp: perMinute(c.messagesPerIpPerMin),
    perConversation: perMinute(c.messagesPerConversationPerMin),
    maxSocketsPerIp: c.socketsPerIp,
  };
}

/** One rate limit of the web chat: takes a request of `key` (a conversation, an address). */
export type Rate = (key: string) => Promise<RateDecision>;

/** The rate limits of the Direct Line routes (see `WebchatLimits` for what each counts). */
export interface WebchatRates {
  tokensPerIp: Rate;
  tokensPerConversation: Rate;
  messagesPerIp: Rate;
  messagesPerConversation: Rate;
}

/**
 * The web chat's rate limits on the service's rate-limit store (shared by the instances that
 * share it).
 *
 * @example
 * const rates = webchatRates(backend.rateLimits, limits);
 * const r = await rates.messagesPerIp(addressKey(ip)); // { ok: false, retryAfterS: 3 } when spent
 */
export function webchatRates(store: RateLimitStore, limits: WebchatLimits): WebchatRates {
  const rate =
    (family: string, limit: RateLimit): Rate =>
    (key) =>
      store.take(family, key, limit);
  return {
    tokensPerIp: rate('webchat-tokens-per-ip', limits.tokensPerIp),
    tokensPerConversation: rate('webchat-tokens-per-conversation', limits.tokensPerConversation),
    messagesPerIp: rate('webchat-messages-per-ip', limits.messagesPerIp),
    messagesPerConversation: rate('webchat-messages-per-conversation', limits.perConversation),
  };
}

/** How many requests a key may make: a bucket of `burst` that refills over `perMs`. */
export interface RateLimit {
  /** Requests allowed at once (bucket size), refilled evenly over `perMs`. */
  burst: number;
  perMs: number;
}

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
  /** Messages and uploads per conversation. */
  perConversation: RateLimit;
  /** Token generation, refresh, conversation starts, messages and uploads per client IP. */
  perIp: RateLimit;
  /** WebSocket connections open at once per conversation. */
  maxSocketsPerConversation: number;
  /**
   * WebSocket connections open at once per client IP (generous: many citizens share a mobile
   * carrier's address; it stops one host from holding thousands of sockets).
   */
  maxSocketsPerIp: number;
}

/** Defaults: 2,000 characters, 16 KB bodies, 5 MB photos, 20 messages/min, 60 requests/min/IP. */
export const DEFAULT_LIMITS: WebchatLimits = {
  maxTextChars: 2000,
  maxBodyBytes: 16 * 1024,
  maxTokenBodyBytes: 4 * 1024,
  maxUploadBytes: 5 * 1024 * 1024,
  maxUploadsPerConversation: 20,
  perConversation: { burst: 20, perMs: 60_000 },
  perIp: { burst: 60, perMs: 60_000 },
  maxSocketsPerConversation: 8,
  maxSocketsPerIp: 200,
};

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * In-memory token buckets keyed by conversation or IP, on an injected clock. Holds at most
 * `maxKeys` buckets: full (idle) buckets are dropped first, then the oldest.
 *
 * @example
 * const perIp = new RateLimiter({ burst: 60, perMs: 60_000 }, clock);
 * const r = perIp.take(req.ip); // { ok: false, retryAfterS: 1 } when empty
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: () => Date,
    private readonly maxKeys = 50_000,
  ) {}

  /** Takes one request from the key's bucket, or says how long until one is available. */
  take(key: string): { ok: true } | { ok: false; retryAfterS: number } {
    const now = this.clock().getTime();
    const bucket = this.refilled(key, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.buckets.delete(key); // re-insert: Map order is least recently used first
      this.buckets.set(key, bucket);
      this.bound(now);
      return { ok: true };
    }
    const msPerToken = this.limit.perMs / this.limit.burst;
    return {
      ok: false,
      retryAfterS: Math.max(1, Math.ceil(((1 - bucket.tokens) * msPerToken) / 1000)),
    };
  }

  private refilled(key: string, now: number): Bucket {
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    const gained = ((now - bucket.at) * this.limit.burst) / this.limit.perMs;
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + Math.max(0, gained));
    bucket.at = now;
    return bucket;
  }

  private bound(now: number): void {
    if (this.buckets.size <= this.maxKeys) return;
    for (const [key] of this.buckets) {
      if (this.refilled(key, now).tokens >= this.limit.burst) this.buckets.delete(key);
    }
    // Still full of busy keys: drop the least recently used tenth at once, not one per call.
    const keep = Math.floor(this.maxKeys * 0.9);
    for (const [key] of this.buckets) {
      if (this.buckets.size <= keep) break;
      this.buckets.delete(key);
    }
  }
}

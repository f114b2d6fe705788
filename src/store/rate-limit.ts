import { isIPv6 } from 'node:net';
/** How many requests a key may make: a bucket of `burst` that refills over `perMs`. */
export interface RateLimit {
  /** Requests allowed at once (bucket size), refilled evenly over `perMs`. */
  burst: number;
  perMs: number;
}

/** The answer to one request for a token. */
export type RateDecision = { ok: true } | { ok: false; retryAfterS: number };

/**
 * Rate limits and concurrency caps that must hold across the service (per conversation, per
 * client address). In-process now; a shared implementation (the database) makes them hold across
 * instances.
 *
 * @example
 * const r = await limits.take('messages-per-ip', addressKey(ip), { burst: 1200, perMs: 60_000 });
 * const release = await limits.acquire('sockets-per-ip', addressKey(ip), 1000); // null: at the cap
 */
export interface RateLimitStore {
  /** Takes one token from the bucket `key` of the limit family `family`. */
  take(family: string, key: string, limit: RateLimit): Promise<RateDecision>;
  /**
   * Holds one of at most `max` concurrent places (open sockets…) under `key`. Returns the function
   * that gives it back, or null when all are taken.
   */
  acquire(family: string, key: string, max: number): Promise<(() => void) | null>;
}

/** The rate-limit store of one process: token buckets and counters in memory. */
export class InProcessRateLimits implements RateLimitStore {
  private readonly buckets = new Map<string, RateLimiter>();
  private readonly held = new Map<string, number>();

  constructor(private readonly clock: () => Date) {}

  async take(family: string, key: string, limit: RateLimit): Promise<RateDecision> {
    const id = `${family}\u0000${limit.burst}/${limit.perMs}`;
    let limiter = this.buckets.get(id);
    if (!limiter) {
      limiter = new RateLimiter(limit, this.clock);
      this.buckets.set(id, limiter);
    }
    return limiter.take(key);
  }

  async acquire(family: string, key: string, max: number): Promise<(() => void) | null> {
    const id = `${family}\u0000${key}`;
    const n = this.held.get(id) ?? 0;
    if (n >= max) return null;
    this.held.set(id, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(id) ?? 1) - 1;
      if (left <= 0) this.held.delete(id);
      else this.held.set(id, left);
    };
  }
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * In-memory token buckets keyed by conversation or client address, on an injected clock. Holds at most
 * `maxKeys` buckets: full (idle) buckets are dropped first, then the oldest.
 *
 * @example
 * const perIp = new RateLimiter({ burst: 300, perMs: 60_000 }, clock);
 * const r = perIp.take(addressKey(req.ip)); // { ok: false, retryAfterS: 1 } when empty
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

/**
 * The key of a client address for per-address limits: an IPv4 address (also when written as
 * IPv4-mapped IPv6), or the /64 network of an IPv6 address — one subscriber gets a whole /64, so
 * counting single IPv6 addresses would let one host take 2^64 budgets.
 *
 * @example
 * addressKey('::ffff:10.1.2.3'); // '10.1.2.3'
 * addressKey('2001:db8:1:2:aaaa::1'); // '2001:db8:1:2::/64'
 */
export function addressKey(ip: string): string {
  const address = ip.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head = '', tail] = address.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const width = (gs: string[]) => gs.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const before = groups(head);
  const after = groups(tail);
  const zeros = tail === undefined ? 0 : 8 - width(before) - width(after);
  const all = [...before, ...Array<string>(zeros).fill('0'), ...after];
  const prefix = all.slice(0, 4).map((g) => Number.parseInt(g, 16).toString(16));
  return `${prefix.join(':')}::/64`;
}

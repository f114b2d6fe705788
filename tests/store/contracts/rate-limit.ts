import type { RateLimitStore } from '../../../src/store/rate-limit';

/** The rate-limit store contract: in-process now, a shared one (PostgreSQL) later. */
export function runRateLimitContract(
  name: string,
  factory: (clock: { now: Date }) => Promise<RateLimitStore>,
): void {
  describe(`rate-limit store contract: ${name}`, () => {
    test('token buckets per family and key refill over time', async () => {
      const time = { now: new Date('2026-11-27T02:00:00.000Z') };
      const limits = await factory(time);
      const rule = { burst: 2, perMs: 60_000 };
      expect(await limits.take('messages', 'ip-1', rule)).toEqual({ ok: true });
      expect(await limits.take('messages', 'ip-1', rule)).toEqual({ ok: true });
      expect(await limits.take('messages', 'ip-1', rule)).toEqual({ ok: false, retryAfterS: 30 });
      // Another key, and the same key in another family, have their own buckets.
      expect(await limits.take('messages', 'ip-2', rule)).toEqual({ ok: true });
      expect(await limits.take('tokens', 'ip-1', rule)).toEqual({ ok: true });
      time.now = new Date(time.now.getTime() + 30_000);
      expect(await limits.take('messages', 'ip-1', rule)).toEqual({ ok: true });
    });

    test('acquire holds at most max places per key; a release frees one, once', async () => {
      const limits = await factory({ now: new Date('2026-11-27T02:00:00.000Z') });
      const first = await limits.acquire('sockets', 'conv-1', 2);
      const second = await limits.acquire('sockets', 'conv-1', 2);
      expect(first && second).toBeTruthy();
      expect(await limits.acquire('sockets', 'conv-1', 2)).toBeNull();
      expect(await limits.acquire('sockets', 'conv-2', 2)).not.toBeNull();
      first?.();
      first?.(); // a second release does not free another place
      expect(await limits.acquire('sockets', 'conv-1', 2)).not.toBeNull();
      expect(await limits.acquire('sockets', 'conv-1', 2)).toBeNull();
    });
  });
}

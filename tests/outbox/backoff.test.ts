import { type BackoffPolicy, retryDelayMs } from '../../src/outbox/backoff';

const policy: BackoffPolicy = { baseDelayMs: 1000, maxDelayMs: 10_000 };

describe('retryDelayMs', () => {
  test.each([
    // attempts, random, expected: exp = min(10000, 1000·2^(attempts−1)); delay = exp/2 + exp/2·random
    [1, 0, 500],
    [1, 0.999999, 1000],
    [2, 0, 1000],
    [3, 0.5, 3000],
    [4, 1, 8000],
    [5, 0, 5000], // 16000 capped to 10000
    [9, 0.5, 7500],
  ])('after %i failed attempt(s), random %d → %i ms', (attempts, random, expected) => {
    expect(retryDelayMs(policy, attempts, () => random, undefined)).toBe(expected);
  });

  test('the channel’s retry-after is used as it is', () => {
    expect(retryDelayMs(policy, 1, () => 0.5, 30_000)).toBe(30_000);
    expect(retryDelayMs(policy, 6, () => 0.5, 2_000)).toBe(2_000);
  });

  test('jitter spreads retries of a burst', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const delays = new Set(Array.from({ length: 20 }, () => retryDelayMs(policy, 3, random)));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(2000);
      expect(d).toBeLessThanOrEqual(4000);
    }
  });
});

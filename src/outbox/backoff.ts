/** Retry timing for outbox deliveries. */
export interface BackoffPolicy {
  /** Delay before the second attempt, in ms. */
  baseDelayMs: number;
  /** Cap for the exponential delay, in ms. */
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseDelayMs: 2_000,
  maxDelayMs: 15 * 60_000,
};

/**
 * Delay before the next attempt after `attempts` failed ones: exponential (base · 2^(attempts−1),
 * capped) with "equal jitter" (half fixed, half random), so a burst of failures does not retry in
 * lock-step. When the channel said how long to wait (retry-after), that wait is used as it is.
 *
 * @example
 * retryDelayMs(DEFAULT_BACKOFF, 3, () => 0.5) // 6000 (8 s · (0.5 + 0.5·0.5))
 */
export function retryDelayMs(
  policy: BackoffPolicy,
  attempts: number,
  random: () => number,
  retryAfterMs?: number,
): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  const jittered = Math.round(exp / 2 + (exp / 2) * random());
  return retryAfterMs !== undefined ? Math.max(retryAfterMs, 0) : jittered;
}

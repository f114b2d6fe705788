import { randomUUID } from 'node:crypto';
import type { KeyValueStore } from './channel-store';

/** A lock taken with {@link KeyLocks.take}: held until released, or until its lease runs out. */
export interface KeyLock {
  /**
   * Extends the lease when a third of it has passed (cheap to call often). False when the lock
   * was lost meanwhile (its lease ran out and another holder took it): stop working under it.
   */
  renew(): Promise<boolean>;
  /** Gives the lock up (if still ours). */
  release(): Promise<void>;
}

/** Exclusive, leased locks by key, shared by every instance that uses the same store. */
export interface KeyLocks {
  /** How long a lock lasts without renewal: a holder that died blocks its key this long at most. */
  readonly leaseMs: number;
  /** Takes the lock of `key`, or returns null at once when someone holds it. */
  take(key: string): Promise<KeyLock | null>;
}

/**
 * {@link KeyLocks} kept in a key-value space (the channel store: one row per held lock, with its
 * lease as the entry's expiry). The value is a token of this holder, so a holder whose lease ran
 * out never renews or deletes the lock of the one that took it over.
 *
 * @example
 * const locks = keyValueLocks(channelStore.scope('telegram'), clock, 'instance-a', 30_000);
 * const lock = await locks.take('turn:42');
 * if (lock) try { await work(); await lock.renew(); } finally { await lock.release(); }
 */
export function keyValueLocks(
  kv: KeyValueStore,
  clock: () => Date,
  owner: string,
  leaseMs: number,
): KeyLocks {
  return {
    leaseMs,
    async take(key) {
      const token = `${owner}/${randomUUID()}`;
      let until = clock().getTime() + leaseMs;
      if (!(await kv.putIfAbsent(key, token, { expiresAt: new Date(until) }))) return null;
      return {
        async renew() {
          const now = clock().getTime();
          if (now < until - (2 * leaseMs) / 3) return true;
          if ((await kv.get(key)) !== token) return false;
          until = now + leaseMs;
          await kv.put(key, token, { expiresAt: new Date(until) });
          return true;
        },
        async release() {
          // Well inside our lease nobody else can hold it: one delete. Near or past its end,
          // delete only if it is still ours.
          if (clock().getTime() < until - 1000 || (await kv.get(key)) === token) {
            await kv.delete(key);
          }
        },
      };
    },
  };
}

/**
 * A small durable key-value space that belongs to one channel adapter (its namespace): data the
 * adapter must find again on any instance and after a restart, such as long button values
 * (Telegram), request ids already handled and the message showing each case (Slack). Values are
 * JSON. An entry with `expiresAt` is gone after that instant.
 *
 * @example
 * const kv = channelStore.scope('telegram');
 * await kv.put('callback:#abc', 'category:roads_drainage');
 * await kv.get('callback:#abc'); // 'category:roads_drainage'
 */
export interface KeyValueStore {
  /** The value, or null when absent or expired. */
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown, options?: { expiresAt?: Date }): Promise<void>;
  /**
   * Stores the value only when the key is absent (or expired). Returns whether it stored: the
   * first of several concurrent callers wins, on every instance.
   */
  putIfAbsent(key: string, value: unknown, options?: { expiresAt?: Date }): Promise<boolean>;
  delete(key: string): Promise<void>;
}

/** Every adapter's key-value space; each adapter is handed its own with {@link ChannelStore.scope}. */
export interface ChannelStore {
  /** The space of one namespace (an adapter's name). */
  scope(namespace: string): KeyValueStore;
  /** Removes entries that expired before `now`. Returns how many. */
  purgeExpired(now: Date): Promise<number>;
}

/**
 * A key-value space whose expiry is checked against an injected clock.
 * @internal helper for implementations.
 */
export function isExpired(expiresAt: number | null, now: Date): boolean {
  return expiresAt !== null && expiresAt <= now.getTime();
}

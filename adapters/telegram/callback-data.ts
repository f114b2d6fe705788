import { createHash } from 'node:crypto';
import type { KeyValueStore } from '../../src/store/channel-store';

/** Telegram refuses inline buttons whose callback data is longer than this (UTF-8 bytes). */
export const MAX_CALLBACK_BYTES = 64;

/** Key prefix of long choice values in the Telegram adapter's channel store. */
const KEY_SPACE = 'callback:';
const KEY_PREFIX = '#';

/**
 * The callback data for a choice value: the value itself when it fits in 64 bytes, else a short
 * key (`#` + 22 characters of its SHA-256) that {@link CallbackData.remember} stores.
 *
 * @example
 * callbackDataFor('category:roads_drainage') // 'category:roads_drainage'
 * callbackDataFor('x'.repeat(100))           // '#…' (23 characters)
 */
export function callbackDataFor(value: string): string {
  if (Buffer.byteLength(value, 'utf8') <= MAX_CALLBACK_BYTES && !value.startsWith(KEY_PREFIX)) {
    return value;
  }
  return KEY_PREFIX + createHash('sha256').update(value).digest('base64url').slice(0, 22);
}

/**
 * Long choice values, kept in the store (so any instance, and a restart, can resolve a button
 * pressed later). Values that fit are never stored.
 */
export class CallbackData {
  /** `data`: the Telegram adapter's key-value space (`channelStore.scope('telegram')`). */
  constructor(private readonly data: KeyValueStore) {}

  /** Stores the values whose callback data is a key. Call before sending their buttons. */
  async remember(values: string[]): Promise<void> {
    for (const value of new Set(values)) {
      const data = callbackDataFor(value);
      if (data === value) continue;
      await this.data.put(KEY_SPACE + data, value);
    }
  }

  /** The choice value behind callback data; `null` for a key that is no longer known. */
  async resolve(data: string): Promise<string | null> {
    if (!data.startsWith(KEY_PREFIX)) return data;
    const value = await this.data.get(KEY_SPACE + data);
    return typeof value === 'string' ? value : null;
  }
}

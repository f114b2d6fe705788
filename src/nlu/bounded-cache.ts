/**
 * A memo with bounded memory and least-recently-used-ish eviction: two generations of at most
 * `capacity` entries each. New entries go to the young generation; when it is full it becomes
 * the old one and the previous old one is dropped. A hit in the old generation is copied to the
 * young one, so words in steady use survive every turnover while a burst of one-off words (a
 * long pasted text) evicts only what was not used since the last turnover. At most
 * `2 × capacity` entries are held; look-ups cost one or two `Map` probes.
 *
 * @example
 * const cache = new BoundedCache<string, string>(50_000);
 * cache.get('jalan') ?? cache.set('jalan', stem('jalan'));
 */
export class BoundedCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new Error('cache capacity must be at least 1');
  }

  /** Entries held (both generations; a promoted key counts twice). */
  get size(): number {
    return this.young.size + this.old.size;
  }

  /** The value for `key`, or undefined (a hit in the old generation moves it to the young). */
  get(key: K): V | undefined {
    const v = this.young.get(key);
    if (v !== undefined) return v;
    const o = this.old.get(key);
    if (o !== undefined) this.set(key, o);
    return o;
  }

  /** Stores `value` for `key` and returns it. */
  set(key: K, value: V): V {
    this.young.set(key, value);
    if (this.young.size >= this.capacity) {
      this.old = this.young;
      this.young = new Map();
    }
    return value;
  }

  /** Forgets everything. */
  clear(): void {
    this.young.clear();
    this.old.clear();
  }
}

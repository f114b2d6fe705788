import type { Backend } from '../../../src/store/backend';

/** The channel store contract (adapters' key-value spaces): every backend runs this same suite. */
export function runChannelStoreContract(
  name: string,
  factory: (clock: () => Date) => Promise<Backend>,
): void {
  describe(`channel store contract: ${name}`, () => {
    let backend: Backend;
    let now = new Date('2026-11-27T02:00:00.000Z');
    beforeEach(async () => {
      now = new Date('2026-11-27T02:00:00.000Z');
      backend = await factory(() => now);
    });
    afterEach(async () => {
      await backend.close();
    });

    test('values are JSON, per namespace; put overwrites, delete removes', async () => {
      const telegram = backend.channelStore.scope('telegram');
      const slack = backend.channelStore.scope('slack');
      expect(await telegram.get('k')).toBeNull();
      await telegram.put('k', { channel: 'C1', ts: '1.2', n: [1, 2] });
      expect(await telegram.get('k')).toEqual({ channel: 'C1', ts: '1.2', n: [1, 2] });
      expect(await slack.get('k')).toBeNull();
      await telegram.put('k', 'second');
      expect(await telegram.get('k')).toBe('second');
      await telegram.delete('k');
      expect(await telegram.get('k')).toBeNull();
    });

    test('putIfAbsent stores once; an expired entry counts as absent', async () => {
      const kv = backend.channelStore.scope('slack');
      const expiresAt = new Date(now.getTime() + 1000);
      expect(await kv.putIfAbsent('request:1', true, { expiresAt })).toBe(true);
      expect(await kv.putIfAbsent('request:1', true, { expiresAt })).toBe(false);
      expect(await kv.get('request:1')).toBe(true);
      now = new Date(now.getTime() + 1000);
      expect(await kv.get('request:1')).toBeNull();
      expect(
        await kv.putIfAbsent('request:1', 'again', { expiresAt: new Date(now.getTime() + 1000) }),
      ).toBe(true);
      expect(await kv.get('request:1')).toBe('again');
      // An entry without expiry never counts as absent.
      await kv.put('forever', 1);
      expect(await kv.putIfAbsent('forever', 2)).toBe(false);
      expect(await kv.get('forever')).toBe(1);
    });

    test('concurrent putIfAbsent: exactly one caller wins', async () => {
      const kv = backend.channelStore.scope('slack');
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => kv.putIfAbsent('request:race', i)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    test('purgeExpired removes only what expired', async () => {
      const kv = backend.channelStore.scope('slack');
      await kv.put('old', 1, { expiresAt: new Date(now.getTime() - 1) });
      await kv.put('later', 2, { expiresAt: new Date(now.getTime() + 60_000) });
      await kv.put('kept', 3);
      expect(await backend.channelStore.purgeExpired(now)).toBe(1);
      expect(await kv.get('later')).toBe(2);
      expect(await kv.get('kept')).toBe(3);
    });
  });
}

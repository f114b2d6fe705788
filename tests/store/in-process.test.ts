import { ConversationHub } from '../../adapters/webchat/hub';
import { InProcessPubSub } from '../../src/store/pubsub';
import { InProcessRateLimits } from '../../src/store/rate-limit';
import { manualClock } from '../support/fixtures';

describe('in-process pub/sub', () => {
  test('a message reaches every subscriber of its topic only, until unsubscribed', async () => {
    const bus = new InProcessPubSub();
    const got: string[] = [];
    const offA = bus.subscribe('t1', (m) => got.push(`a:${String(m)}`));
    bus.subscribe('t1', (m) => got.push(`b:${String(m)}`));
    bus.subscribe('t2', (m) => got.push(`c:${String(m)}`));
    await bus.publish('t1', 'x');
    expect(got).toEqual(['a:x', 'b:x']);
    expect(bus.localSubscribers('t1')).toBe(2);
    offA();
    offA(); // twice is harmless
    await bus.publish('t1', 'y');
    expect(got).toEqual(['a:x', 'b:x', 'b:y']);
    expect(bus.localSubscribers('t1')).toBe(1);
    expect(bus.localSubscribers('none')).toBe(0);
  });

  test('the web chat hub on one bus: a poke or typing from one side reaches the other', async () => {
    const bus = new InProcessPubSub();
    // Two hubs (as two instances would have) on one bus.
    const writer = new ConversationHub(bus);
    const reader = new ConversationHub(bus);
    const seen: string[] = [];
    const off = reader.subscribe('conv-1', {
      poke: () => seen.push('poke'),
      ephemeral: (a) => seen.push(`typing:${String(a.type)}`),
    });
    reader.subscribe('conv-2', { poke: () => seen.push('other'), ephemeral: () => {} });
    writer.poke('conv-1');
    writer.ephemeral('conv-1', { type: 'typing' });
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(['poke', 'typing:typing']);
    off();
    writer.poke('conv-1');
    await new Promise((r) => setImmediate(r));
    expect(seen).toHaveLength(2);
  });
});

describe('in-process rate limits', () => {
  test('token buckets per family and key refill over time', async () => {
    const clock = manualClock();
    const limits = new InProcessRateLimits(clock);
    const rule = { burst: 2, perMs: 60_000 };
    expect(await limits.take('messages', 'ip-1', rule)).toEqual({ ok: true });
    expect(await limits.take('messages', 'ip-1', rule)).toEqual({ ok: true });
    expect(await limits.take('messages', 'ip-1', rule)).toEqual({ ok: false, retryAfterS: 30 });
    // Another key, and the same key in another family, have their own buckets.
    expect(await limits.take('messages', 'ip-2', rule)).toEqual({ ok: true });
    expect(await limits.take('tokens', 'ip-1', rule)).toEqual({ ok: true });
    clock.advance(30_000);
    expect(await limits.take('messages', 'ip-1', rule)).toEqual({ ok: true });
  });

  test('acquire holds at most max places per key; a release frees one, once', async () => {
    const limits = new InProcessRateLimits(manualClock());
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

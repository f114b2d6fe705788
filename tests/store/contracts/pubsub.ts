import { ConversationHub } from '../../../adapters/webchat/hub';
import type { PubSub } from '../../../src/store/pubsub';

/** The pub/sub contract: the in-process bus, and a shared one (PostgreSQL) later. */
export function runPubSubContract(name: string, factory: () => Promise<PubSub>): void {
  describe(`pub/sub contract: ${name}`, () => {
    /** Resolves once `check` holds (a shared bus delivers a moment later), bounded. */
    async function eventually(check: () => boolean): Promise<void> {
      for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
      expect(check()).toBe(true);
    }

    test('a message reaches every subscriber of its topic only, until unsubscribed', async () => {
      const bus = await factory();
      const got: string[] = [];
      const offA = bus.subscribe('t1', (m) => got.push(`a:${String(m)}`));
      bus.subscribe('t1', (m) => got.push(`b:${String(m)}`));
      bus.subscribe('t2', (m) => got.push(`c:${String(m)}`));
      await bus.publish('t1', 'x');
      await eventually(() => got.length === 2);
      expect(got.sort()).toEqual(['a:x', 'b:x']);
      offA();
      offA(); // twice is harmless
      await bus.publish('t1', 'y');
      await eventually(() => got.length === 3);
      expect(got).toContain('b:y');
      expect(got).not.toContain('a:y');
    });

    test('the web chat hub on the bus: a poke or typing from one hub reaches another', async () => {
      const bus = await factory();
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
      await eventually(() => seen.length === 2);
      expect(seen).toEqual(['poke', 'typing:typing']);
      off();
      writer.poke('conv-1');
      await new Promise((r) => setTimeout(r, 20));
      expect(seen).toHaveLength(2);
    });
  });
}

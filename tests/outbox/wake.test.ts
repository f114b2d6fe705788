import { silentLogger } from '../../src/logger';
import { OutboxDispatcher } from '../../src/outbox/dispatcher';
import { SqliteBackend } from '../../src/store/sqlite/backend';

describe('outbox wakes', () => {
  test('messages queued and woken at many moments are all sent without waiting for the poll', async () => {
    const backend = SqliteBackend.open({ path: ':memory:' });
    const sent: string[] = [];
    const dispatcher = new OutboxDispatcher({
      outbox: backend.outbox,
      clock: () => new Date(),
      logger: silentLogger,
      // A poll an hour away: only wakes can deliver within the test.
      pollIntervalMs: 3_600_000,
    });
    dispatcher.register('telegram', {
      async send(message) {
        sent.push(message.idempotencyKey);
        return { status: 'sent' };
      },
    });
    dispatcher.start();
    // Wakes land at every point of the dispatcher's own cycle: before, during and right after
    // its leasing, from many turns of the event loop.
    const total = 300;
    await Promise.all(
      Array.from({ length: total }, async (_, i) => {
        for (let hop = 0; hop < i % 7; hop++) await new Promise((r) => setImmediate(r));
        await backend.outbox.enqueue(
          [{ idempotencyKey: `m${i}`, channel: 'telegram', recipient: `r${i}`, payload: {} }],
          new Date(),
        );
        dispatcher.wake('telegram');
      }),
    );
    for (let i = 0; i < 400 && sent.length < total; i++) await new Promise((r) => setTimeout(r, 5));
    expect(sent).toHaveLength(total);
    await dispatcher.stop();
    await backend.close();
  });
});

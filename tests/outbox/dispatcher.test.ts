import { type Logger, silentLogger } from '../../src/logger';
import { OutboxDispatcher } from '../../src/outbox/dispatcher';
import type { OutboxMessage } from '../../src/outbox/port';
import type { OutboxSender, SendResult } from '../../src/outbox/sender';
import { SqliteBackend } from '../../src/store/sqlite/backend';
import { manualClock } from '../support/fixtures';

/** A sender that answers from a script (then `sent`), recording every attempt. */
function scriptedSender(script: SendResult[] = []): OutboxSender & { calls: OutboxMessage[] } {
  const calls: OutboxMessage[] = [];
  return {
    calls,
    async send(message) {
      calls.push(message);
      return script.shift() ?? { status: 'sent' };
    },
  };
}

const policy = { baseDelayMs: 1000, maxDelayMs: 60_000 };
/** The time budget of a message in these tests. */
const BUDGET_MS = 10 * 60_000;

async function setup(logger: Logger = silentLogger, options: { sendTimeoutMs?: number } = {}) {
  const backend = SqliteBackend.open({ path: ':memory:' });
  const clock = manualClock();
  const dispatcher = new OutboxDispatcher({
    outbox: backend.outbox,
    clock,
    logger,
    random: () => 0.5,
    backoff: policy,
    sendTimeoutMs: options.sendTimeoutMs ?? 10_000,
    abortGraceMs: 200,
    giveUpAfterMs: BUDGET_MS,
    maxUncertain: 1,
  });
  const enqueue = (key: string, channel = 'telegram', recipient = '1001') =>
    backend.outbox.enqueue(
      [{ idempotencyKey: key, channel, recipient, payload: { text: key } }],
      clock(),
    );
  return { backend, clock, dispatcher, enqueue };
}

describe('OutboxDispatcher', () => {
  test('delivers a due message once', async () => {
    const { backend, dispatcher, enqueue } = await setup();
    const sender = scriptedSender();
    dispatcher.register('telegram', sender);
    await enqueue('m1');
    expect(await dispatcher.runOnce()).toEqual({
      sent: 1,
      retried: 0,
      dead: 0,
      undeliverable: 0,
      lostLeases: 0,
    });
    expect(await dispatcher.runOnce()).toEqual({
      sent: 0,
      retried: 0,
      dead: 0,
      undeliverable: 0,
      lostLeases: 0,
    });
    expect(sender.calls.map((m) => m.payload)).toEqual([{ text: 'm1' }]);
    expect((await backend.outbox.list())[0]).toMatchObject({ status: 'sent', attempts: 1 });
  });

  test('messages leased in the commit that queued them are sent at once, with no claim', async () => {
    const { backend, dispatcher, clock } = await setup();
    const sender = scriptedSender();
    dispatcher.register('telegram', sender);
    // Not started: only the lease in the commit can deliver it.
    expect(dispatcher.leaseFor('webchat')).toBeUndefined(); // no sender for it
    dispatcher.start();
    const lease = dispatcher.leaseFor('telegram');
    expect(lease).toBeDefined();
    await dispatcher.stop();
    expect(dispatcher.leaseFor('telegram')).toBeUndefined(); // stopped
    dispatcher.start();
    // Every message a claim hands out, to show this one never needed one.
    const claimed: string[] = [];
    const claim = backend.outbox.claim.bind(backend.outbox);
    jest.spyOn(backend.outbox, 'claim').mockImplementation(async (o) => {
      const got = await claim(o);
      claimed.push(...got.map((m) => m.idempotencyKey));
      return got;
    });
    await backend.commit({
      now: clock(),
      outbox: [
        {
          idempotencyKey: 'turn-1',
          channel: 'telegram',
          recipient: '1001',
          payload: { text: 'hi' },
        },
      ],
      lease: dispatcher.leaseFor('telegram'),
    });
    for (let i = 0; i < 100 && sender.calls.length === 0; i++)
      await new Promise((r) => setTimeout(r, 5));
    expect(sender.calls.map((m) => m.payload)).toEqual([{ text: 'hi' }]);
    await dispatcher.stop();
    expect((await backend.outbox.list())[0]).toMatchObject({ status: 'sent', attempts: 1 });
    expect(claimed).toEqual([]);
  });

  test('a message queued while every slot was busy is sent before later ones, which wait their turn', async () => {
    const backend = SqliteBackend.open({ path: ':memory:' });
    const dispatcher = new OutboxDispatcher({
      outbox: backend.outbox,
      clock: () => new Date(),
      logger: silentLogger,
      maxInFlightPerChannel: 1,
      pollIntervalMs: 3_600_000, // only wakes deliver within the test
    });
    const sent: string[] = [];
    let release: () => void = () => {};
    dispatcher.register('telegram', {
      async send(message) {
        sent.push(message.idempotencyKey);
        // The first send holds its slot until released.
        if (message.idempotencyKey === 'a') await new Promise<void>((r) => (release = r));
        return { status: 'sent' };
      },
    });
    dispatcher.start();
    const commit = async (key: string) => {
      const lease = dispatcher.leaseFor('telegram');
      await backend.commit({
        outbox: [{ idempotencyKey: key, channel: 'telegram', recipient: key, payload: {} }],
        ...(lease ? { lease } : {}),
      });
      // As the core does when its commit could not lease its messages.
      if (!lease) dispatcher.wake('telegram');
      return lease !== undefined;
    };
    expect(await commit('a')).toBe(true); // leased in its commit, held
    expect(await commit('b')).toBe(false); // no slot: queued
    release();
    // The slot is free again, but `b` waits in the outbox: `c` may not overtake it.
    expect(await commit('c')).toBe(false);
    for (let i = 0; i < 200 && sent.length < 3; i++) await new Promise((r) => setTimeout(r, 5));
    expect(sent).toEqual(['a', 'b', 'c']);
    // Once the queue is drained, commits lease their messages again.
    expect(await commit('d')).toBe(true);
    await dispatcher.stop();
    await backend.close();
  });

  test('the same event queued twice is delivered once (idempotency key)', async () => {
    const { dispatcher, enqueue } = await setup();
    const sender = scriptedSender();
    dispatcher.register('telegram', sender);
    await enqueue('case:ADU-7K3M9Q#2');
    await enqueue('case:ADU-7K3M9Q#2');
    await dispatcher.runOnce();
    await dispatcher.runOnce();
    expect(sender.calls).toHaveLength(1);
  });

  test('a sender failing twice is retried with exponential backoff and jitter, then succeeds', async () => {
    const { backend, clock, dispatcher, enqueue } = await setup();
    const sender = scriptedSender([
      { status: 'retry', error: 'HTTP 500' },
      { status: 'retry', error: 'ECONNRESET' },
    ]);
    dispatcher.register('telegram', sender);
    await enqueue('m1');
    const start = clock().getTime();

    expect((await dispatcher.runOnce()).retried).toBe(1);
    // after 1 failed attempt: exp 1000, jitter 0.5 → 750 ms
    let m = (await backend.outbox.list())[0];
    expect(m).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 500' });
    expect(new Date(m?.nextAttemptAt as string).getTime() - start).toBe(750);

    clock.advance(749);
    expect((await dispatcher.runOnce()).retried).toBe(0); // not due yet
    clock.advance(1);
    expect((await dispatcher.runOnce()).retried).toBe(1);
    // after 2 failed attempts: exp 2000 → 1500 ms
    m = (await backend.outbox.list())[0];
    expect(new Date(m?.nextAttemptAt as string).getTime() - clock().getTime()).toBe(1500);

    clock.advance(1500);
    expect((await dispatcher.runOnce()).sent).toBe(1);
    expect(sender.calls).toHaveLength(3);
    expect((await backend.outbox.list())[0]).toMatchObject({ status: 'sent', attempts: 3 });
  });

  test('a thrown error counts as a temporary failure', async () => {
    const { backend, dispatcher, enqueue } = await setup();
    dispatcher.register('telegram', {
      async send() {
        throw new Error('socket hang up');
      },
    });
    await enqueue('m1');
    expect((await dispatcher.runOnce()).retried).toBe(1);
    expect((await backend.outbox.list())[0]).toMatchObject({
      status: 'pending',
      lastError: 'socket hang up',
    });
  });

  test('honours the sender’s retry-after', async () => {
    const { backend, clock, dispatcher, enqueue } = await setup();
    dispatcher.register(
      'telegram',
      scriptedSender([{ status: 'retry', error: '429', retryAfterMs: 37_000 }]),
    );
    await enqueue('m1');
    await dispatcher.runOnce();
    const m = (await backend.outbox.list())[0];
    expect(new Date(m?.nextAttemptAt as string).getTime() - clock().getTime()).toBe(37_000);
    clock.advance(36_999);
    expect((await dispatcher.runOnce()).sent).toBe(0);
    clock.advance(1);
    expect((await dispatcher.runOnce()).sent).toBe(1);
  });

  test('failures are retried until the time budget is spent, then dead-lettered, logged and queryable', async () => {
    const errors: object[] = [];
    const { backend, clock, dispatcher, enqueue } = await setup({
      ...silentLogger,
      error: (obj) => errors.push(obj),
    });
    const always = scriptedSender(
      Array.from({ length: 100 }, () => ({ status: 'retry' as const, error: 'HTTP 503' })),
    );
    dispatcher.register('telegram', always);
    await enqueue('m1');
    for (let i = 0; i < 30; i++) {
      await dispatcher.runOnce();
      clock.advance(60_000);
    }
    // Backoff 750 ms, 1.5 s, 3 s… capped at 60 s (45 s with this jitter): the 10-minute budget
    // allows a dozen attempts; the next retry would end past it, so the message is dead.
    const dead = await backend.outbox.list({ status: 'dead' });
    expect(dead).toHaveLength(1);
    expect(always.calls.length).toBeGreaterThan(8);
    expect(always.calls.length).toBeLessThan(16);
    expect(dead[0]).toMatchObject({ lastError: 'HTTP 503', attempts: always.calls.length });
    expect(errors).toEqual([expect.objectContaining({ outboxId: dead[0]?.id, error: 'HTTP 503' })]);
  });

  test("a channel's retry-after is honoured however often it comes, within the time budget", async () => {
    const { backend, clock, dispatcher, enqueue } = await setup();
    const limited = scriptedSender(
      Array.from({ length: 30 }, () => ({
        status: 'retry' as const,
        error: '429: Too Many Requests',
        retryAfterMs: 11_000,
      })),
    );
    dispatcher.register('telegram', limited);
    await enqueue('m1');
    for (let i = 0; i < 31; i++) {
      await dispatcher.runOnce();
      clock.advance(11_000);
    }
    // 30 rate limits in 5.5 minutes were waits, not failures: the message was then delivered.
    expect(limited.calls).toHaveLength(31);
    expect((await backend.outbox.list())[0]).toMatchObject({ status: 'sent', attempts: 31 });
  });

  test('an operator resends a dead letter with a fresh budget', async () => {
    const { backend, clock, dispatcher, enqueue } = await setup();
    const sender = scriptedSender([{ status: 'retry', error: 'HTTP 503' }]);
    dispatcher.register('telegram', sender);
    await enqueue('m1');
    clock.advance(BUDGET_MS); // queued long ago: the first failure spends the budget
    expect((await dispatcher.runOnce()).dead).toBe(1);
    const [dead] = await backend.outbox.list({ status: 'dead' });
    expect(await backend.outbox.retry({ ids: [dead?.id as string] }, clock())).toBe(1);
    expect((await dispatcher.runOnce()).sent).toBe(1);
    expect(sender.calls).toHaveLength(2);
  });

  test('a hung send is aborted well before its lease ends, and never sent twice at once', async () => {
    const { backend, clock, dispatcher, enqueue } = await setup(silentLogger, {
      sendTimeoutMs: 100,
    });
    let open = 0;
    let maxOpen = 0;
    const signals: AbortSignal[] = [];
    dispatcher.register('telegram', {
      async send(_m, { signal }) {
        signals.push(signal);
        open++;
        maxOpen = Math.max(maxOpen, open);
        // A call that hangs until its signal aborts it (as fetch does).
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        open--;
        throw new Error('The operation was aborted');
      },
    });
    await enqueue('m1');
    const first = await dispatcher.runOnce();
    expect(first.retried).toBe(1);
    expect(signals[0]?.aborted).toBe(true);
    let m = (await backend.outbox.list())[0];
    // The outcome is unknown (the request may have reached the channel): one more try at most.
    expect(m).toMatchObject({ status: 'pending', uncertain: 1 });
    expect(m?.lastError).toMatch(/timed out/);
    clock.advance(60_000);
    expect((await dispatcher.runOnce()).dead).toBe(1);
    m = (await backend.outbox.list())[0];
    expect(m).toMatchObject({ status: 'dead', uncertain: 1 });
    expect(m?.lastError).toMatch(/delivery uncertain/);
    expect(signals).toHaveLength(2);
    expect(maxOpen).toBe(1);
  });

  test('a message whose sender died mid-send is sent once more, then given up', async () => {
    const { backend, clock, dispatcher, enqueue } = await setup();
    const sender = scriptedSender();
    dispatcher.register('telegram', sender);
    await enqueue('m1');
    const lease = { channels: ['telegram'], limit: 1, leaseMs: 30_000 };
    await backend.outbox.claim({ ...lease, now: clock() }); // an instance that died
    clock.advance(30_000);
    await backend.outbox.claim({ ...lease, now: clock() }); // and another
    clock.advance(30_000);
    expect((await dispatcher.runOnce()).dead).toBe(1);
    expect(sender.calls).toHaveLength(0);
  });

  test('a sender resumes after the parts it delivered', async () => {
    const { backend, clock, dispatcher, enqueue } = await setup();
    const sender = scriptedSender([{ status: 'retry', error: 'HTTP 502', progress: 2 }]);
    dispatcher.register('telegram', sender);
    await enqueue('m1');
    await dispatcher.runOnce();
    expect((await backend.outbox.list())[0]).toMatchObject({ status: 'pending', progress: 2 });
    clock.advance(60_000);
    await dispatcher.runOnce();
    expect(sender.calls.map((m) => m.progress)).toEqual([0, 2]);
  });

  test('one hung channel does not hold up another, nor other recipients of its own', async () => {
    const backend = SqliteBackend.open({ path: ':memory:' });
    const dispatcher = new OutboxDispatcher({
      outbox: backend.outbox,
      clock: () => new Date(),
      logger: silentLogger,
      pollIntervalMs: 20,
      sendTimeoutMs: 2_000,
      abortGraceMs: 100,
      maxInFlightPerChannel: 4,
    });
    const delivered: string[] = [];
    let hung = 0;
    /** How many hung calls were open when each message was delivered. */
    const hungAtDelivery: number[] = [];
    const deliver = (key: string) => {
      delivered.push(key);
      hungAtDelivery.push(hung);
    };
    dispatcher.register('telegram', {
      async send(m, { signal }) {
        if (m.recipient.startsWith('hung')) {
          hung++;
          await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
          hung--;
          return { status: 'retry', error: 'aborted', uncertain: true };
        }
        deliver(m.idempotencyKey);
        return { status: 'sent' };
      },
    });
    dispatcher.register('slack', {
      async send(m) {
        deliver(m.idempotencyKey);
        return { status: 'sent' };
      },
    });
    const now = new Date();
    const message = (key: string, channel: string, recipient: string) => ({
      idempotencyKey: key,
      channel,
      recipient,
      payload: {},
    });
    await backend.outbox.enqueue(
      [
        ...[1, 2, 3].map((i) => message(`hung-${i}`, 'telegram', `hung${i}`)),
        message('slack-1', 'slack', 'C1'),
        message('slack-2', 'slack', 'C2'),
        message('tg-ok', 'telegram', 'ok'),
      ],
      now,
    );
    const started = Date.now();
    dispatcher.start();
    for (let i = 0; i < 100 && delivered.length < 3; i++)
      await new Promise((r) => setTimeout(r, 10));
    const tookMs = Date.now() - started;
    await dispatcher.stop();
    expect(delivered.sort()).toEqual(['slack-1', 'slack-2', 'tg-ok']);
    // Well before the hung sends' 2 s time limit.
    expect(tookMs).toBeLessThan(1_500);
    await backend.close();
  });

  test('a permanent failure is undeliverable at once, never retried', async () => {
    const { backend, clock, dispatcher, enqueue } = await setup();
    const sender = scriptedSender([
      { status: 'undeliverable', error: '403 Forbidden: bot was blocked by the user' },
    ]);
    dispatcher.register('telegram', sender);
    await enqueue('m1');
    expect((await dispatcher.runOnce()).undeliverable).toBe(1);
    clock.advance(3_600_000);
    await dispatcher.runOnce();
    expect(sender.calls).toHaveLength(1);
    expect((await backend.outbox.list({ status: 'undeliverable' }))[0]?.lastError).toMatch(
      /blocked/,
    );
  });

  test('messages of a channel without a sender wait untouched', async () => {
    const { backend, dispatcher, enqueue } = await setup();
    dispatcher.register('telegram', scriptedSender());
    await enqueue('for-slack', 'slack');
    expect(await dispatcher.runOnce()).toEqual({
      sent: 0,
      retried: 0,
      dead: 0,
      undeliverable: 0,
      lostLeases: 0,
    });
    expect((await backend.outbox.list())[0]).toMatchObject({ status: 'pending', attempts: 0 });
  });

  test('a message leased by a crashed dispatcher is sent again after the lease', async () => {
    const { backend, clock, dispatcher, enqueue } = await setup();
    await enqueue('m1');
    // Another instance leased it and died before recording the outcome.
    await backend.outbox.claim({
      channels: ['telegram'],
      now: clock(),
      limit: 10,
      leaseMs: 30_000,
    });
    const sender = scriptedSender();
    dispatcher.register('telegram', sender);
    expect((await dispatcher.runOnce()).sent).toBe(0);
    clock.advance(29_999);
    expect((await dispatcher.runOnce()).sent).toBe(0);
    clock.advance(1);
    expect((await dispatcher.runOnce()).sent).toBe(1);
    expect((await backend.outbox.list())[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  test('a result recorded after the lease was taken over is dropped and counted', async () => {
    const { backend, clock, enqueue } = await setup();
    const warnings: object[] = [];
    const slow = new OutboxDispatcher({
      outbox: backend.outbox,
      clock,
      logger: { ...silentLogger, warn: (o) => warnings.push(o) },
      sendTimeoutMs: 10_000,
    });
    await enqueue('m1');
    slow.register('telegram', {
      async send() {
        // While this send hangs past its lease, another instance takes the message and sends it.
        clock.advance(45_000);
        const [taken] = await backend.outbox.claim({
          channels: ['telegram'],
          now: clock(),
          limit: 1,
          leaseMs: 45_000,
        });
        await backend.outbox.settle(
          { id: taken?.id as string, leaseToken: taken?.leaseToken as string },
          { status: 'sent', at: clock() },
        );
        return { status: 'retry', error: 'late timeout' };
      },
    });
    expect(await slow.runOnce()).toMatchObject({ retried: 0, lostLeases: 1 });
    expect((await backend.outbox.list())[0]?.status).toBe('sent');
    expect(warnings).toHaveLength(1);
  });

  test('stop() during a round ends it after the message in flight', async () => {
    const backend = SqliteBackend.open({ path: ':memory:' });
    const dispatcher = new OutboxDispatcher({
      outbox: backend.outbox,
      clock: () => new Date(),
      logger: silentLogger,
    });
    let stopping: Promise<void> | undefined;
    const calls: string[] = [];
    dispatcher.register('telegram', {
      async send(m) {
        calls.push(m.idempotencyKey);
        stopping ??= dispatcher.stop();
        return { status: 'sent' };
      },
    });
    await backend.outbox.enqueue(
      ['a', 'b', 'c'].map((k) => ({
        idempotencyKey: k,
        channel: 'telegram',
        recipient: '1',
        payload: {},
      })),
      new Date(),
    );
    const report = await dispatcher.runOnce();
    await stopping;
    expect(calls).toEqual(['a']);
    expect(report.sent).toBe(1);
    expect((await backend.outbox.list({ status: 'pending' })).map((m) => m.idempotencyKey)).toEqual(
      ['b', 'c'],
    );
    await backend.close();
  });

  test('start() delivers in the background and stop() waits for the round in flight', async () => {
    const backend = SqliteBackend.open({ path: ':memory:' });
    let release: () => void = () => {};
    const calls: string[] = [];
    const dispatcher = new OutboxDispatcher({
      outbox: backend.outbox,
      clock: () => new Date(),
      logger: silentLogger,
      pollIntervalMs: 10,
    });
    dispatcher.register('telegram', {
      send: (m) =>
        new Promise((resolve) => {
          calls.push(m.idempotencyKey);
          release = () => resolve({ status: 'sent' });
        }),
    });
    await backend.outbox.enqueue(
      [{ idempotencyKey: 'bg', channel: 'telegram', recipient: '1', payload: {} }],
      new Date(),
    );
    dispatcher.start();
    for (let i = 0; i < 100 && calls.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(calls).toEqual(['bg']);
    let stopped = false;
    const stopping = dispatcher.stop().then(() => {
      stopped = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(stopped).toBe(false); // still waiting for the send in flight
    release();
    await stopping;
    expect((await backend.outbox.list())[0]?.status).toBe('sent');
    await backend.close();
  });
});

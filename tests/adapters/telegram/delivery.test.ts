import {
  CLOSE_CONNECTION,
  HANG,
  type ScriptedAnswer,
  SERVER_ERROR,
  tooManyRequests,
} from './fake-bot-api';
import { type Harness, hasButton, startHarness } from './harness';
import { textUpdate } from './updates';

/**
 * Replies to a citizen's own message go through the outbox: a Telegram fault delays them, never
 * loses them, and a hung call is never open twice.
 */
describe('Telegram: replies survive faults', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  /** Moves the service's clock on and wakes the outbox until `done` holds (bounded). */
  async function until(done: () => boolean, stepMs = 60_000): Promise<void> {
    for (let i = 0; i < 200 && !done(); i++) {
      h.clock.advance(stepMs);
      h.service.dispatcher.wake();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(done()).toBe(true);
  }

  const answered = (chat: number) => () => h.fake.sent(chat).length > 0;

  /** The chat's reply in the outbox once it is in `status` (waits a bounded time for it). */
  async function outboxOf(chat: number, status: string) {
    // Bounded (10 s), generous for a machine busy with other suites.
    for (let i = 0; i < 1000; i++) {
      const all = await h.service.backend.outbox.list({ channel: 'telegram' });
      const m = all.find((x) => x.recipient === String(chat) && x.status === status);
      if (m) return m;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no outbox message to ${chat} in ${status}`);
  }
  /** The menu reached the chat in a sendMessage that was answered 200. */
  const menuDelivered = (chat: number, faults: number) => () =>
    h.fake.sent(chat).length > faults &&
    h.fake.sent(chat).slice(faults).some(hasButton('menu:report'));

  test.each<[string, ScriptedAnswer]>([
    ['500 three times', SERVER_ERROR],
    ['a closed connection three times', CLOSE_CONNECTION],
  ])('the reply to "halo" arrives after %s', async (_name, fault) => {
    h.fake.failNext('sendMessage', fault, 3);
    const res = await h.post(textUpdate(9101, 'halo'));
    expect(res.status).toBe(200);
    await h.fake.waitFor(answered(9101));
    await until(menuDelivered(9101, 3));
    // Three refused attempts of the first message, then the whole reply, each message once.
    const after = h.fake
      .sent(9101)
      .slice(3)
      .map((m) => m.text);
    expect(new Set(after).size).toBe(after.length);
    expect(h.fake.sent(9101).filter(hasButton('menu:report'))).toHaveLength(1);
    expect(await outboxOf(9101, 'sent')).toMatchObject({ attempts: 4 });
  });

  test('a 429 with retry_after 11 is waited for, then the reply arrives', async () => {
    h.fake.failNext('sendMessage', tooManyRequests(11));
    await h.post(textUpdate(9102, 'halo'));
    await h.fake.waitFor(answered(9102));
    const waiting = await outboxOf(9102, 'pending');
    expect(new Date(waiting?.nextAttemptAt as string).getTime() - h.clock().getTime()).toBe(11_000);
    await until(menuDelivered(9102, 1), 11_000);
  });

  test('a hung sendMessage is cut off before it is tried again; other chats are not held up', async () => {
    h.fake.failNext('sendMessage', HANG);
    await h.post(textUpdate(9103, 'halo'));
    await h.fake.waitFor(answered(9103));
    // While that call hangs, another citizen gets their answer.
    await h.post(textUpdate(9104, 'halo'));
    await h.fake.waitFor(() => h.fake.sent(9104).some(hasButton('menu:report')));
    expect(h.fake.sent(9103)).toHaveLength(1);
    // The hung call is aborted (after 300 ms of real time here: the test's clock only moves the
    // outbox's schedule), recorded as of unknown outcome, then the reply is sent once more.
    expect(await outboxOf(9103, 'pending')).toMatchObject({ uncertain: 1 });
    // The client closed the hung request (the fake sees it a moment later).
    await h.fake.waitFor(() => h.fake.openSendsTo(9103) === 0, 2_000);
    await until(menuDelivered(9103, 1), 5_000);
    expect(h.fake.maxOpenSends.get('9103')).toBe(1);
  });
});

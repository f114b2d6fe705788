import type { Reply } from '../../src/core/types';
import type { ChangeSet } from '../../src/store/change-set';
import { type Env, inbound, makeBot, sessionOf } from './helpers';

// Two turns of one conversation running at once (two instances took two of its messages): both
// read the same session; the one that commits second must not overwrite the first one's session,
// so its commit fails on the session's version and the turn runs again on the session as it is.

const COMPLAINT = 'jalan depan rumah saya berlubang besar sudah dua bulan, banyak motor jatuh';

/** Makes both turns read the session before either writes, and has `first` commit first. */
function raceOn(env: Env, first: string) {
  const ledger = env.backend.ledger;
  const getSession = ledger.getSession.bind(ledger);
  const commit = env.backend.commit.bind(env.backend);
  let waiting: (() => void)[] = [];
  let reads = 0;
  ledger.getSession = async (key) => {
    const s = await getSession(key);
    reads++;
    if (reads <= 2) {
      // The first two reads wait for each other: both turns see the same version.
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (waiting.length === 2) {
          for (const w of waiting) w();
          waiting = [];
        }
      });
    }
    return s;
  };
  let firstDone!: () => void;
  const firstCommitted = new Promise<void>((resolve) => {
    firstDone = resolve;
  });
  const commits: string[] = [];
  env.backend.commit = async (changes: ChangeSet) => {
    const id = changes.inbound?.messageId ?? '?';
    if (id !== first) await firstCommitted;
    try {
      await commit(changes);
      commits.push(`${id} ok`);
    } catch (err) {
      commits.push(`${id} ${(err as { code?: string }).code ?? 'error'}`);
      throw err;
    } finally {
      if (id === first) firstDone();
    }
  };
  return { commits, reads: () => reads };
}

const texts = (replies: Reply[]) => replies.map((r) => r.text).join('\n');

test('the later commit loses on the session version and its turn runs again after the first', async () => {
  // The same two messages one after the other, for what the citizen must see.
  const serial = makeBot();
  await serial.bot.handle(inbound(serial, 'u', { text: COMPLAINT, messageId: 'm1' }));
  const expected = await serial.bot.handle(inbound(serial, 'u', { text: 'ya', messageId: 'm2' }));

  const env = makeBot();
  const race = raceOn(env, 'm1');
  const [, second] = await Promise.all([
    env.bot.handle(inbound(env, 'u', { text: COMPLAINT, messageId: 'm1' })),
    env.bot.handle(inbound(env, 'u', { text: 'ya', messageId: 'm2' })),
  ]);
  // m2 first read "no session" (and would have answered "ya" out of context), lost its commit,
  // and ran again inside the intake m1 started: the same answer as in order.
  expect(race.commits).toEqual(['m1 ok', 'm2 conflict', 'm2 ok']);
  expect(race.reads()).toBe(3);
  expect(texts(second)).toBe(texts(expected));
  expect(await sessionOf(env, 'u')).toEqual(await sessionOf(serial, 'u'));
  const stored = await env.backend.ledger.getSession({ channel: 'test', conversationId: 'u' });
  expect(stored?.version).toBe(2);
});

test('a turn that keeps losing gives up with the conflict after a bounded number of runs', async () => {
  const env = makeBot();
  await env.bot.handle(inbound(env, 'u', { text: COMPLAINT, messageId: 'm1' }));
  // Another writer moves the session on every time this turn is about to commit.
  const commit = env.backend.commit.bind(env.backend);
  let runs = 0;
  env.backend.commit = async (changes: ChangeSet) => {
    runs++;
    const key = { channel: 'test', conversationId: 'u' };
    const now = await env.backend.ledger.getSession(key);
    await commit({ sessions: [{ key, session: now }] });
    return commit(changes);
  };
  await expect(
    env.bot.handle(inbound(env, 'u', { text: 'ya', messageId: 'm2' })),
  ).rejects.toMatchObject({
    code: 'conflict',
    details: { entity: 'session' },
  });
  expect(runs).toBe(5);
  expect(await env.backend.ledger.get('test', 'm2')).toBeNull();
});

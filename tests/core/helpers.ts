import type { Case } from '../../src/cases/types';
import type { SessionData } from '../../src/core/session';
import type { InboundMessage } from '../../src/core/types';
import { createdEvent, makeCase } from '../support/fixtures';
import { type Conversation, makeBot, talk } from '../support/talk';

export type Env = ReturnType<typeof makeBot>;

/** A tracking id anywhere in a text: ADU- and 6 Crockford base32 characters. */
export const TRACKING_ID = /ADU-[0-9A-HJKMNP-TV-Z]{6}/;
export const STAFF = { type: 'staff' as const, id: 'U1' };

/** The menu's four buttons, in order. */
export const MENU_VALUES = ['menu:report', 'menu:question', 'menu:status', 'menu:agent'];

/** Every choice value in the last replies. */
export function choiceValues(c: Conversation): string[] {
  return c.last.flatMap((r) => r.choices ?? []).map((x) => x.value);
}

/** The tracking id in the last replies (fails when there is none). */
export function trackingIdIn(c: Conversation): string {
  const m = TRACKING_ID.exec(c.text());
  if (!m) throw new Error(`no tracking id in the bot's reply:\n${c.text()}`);
  return m[0];
}

/** Files a road complaint through the whole intake and returns its tracking id. */
export async function fileComplaint(env: Env, user: string, lang: 'id' | 'en' = 'id') {
  const c = talk(env, user);
  if (lang === 'id') {
    await c
      .say('jalan depan rumah saya berlubang besar sudah dua bulan, banyak motor jatuh')
      .say('ya')
      .say('Jl. Melati No. 5, RT 02/RW 03, Kel. Sukamaju')
      .say('lewati')
      .say('terbuka')
      .say('lewati')
      .choose('confirm')
      .expect(/tercatat dengan nomor/);
  } else {
    await c
      .say('the road in front of my house has big potholes for two months, motorbikes fall')
      .say('yes')
      .say('Jalan Melati 5, Sukamaju')
      .say('skip')
      .say('named')
      .say('skip')
      .choose('confirm')
      .expect(/your report is recorded as/);
  }
  return trackingIdIn(c);
}

/** The stored dialog session of a user's conversation (undefined when there is none). */
export async function sessionOf(env: Env, user: string): Promise<SessionData | undefined> {
  const s = await env.backend.ledger.getSession({ channel: 'test', conversationId: user });
  return s?.data as SessionData | undefined;
}

/** The cases a user filed on the test channel. */
export async function casesOf(env: Env, user: string): Promise<Case[]> {
  return (await env.backend.queries.list({ reporter: { channel: 'test', channelUserId: user } }))
    .cases;
}

/** The only case of a user (fails unless there is exactly one). */
export async function onlyCaseOf(env: Env, user: string): Promise<Case> {
  const cases = await casesOf(env, user);
  expect(cases).toHaveLength(1);
  return cases[0] as Case;
}

/** Stores a case with a known tracking id for `user` on the test channel. */
export async function insertCase(env: Env, user: string, overrides: Partial<Case> = {}) {
  const c = makeCase({
    reporter: { channel: 'test', channelUserId: user, conversationId: user },
    ...overrides,
  });
  await env.backend.commit({
    cases: [{ case: c, expectedVersion: null }],
    events: [createdEvent(c)],
  });
  return c;
}

/** A raw inbound message on the test channel, for calling bot.handle directly. */
export function inbound(env: Env, user: string, fields: Partial<InboundMessage>): InboundMessage {
  return {
    channel: 'test',
    channelUserId: user,
    conversationId: user,
    messageId: `raw-${Math.random()}`,
    receivedAt: env.clock(),
    ...fields,
  };
}

export { makeBot, talk };

import { localDate } from '../cases/calendar';
import { isCodedError } from '../errors';
import { weekOf } from '../stats/facts';
import type { ChangeSet } from '../store/change-set';
import type { Language } from '../taxonomy';
import { stripInvisible } from '../text';
import { type BotDeps, compose, type Middleware, TurnContext } from './context';
import { caseReplies, handoff } from './dialogs/cases';
import { continueIntake, reask, startIntake } from './dialogs/intake';
import { answerQuestion, feedback } from './dialogs/question';
import { myReports, statusCheck } from './dialogs/status';
import type { ConversationKey, Session } from './ledger';
import { replyMessage } from './outbound';
import type { SessionData } from './session';
import type { InboundMessage, Reply } from './types';

export type { BotDeps } from './context';

/** The bot: one call per inbound message, on any channel. */
export interface Bot {
  handle(message: InboundMessage): Promise<Reply[]>;
}

const DEFAULT_TIMEOUT_MS = 30 * 60_000;
const CANCEL = /^(batal|batalkan|cancel|stop)$/i;
const MENU = /^(menu|mulai|start|\/start|help|bantuan)$/i;
const AGENT = /^(petugas|agent|operator|admin|cs)$/i;
const MY_REPORTS = /^(laporan saya|laporanku|my reports?)$/i;
const TO_ENGLISH = /^(english|in english|bahasa inggris)$/i;
const TO_INDONESIAN = /^(bahasa indonesia|indonesia|indonesian|in indonesian)$/i;
/** Anything that is not a letter or digit (emoji, punctuation, symbols) carries no request. */
const MEANINGLESS = /^[^\p{L}\p{N}]*$/u;

function keyOf(m: InboundMessage): ConversationKey {
  return { channel: m.channel, conversationId: m.conversationId };
}

/** Language of the turn: the one the citizen chose or we detected before, else detected now. */
const language: Middleware = async (ctx, next) => {
  if (TO_ENGLISH.test(ctx.text) || TO_INDONESIAN.test(ctx.text)) {
    ctx.lang = TO_ENGLISH.test(ctx.text) ? 'en' : 'id';
    ctx.session.lang = ctx.lang;
    ctx.say('language_switched');
    const dialog = ctx.session.dialog;
    if (dialog?.kind === 'intake') reask(ctx, dialog);
    else ctx.menu();
    return;
  }
  if (!ctx.session.lang) {
    const locale = ctx.msg.locale?.slice(0, 2).toLowerCase();
    // A command (/start, menu) says nothing of the language: the channel's locale does.
    const detected =
      ctx.text && !MENU.test(ctx.text)
        ? ctx.deps.nlu.analyze(ctx.text).lang
        : locale === 'en'
          ? 'en'
          : 'id';
    ctx.lang = detected;
    // Remember it once a message says enough to be sure.
    if (ctx.text.split(/\s+/).length >= 3) ctx.session.lang = detected;
  }
  await next();
};

/** Empty, emoji-only or whitespace-only messages get a clear answer. */
const meaningful: Middleware = async (ctx, next) => {
  const hasContent =
    !MEANINGLESS.test(ctx.text) ||
    ctx.msg.location ||
    ctx.msg.attachments?.length ||
    ctx.msg.action;
  if (!hasContent) {
    ctx.say('empty');
    if (!ctx.session.dialog) ctx.menu();
    return;
  }
  await next();
};

/** batal/cancel, menu, petugas/agent work at any point. */
const escapes: Middleware = async (ctx, next) => {
  if (CANCEL.test(ctx.text) || ctx.msg.action === 'cancel') {
    const had = Boolean(ctx.session.dialog);
    delete ctx.session.dialog;
    if (had) ctx.say('cancelled');
    ctx.menu();
    return;
  }
  if (MENU.test(ctx.text) || ctx.msg.action === 'menu') {
    delete ctx.session.dialog;
    if (/^\/?start$/i.test(ctx.text)) ctx.say('greeting');
    ctx.menu();
    return;
  }
  if (AGENT.test(ctx.text) || ctx.msg.action === 'menu:agent') {
    handoff(ctx);
    return;
  }
  await next();
};

/** The menu's buttons. */
const menuActions: Middleware = async (ctx, next) => {
  if (MY_REPORTS.test(ctx.text)) {
    await myReports(ctx);
    return;
  }
  switch (ctx.msg.action) {
    case 'menu:report':
      startIntake(ctx, 'complaint');
      return;
    case 'menu:question':
      ctx.session.dialog = { kind: 'await_question' };
      ctx.say('ask_question');
      return;
    case 'menu:status':
      await statusCheck(ctx);
      return;
    case 'status:mine':
      await myReports(ctx);
      return;
  }
  await next();
};

/** An active dialog gets the message first. */
const activeDialog: Middleware = async (ctx, next) => {
  const dialog = ctx.session.dialog;
  // Answers about a case ("sudah beres", a rating, a reply to a question from the officer) count
  // outside a dialog, or when a notification's button was pressed; inside an intake, "belum"
  // is part of the report.
  const caseAnswer = !dialog || dialog.kind === 'rating' || ctx.msg.action?.startsWith('resolved:');
  if (caseAnswer && (await caseReplies(ctx))) return;
  switch (dialog?.kind) {
    case 'intake':
      continueIntake(ctx, dialog);
      return;
    case 'kb_feedback':
      if (feedback(ctx)) return;
      delete ctx.session.dialog;
      break;
    case 'await_question':
      delete ctx.session.dialog;
      answerQuestion(ctx);
      return;
    case 'await_status':
      delete ctx.session.dialog;
      if (ctx.classification.intent === 'status_check' || /adu/i.test(ctx.text)) {
        await statusCheck(ctx);
        return;
      }
      break;
  }
  await next();
};

/** No dialog: what does the message want? */
const byIntent: Middleware = async (ctx) => {
  if (!ctx.text) {
    ctx.menu();
    return;
  }
  const c = ctx.classification;
  switch (c.intent) {
    case 'complaint':
    case 'aspiration':
      startIntake(ctx, c.intent, ctx.text);
      return;
    case 'question':
      answerQuestion(ctx);
      return;
    case 'status_check':
      await statusCheck(ctx);
      return;
    case 'greeting':
      ctx.say('greeting');
      ctx.menu();
      return;
    case 'thanks':
      ctx.say('thanks');
      return;
    case 'human_agent':
      handoff(ctx);
      return;
    default:
      ctx.say('other');
      ctx.menu();
  }
};

const turn = compose([language, meaningful, escapes, menuActions, activeDialog, byIntent]);

/**
 * Creates the channel-neutral bot. Each message is one turn: its session, its replies (kept for
 * redelivery, and queued in the outbox for channels it delivers) and any case it opens or
 * changes are written in one transaction. A message handled before returns the replies stored
 * then and queues nothing new.
 *
 * @example
 * const bot = createBot(deps);
 * const replies = await bot.handle({ channel: 'cli', channelUserId: 'u1', conversationId: 'u1',
 *   messageId: '1', text: 'halo', receivedAt: new Date() });
 */
export function createBot(deps: BotDeps): Bot {
  const timeoutMs = deps.sessionTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const once = handleOnce(deps, timeoutMs);
  return {
    async handle(msg) {
      // Another turn of the conversation saved its session first (two instances took two of its
      // messages at once): this turn wrote nothing, so it runs again on the session as it is now.
      for (let attempt = 1; ; attempt++) {
        try {
          return await once(msg);
        } catch (err) {
          if (!isSessionConflict(err) || attempt >= MAX_SESSION_ATTEMPTS) throw err;
        }
      }
    },
  };
}

/** Runs of one turn when other turns of its conversation keep saving the session first. */
const MAX_SESSION_ATTEMPTS = 5;

/** A commit lost to another turn's save of the same session (`conflict`, entity `session`). */
function isSessionConflict(err: unknown): boolean {
  return isCodedError(err, 'conflict') && err.details?.entity === 'session';
}

/** One turn, written only if the session is still the one it read (see `createBot`). */
function handleOnce(deps: BotDeps, timeoutMs: number): (msg: InboundMessage) => Promise<Reply[]> {
  return async (msg) => {
    // Handled before (a redelivery): the same replies, nothing queued again.
    const earlier = await storedReplies(deps, msg);
    if (earlier) return done(deps, msg, earlier);

    const key = keyOf(msg);
    const stored = await deps.backend.ledger.getSession(key);
    const session: SessionData = (stored?.data as SessionData | undefined) ?? {};
    // Bounded by code points, so an emoji is never cut in half.
    const cleaned = stripInvisible((msg.text ?? '').normalize('NFKC')).trim();
    const text = Array.from(cleaned).slice(0, 4000).join('');
    const ctx = new TurnContext(deps, msg, session, session.lang ?? 'id', text);

    if (
      stored &&
      session.dialog &&
      msg.receivedAt.getTime() - new Date(stored.updatedAt).getTime() > timeoutMs
    ) {
      delete session.dialog;
      ctx.lang = session.lang ?? ctx.lang;
      ctx.say('restarted');
    }
    const before = ctx.replies.length;
    await turn(ctx);
    if (ctx.replies.length === before && !ctx.effect) ctx.menu();

    const changes = (replies: Reply[]): ChangeSet => {
      const next: Session | null =
        session.lang || session.dialog
          ? { key, data: { ...session }, updatedAt: msg.receivedAt.toISOString() }
          : null;
      const durable = replies.length > 0 && deps.outbox?.delivers(msg.channel) === true;
      return {
        sessions: [{ key, session: next, expectedVersion: stored?.version ?? null }],
        inbound: {
          channel: msg.channel,
          messageId: msg.messageId,
          at: msg.receivedAt,
          result: replies,
        },
        ...(durable ? { outbox: [replyMessage(msg, replies, ctx.lang)] } : {}),
        ...(msg.heldWork ? { finishWork: [msg.heldWork] } : {}),
        ...(ctx.tallies.length > 0
          ? {
              tallies: ctx.tallies.map((name) => ({
                name,
                week: weekOf(localDate(msg.receivedAt, deps.planner.calendar.timeZone)),
              })),
            }
          : {}),
        ...(durable && lease ? { lease } : {}),
      };
    };
    // The replies go to the dispatcher straight from the commit when it has room.
    const lease = deps.outbox?.leaseFor?.(msg.channel);
    const actor = { type: 'citizen' as const, id: msg.channelUserId };
    const effect = ctx.effect;
    let replies = ctx.replies;
    const write = async () => {
      try {
        if (effect?.kind === 'open') {
          await deps.cases.open(effect.input, actor, (c) => {
            replies = [...ctx.replies, ...effect.reply(c)];
            return changes(replies);
          });
          return;
        }
        if (effect?.kind === 'act') {
          await deps.cases.act(effect.trackingId, effect.action, actor, (c) => {
            replies = [...ctx.replies, ...effect.reply(c)];
            return changes(replies);
          });
          return;
        }
      } catch (err) {
        // The case changed under us (e.g. staff closed it meanwhile): say so, keep the turn.
        if (!isCodedError(err) || err.code === 'duplicate' || isSessionConflict(err)) throw err;
        replies = [...ctx.replies, { text: ctx.t('case_changed') }];
      }
      await deps.backend.commit({ ...changes(replies), now: deps.clock() });
    };
    try {
      await write();
    } catch (err) {
      // Two deliveries of one message ran at once and the other committed first: its turn
      // stands (the result is written once, with the turn), this one wrote nothing.
      if (!isCodedError(err, 'duplicate') || err.details?.entity !== 'inbound') throw err;
      return done(deps, msg, (await storedReplies(deps, msg)) ?? []);
    }
    // A turn that changed a case may have queued messages to others (staff, other channels);
    // the replies themselves were leased in the commit, or wait for this wake.
    if (effect || !lease) deps.outbox?.wake(effect ? undefined : msg.channel);
    return replies;
  };
}

/** A message handled before: its kept work, if any, is finished now; its replies stand. */
async function done(deps: BotDeps, msg: InboundMessage, replies: Reply[]): Promise<Reply[]> {
  if (msg.heldWork) await deps.backend.ledger.finish(msg.heldWork.channel, msg.heldWork.messageId);
  return replies;
}

/** The replies stored for a message handled before, or null. */
async function storedReplies(deps: BotDeps, msg: InboundMessage): Promise<Reply[] | null> {
  const seen = await deps.backend.ledger.get(msg.channel, msg.messageId);
  return seen && Array.isArray(seen.result) ? (seen.result as Reply[]) : null;
}

export type { Language };

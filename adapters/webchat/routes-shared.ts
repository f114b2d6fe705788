import type { Request } from 'express';
import { z } from 'zod';
import { addressKey } from '../../src/store/rate-limit';
import type { Participant } from './activities';
import { type Caller, requireConversation } from './auth';
import { badArgument, notFound, tooMany } from './errors';
import { conversationUser, storedUserId } from './identity';
import {
  BROWSER_USER_ID,
  CONVERSATION_ID,
  newConversationId,
  newUserId,
  TRUSTED_USER_ID,
} from './ids';
import type { Rate } from './limits';
import type { DirectLineDeps, WebchatRates } from './routes';
import type { ChatConversation } from './store';
import { RESUME_LIFETIME_MS } from './tokens';
import type { TurnDeps } from './turns';

// What several Direct Line route groups use: rate limits, the conversation a call is about, who
// writes in it, and starting one.

/** Takes one request from a bucket, or refuses it with 429 and Retry-After. */
export async function take(rate: Rate, key: string): Promise<void> {
  const taken = await rate(key);
  if (!taken.ok) throw tooMany(taken.retryAfterS);
}

/** The client's address as the `TRUST_PROXY` setting says (`req.ip`), keyed per network. */
export function clientAddress(req: Request): string {
  return addressKey(req.ip ?? 'unknown');
}

/** Messages and uploads: per conversation first (so a flooding one spends no shared budget). */
export async function takeMessage(
  rates: WebchatRates,
  req: Request,
  caller: Caller,
  conversationId: string,
): Promise<void> {
  await take(rates.messagesPerConversation, conversationId);
  if (caller.kind === 'token') await take(rates.messagesPerIp, clientAddress(req));
}

/** The conversation of the URL, checked against the caller, and its stored record. */
export async function conversationOf(
  deps: DirectLineDeps,
  req: Request,
  caller: Caller,
): Promise<ChatConversation> {
  const { chats } = deps;
  const id = String(req.params.conversationId ?? '');
  if (!CONVERSATION_ID.test(id)) throw notFound('no such conversation');
  requireConversation(caller, id);
  const conversation = await chats.getConversation(id);
  if (!conversation) throw notFound('no such conversation');
  return conversation;
}

/** The stored conversation a token names (404 when it is gone). */
export async function storedConversation(
  deps: DirectLineDeps,
  conversationId: string,
): Promise<ChatConversation> {
  const { chats } = deps;
  const found = await chats.getConversation(conversationId);
  if (!found) throw notFound('no such conversation');
  return found;
}

/**
 * Who writes in a conversation: always its stored user, whoever calls (a token of it, or the
 * secret). A `from` the client sends is never read.
 */
export function participant(c: ChatConversation): Participant {
  const user = conversationUser(c);
  return {
    conversationId: c.id,
    userId: user.shownId,
    userName: c.userName,
    citizenId: user.citizenId,
  };
}

/** What a bot turn needs, from the routes' deps. */
export function turnDeps(deps: DirectLineDeps): TurnDeps {
  const { bot, clock, logger } = deps.ctx;
  return { bot, clock, logger, history: deps.history, hub: deps.hub };
}

/** The body that starts a conversation (generate, or `POST /conversations` with the secret). */
export const startSchema = z
  .object({
    user: z
      .object({
        id: z.string().optional(),
        name: z.string().max(100).optional(),
      })
      .optional(),
  })
  .optional();

/**
 * A new conversation. With the secret (`vouched`), a site's back end names its user: that id
 * is who the citizen is, in every conversation it starts for them. A browser's `user.id` is a
 * label only — echoed as `from.id` so the page knows its own messages, and never whose reports
 * the visitor sees (that is the conversation itself).
 */
export async function startConversation(
  deps: DirectLineDeps,
  user: { id?: string | undefined; name?: string | undefined },
  vouched: boolean,
): Promise<ChatConversation> {
  const { chats } = deps;
  const { clock } = deps.ctx;
  if (user.id !== undefined && !(vouched ? TRUSTED_USER_ID : BROWSER_USER_ID).test(user.id)) {
    throw badArgument(
      vouched
        ? 'user.id: up to 64 letters, digits and _.:@-'
        : 'user.id: without the Direct Line secret, "dl_" and 16 or more random letters or digits (or leave it out)',
    );
  }
  const conversation: ChatConversation = {
    id: newConversationId(),
    userId: user.id === undefined ? newUserId() : storedUserId(user.id, vouched),
    createdAt: clock().toISOString(),
  };
  // No control characters or lone surrogates (JSON escapes each in 6 bytes: tokens overflow).
  const name = user.name?.replace(/[\p{Cc}\p{Cs}]/gu, '').trim();
  if (name) conversation.userName = name;
  await chats.createConversation(conversation);
  return conversation;
}

/**
 * A Suara extension next to Direct Line's fields (other clients ignore it): a token that only
 * buys a new conversation token for this conversation (`POST /tokens/resume`), so a visitor who
 * comes back after the 30-minute token expired sees their conversation again, with the status
 * updates staff sent meanwhile. It ends 30 days after the conversation started, however often
 * it is renewed (none once that has passed).
 */
export function resumeToken(
  deps: DirectLineDeps,
  conversation: ChatConversation,
): string | undefined {
  const { tokens } = deps;
  const { clock } = deps.ctx;
  const ends = Date.parse(conversation.createdAt) + RESUME_LIFETIME_MS;
  return ends > clock().getTime()
    ? tokens.issue({ conversationId: conversation.id }, 'resume', ends).token
    : undefined;
}

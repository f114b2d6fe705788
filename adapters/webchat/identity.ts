import type { ChatConversation } from './store';

/**
 * Marks a stored user id that a site's back end vouched for with `DIRECTLINE_SECRET`. `~` is in
 * no user id this endpoint ever accepted (see `TRUSTED_USER_ID`, `BROWSER_USER_ID`), so no
 * conversation stored before the marker existed — whose id a browser may have chosen — passes
 * for vouched.
 */
const VOUCHED = '~';

/** Prefix of the citizen id of a conversation nobody vouched for (`/` is in no user id). */
const BY_CONVERSATION = 'conversation/';

/**
 * Who the user of a web chat conversation is.
 *
 * Only two things identify a web chat citizen: a user id vouched for by the holder of
 * `DIRECTLINE_SECRET` (a site's back end that knows its logged-in users), or else the
 * conversation itself (reached through its tokens and its 30-day resume token). A user id a
 * browser sends is a label that is echoed back (`from.id`, so clients recognise their own
 * messages) and never decides whose reports a visitor sees or acts on.
 */
export interface ConversationUser {
  /** The id shown in activities (`from.id` of the user's messages, `recipient.id` of replies). */
  shownId: string;
  /** Who the citizen is for the bot core (`channelUserId`): whose reports they see and answer. */
  citizenId: string;
  /** Whether the secret holder vouched for `shownId`. */
  vouched: boolean;
}

/** The user id to store for a new conversation: marked when the secret holder vouched for it. */
export function storedUserId(id: string, vouched: boolean): string {
  return vouched ? `${VOUCHED}${id}` : id;
}

/**
 * The user of a stored conversation. A vouched id is the citizen across conversations (a
 * logged-in citizen sees all their reports); any other conversation is a citizen of its own.
 *
 * @example
 * conversationUser({ id: 'c1', userId: 'dl_0123456789abcdef', createdAt })
 * // { shownId: 'dl_0123456789abcdef', citizenId: 'conversation/c1', vouched: false }
 */
export function conversationUser(c: ChatConversation): ConversationUser {
  if (c.userId.startsWith(VOUCHED)) {
    const id = c.userId.slice(VOUCHED.length);
    return { shownId: id, citizenId: id, vouched: true };
  }
  return { shownId: c.userId, citizenId: `${BY_CONVERSATION}${c.id}`, vouched: false };
}

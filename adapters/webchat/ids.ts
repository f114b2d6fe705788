import { randomBytes } from 'node:crypto';

/** A new conversation id: 22 URL-safe characters (128 random bits). */
export function newConversationId(): string {
  return randomBytes(16).toString('base64url');
}

/** A user id for a visitor who brought none: `dl_` and 24 hex digits, like the widget's. */
export function newUserId(): string {
  return `dl_${randomBytes(12).toString('hex')}`;
}

/** An id for something not stored (typing, ignored activity types). */
export function ephemeralId(conversationId: string): string {
  return `${conversationId}|e${randomBytes(6).toString('hex')}`;
}

/** Conversation ids we issue (and nothing else reaches the store). */
export const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** User ids a site's back end may choose (with the secret). */
export const TRUSTED_USER_ID = /^[A-Za-z0-9_.:@-]{1,64}$/;

/** User ids a browser may bring without the secret: random-looking `dl_` ids only. */
export const BROWSER_USER_ID = /^dl_[A-Za-z0-9_-]{16,61}$/;

import { citizenMessageOf, readNotification, unsupported } from '../../src/core/notifications';
import type { OutboxSender } from '../../src/outbox/sender';
import { replyActivity } from './activities';
import type { ConversationHistory } from './history';
import { conversationUser } from './identity';
import type { WebChatStore } from './store';

/** Limits of what a bot message to the widget may hold. */
const MAX_TEXT = 4000;
const MAX_CHOICES = 12;

/**
 * Delivers outbox messages to a web chat conversation — the bot's replies to a visitor's
 * message (`replyToId` set, keyed by that message) or another citizen kind of notification (a
 * case's status change, an officer's reply, the resolved case's question) — by appending bot messages
 * to its history: open sockets get them at once, a client that comes back later gets them from
 * its watermark. Keyed appends, so a redelivery adds nothing (the one channel where delivery is
 * exactly once). Unknown conversation, bad payload or a kind meant for staff desks: undeliverable.
 */
export function webchatSender(deps: {
  chats: Pick<WebChatStore, 'getConversation'>;
  history: ConversationHistory;
  clock: () => Date;
}): OutboxSender {
  return {
    async send(message) {
      const read = readNotification(message);
      if (!read.ok) return { status: 'undeliverable', error: read.error };
      const citizen = citizenMessageOf(read.notification);
      if (!citizen) return unsupported('webchat', read.notification);
      const { replies, replyTo } = citizen;
      const oversized = replies.find(
        (r) => r.text.length > MAX_TEXT || (r.choices?.length ?? 0) > MAX_CHOICES,
      );
      if (oversized) return { status: 'undeliverable', error: 'bad payload: reply too large' };
      const conversation = await deps.chats.getConversation(message.recipient);
      if (!conversation) {
        return { status: 'undeliverable', error: `no web chat conversation ${message.recipient}` };
      }
      const who = {
        conversationId: conversation.id,
        userId: conversationUser(conversation).shownId,
      };
      const timestamp = deps.clock();
      await deps.history.append(
        conversation.id,
        replies.map((reply, i) => ({
          activity: replyActivity(reply, who, {
            timestamp,
            ...(replyTo ? { replyToId: replyTo } : {}),
          }),
          key: replyTo ? `reply:${replyTo}:${i}` : `outbox:${message.idempotencyKey}:${i}`,
        })),
      );
      return { status: 'sent' };
    },
  };
}

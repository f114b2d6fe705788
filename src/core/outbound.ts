import type { NewOutboxMessage } from '../outbox/port';
import type { Language } from '../taxonomy';
import { type ConversationRecipient, notify } from './notifications';
import type { InboundMessage, Reply } from './types';

/**
 * The outbox message that delivers a turn's replies to the citizen, written in the turn's own
 * transaction: a reply is never lost (a failed send is retried) and a message handled again
 * after a crash or a redelivery queues nothing new (the key is the inbound message's). It goes
 * to the message's conversation, with the channel's conversation reference when it gave one.
 *
 * @example
 * replyMessage(msg, [{ text: 'Halo!' }], 'id')
 * // { idempotencyKey: `reply:${msg.channel}:${msg.messageId}`, channel: msg.channel,
 * //   recipient: msg.conversationId, payload: { kind: 'replies', replies: [{ text: 'Halo!' }],
 * //   replyTo: msg.messageId, lang: 'id', to: { kind: 'conversation', … } } }
 */
export function replyMessage(
  msg: InboundMessage,
  replies: Reply[],
  lang: Language,
): NewOutboxMessage {
  return notify(
    {
      kind: 'conversation',
      channel: msg.channel,
      conversationId: msg.conversationId,
      userId: msg.channelUserId,
      ...(msg.conversationRef ? { ref: { ...msg.conversationRef } } : {}),
    },
    { kind: 'replies', replies, replyTo: msg.messageId, lang },
    { idempotencyKey: replyKey(msg.channel, msg.messageId) },
  );
}

/**
 * The idempotency key of the replies to an inbound message.
 *
 * @example
 * replyKey('telegram', '1001') // 'reply:telegram:1001'
 */
export function replyKey(channel: string, messageId: string): string {
  return `reply:${channel}:${messageId}`;
}

/**
 * The outbox message of a line a channel adapter says on its own (a group notice, help, an
 * apology), keyed so that saying it again for the same event queues nothing new.
 *
 * @example
 * adapterReply({ kind: 'conversation', channel: 'slack', conversationId: 'C1' },
 *   { text: 'Kirim pesan langsung.' }, 'id', 'slack:mention:C1:17.1')
 * // { idempotencyKey: 'slack:mention:C1:17.1', channel: 'slack', recipient: 'C1', payload: { kind: 'replies', … } }
 */
export function adapterReply(
  to: ConversationRecipient,
  reply: Reply,
  lang: Language,
  idempotencyKey: string,
  replyTo?: string,
): NewOutboxMessage {
  return notify(
    to,
    { kind: 'replies', replies: [reply], lang, ...(replyTo ? { replyTo } : {}) },
    { idempotencyKey },
  );
}

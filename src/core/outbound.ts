import type { NewOutboxMessage } from '../outbox/port';
import type { Language } from '../taxonomy';
import { notify } from './notifications';
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

import { z } from 'zod';
import type { OutboxSender } from '../../src/outbox/sender';
import type { Store } from '../../src/store/port';
import { replyActivity } from './activities';
import type { ConversationHistory } from './history';

const payloadSchema = z.object({
  text: z.string().min(1).max(4000),
  choices: z
    .array(z.object({ label: z.string().min(1).max(200), value: z.string().min(1).max(200) }))
    .max(12)
    .optional(),
});

/**
 * Delivers outbox notifications (`{text, choices?}`) to a web chat conversation: appends a bot
 * message to its history (open sockets get it at once, a client that comes back later gets it
 * from its watermark). Keyed by the outbox idempotency key, so a redelivery adds nothing.
 * Unknown conversation or bad payload: undeliverable.
 */
export function webchatSender(deps: {
  store: Store;
  history: ConversationHistory;
  clock: () => Date;
}): OutboxSender {
  return {
    async send(message) {
      const payload = payloadSchema.safeParse(message.payload);
      if (!payload.success) {
        return { status: 'undeliverable', error: 'payload is not {text, choices?}' };
      }
      const conversation = await deps.store.getChatConversation(message.recipient);
      if (!conversation) {
        return { status: 'undeliverable', error: `no web chat conversation ${message.recipient}` };
      }
      const activity = replyActivity(
        payload.data,
        { conversationId: conversation.id, userId: conversation.userId },
        { timestamp: deps.clock() },
      );
      await deps.history.append(conversation.id, [
        { activity, key: `outbox:${message.idempotencyKey}` },
      ]);
      return { status: 'sent' };
    },
  };
}

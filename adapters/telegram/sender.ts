import type { Telegram } from 'telegraf';
import { z } from 'zod';
import type { OutboxSender } from '../../src/outbox/sender';
import type { CallbackData } from './callback-data';
import { sendMessages } from './client';
import { renderReply } from './render';
import type { Lang } from './texts';

/** What the core puts in a citizen notification (`src/core/notify.ts`). */
const payloadSchema = z.object({
  text: z.string(),
  choices: z.array(z.object({ label: z.string(), value: z.string() })).optional(),
});

const chatIdSchema = z.string().regex(/^-?\d{1,20}$/);

export interface SenderDeps {
  client: Telegram;
  callbacks: CallbackData;
  /** Language of the location button when a notification asks for one (none do today). */
  lang?: Lang;
}

/**
 * The outbox sender for `telegram`: one notification (`{ text, choices? }` to a chat id) as
 * sendMessage calls. One attempt per delivery: the dispatcher retries `retry` results (429 with
 * the channel's `retry_after`, 5xx, network errors) and stops at `undeliverable` ones (403 bot
 * blocked, 400 chat not found, or a payload that can never be sent).
 */
export function telegramSender(deps: SenderDeps): OutboxSender {
  return {
    async send(message) {
      const payload = payloadSchema.safeParse(message.payload);
      if (!payload.success) {
        return {
          status: 'undeliverable',
          error: `bad payload: ${payload.error.issues[0]?.message}`,
        };
      }
      if (!chatIdSchema.safeParse(message.recipient).success) {
        return { status: 'undeliverable', error: `bad chat id: ${message.recipient}` };
      }
      const reply = {
        text: payload.data.text,
        ...(payload.data.choices ? { choices: payload.data.choices } : {}),
      };
      await deps.callbacks.remember(reply.choices?.map((c) => c.value) ?? []);
      const messages = renderReply(message.recipient, reply, deps.lang ?? 'id');
      return sendMessages(deps.client, messages, {
        attempts: 1,
        maxWaitMs: 0,
        sleep: async () => {},
      });
    },
  };
}

import type { Telegram } from 'telegraf';
import { z } from 'zod';
import { citizenMessageOf, readNotification, unsupported } from '../../src/core/notifications';
import type { OutboxSender } from '../../src/outbox/sender';
import type { CallbackData } from './callback-data';
import { sendMessages } from './client';
import { CHANNEL } from './inbound';
import { renderReply, type SendMessageParams } from './render';
import type { Lang } from './texts';

const chatIdSchema = z.string().regex(/^-?\d{1,20}$/);

export interface SenderDeps {
  client: Telegram;
  callbacks: CallbackData;
  /** Language of the location button when the payload does not say. Default `id`. */
  lang?: Lang;
}

/**
 * The outbox sender for `telegram`: the citizen kinds of notification (the bot's replies to a
 * citizen's message, a case's status change, an officer's reply, the resolved case's question)
 * as sendMessage calls in order (a reply may be several messages: long text split, a location
 * keyboard). One attempt per delivery, resumed after the messages already delivered
 * (`progress`); the dispatcher retries `retry` results (429 with Telegram's `retry_after`, 5xx,
 * network errors) and stops at `undeliverable` ones (403 bot blocked, 400 chat not found, a
 * payload that can never be sent, or a kind meant for staff desks).
 *
 * Telegram's sendMessage has no idempotency key: a call cut off after the request went out (a
 * timeout, a reset connection) may have delivered. Such an attempt is reported `uncertain` and
 * the dispatcher sends it again a bounded number of times (see `maxUncertain`), so the citizen
 * may, rarely, see one message twice — chosen over losing it, since it may carry their tracking id.
 */
export function telegramSender(deps: SenderDeps): OutboxSender {
  return {
    async send(message, { signal }) {
      const read = readNotification(message);
      if (!read.ok) return { status: 'undeliverable', error: read.error };
      const citizen = citizenMessageOf(read.notification);
      if (!citizen) return unsupported(CHANNEL, read.notification);
      if (!chatIdSchema.safeParse(message.recipient).success) {
        return { status: 'undeliverable', error: `bad chat id: ${message.recipient}` };
      }
      const { replies, lang } = citizen;
      await deps.callbacks.remember(replies.flatMap((r) => r.choices ?? []).map((c) => c.value));
      const messages: SendMessageParams[] = replies.flatMap((reply) =>
        renderReply(message.recipient, reply, lang ?? deps.lang ?? 'id'),
      );
      return sendMessages(deps.client, messages.slice(message.progress), {
        signal,
        delivered: message.progress,
      });
    },
  };
}

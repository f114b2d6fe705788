import type { WhatsAppTemplate } from '../../src/config/env';
import { citizenMessageOf, readNotification, unsupported } from '../../src/core/notifications';
import type { Logger } from '../../src/logger';
import type { OutboxSender, SendResult } from '../../src/outbox/sender';
import type { Address, GraphClient } from './client';
import { classifyError, needsTemplate } from './errors';
import { addressOf, CHANNEL } from './inbound';
import { type OutgoingMessage, renderReply, templateMessage } from './render';
import type { SentRecord, WhatsAppState } from './state';
import { adapterLang, statusLabel } from './texts';

export interface SenderDeps {
  client: Pick<GraphClient, 'send'>;
  state: WhatsAppState;
  /** The approved template for notifications outside the 24-hour window; null: none. */
  template: WhatsAppTemplate | null;
  logger: Logger;
}

/**
 * The outbox sender for `whatsapp`: the citizen kinds of notification (the bot's replies, a
 * case's status change, an officer's reply, the resolved case's question).
 *
 * Inside the user's 24-hour customer service window (they wrote less than 24 hours ago; see
 * {@link WhatsAppState}) they go out as free-form messages, in order (text, reply buttons,
 * lists, a location request), resumed after the parts already delivered (`progress`). Outside
 * it, a notice about a case goes out as the configured template with its tracking id and status;
 * the bot's replies cannot (no template says them), and are undeliverable. When Meta answers
 * 131047 (the window closed meanwhile), the window is marked closed and the message is retried at
 * once — as the template. Throughput and pair-rate limits (130429, 131056) are retried after the
 * outbox's backoff; an invalid recipient (131026, 131030…) is undeliverable.
 *
 * Every message Meta accepted is remembered by its id (wamid) with the outbox message it
 * delivered, so a later `failed` status callback can mark that notification undeliverable.
 * The Cloud API has no idempotency key: a send cut off after it went out is `uncertain` and may,
 * rarely, arrive twice — chosen over losing a tracking id.
 */
export function whatsappSender(deps: SenderDeps): OutboxSender {
  return {
    async send(message, { signal }): Promise<SendResult> {
      const read = readNotification(message);
      if (!read.ok) return { status: 'undeliverable', error: read.error };
      const citizen = citizenMessageOf(read.notification);
      if (!citizen) return unsupported(CHANNEL, read.notification);
      const to = read.to;
      const address = to.kind === 'conversation' ? addressOf(to.conversationId, to.ref) : null;
      if (to.kind !== 'conversation' || !address) {
        return { status: 'undeliverable', error: `no WhatsApp address: ${message.recipient}` };
      }
      const user = to.conversationId;
      const lang = adapterLang(citizen.lang);
      const record = (template: boolean): SentRecord => ({
        outboxId: message.id,
        user,
        template,
        ...(message.trackingId ? { trackingId: message.trackingId } : {}),
      });
      if (!(await deps.state.windowOpen(user))) {
        const status = statusLabel(read.notification, lang);
        const trackingId = 'trackingId' in read.notification ? read.notification.trackingId : null;
        if (status === null || trackingId === null) {
          return {
            status: 'undeliverable',
            error: 'outside the 24-hour customer service window: no template can say this reply',
          };
        }
        if (!deps.template) {
          return {
            status: 'undeliverable',
            error:
              'outside the 24-hour customer service window and WHATSAPP_NOTIFY_TEMPLATE is not set',
          };
        }
        const outgoing = templateMessage(deps.template, lang, trackingId, status);
        const sent = await sendAll(deps, address, [outgoing], {
          signal,
          done: 0,
          record: record(true),
        });
        return sent.result;
      }
      const outgoing = citizen.replies.flatMap((r) => renderReply(r, lang));
      const done = message.progress ?? 0;
      const sent = await sendAll(deps, address, outgoing.slice(done), {
        signal,
        done,
        record: record(false),
      });
      if (sent.reengage) {
        // The retry (at once) finds the window closed and sends the template.
        await deps.state.closeWindow(user).catch((err: unknown) => {
          deps.logger.warn({ err, outboxId: message.id }, 'whatsapp: window not marked closed');
        });
      }
      return sent.result;
    },
  };
}

/**
 * Sends messages in order, one attempt each; the first failure stops the rest and reports how
 * many were delivered (`progress`), so a retry resumes after them.
 */
async function sendAll(
  deps: SenderDeps,
  to: Address,
  messages: OutgoingMessage[],
  options: { signal: AbortSignal; done: number; record: SentRecord },
): Promise<{ result: SendResult; reengage?: boolean }> {
  for (const [i, outgoing] of messages.entries()) {
    let wamid: string;
    try {
      wamid = await deps.client.send(to, outgoing, options.signal);
    } catch (err) {
      const result = { ...classifyError(err), progress: options.done + i };
      return needsTemplate(err) ? { result, reengage: true } : { result };
    }
    // Delivered: a failure to remember it only costs the status callback its target.
    await deps.state.rememberSent(wamid, options.record).catch((err: unknown) => {
      deps.logger.warn({ err, outboxId: options.record.outboxId }, 'whatsapp: sent id not kept');
    });
  }
  return { result: { status: 'sent' } };
}

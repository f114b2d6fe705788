import { citizenMessageOf, readNotification, unsupported } from '../../src/core/notifications';
import type { OutboxSender, SendResult } from '../../src/outbox/sender';
import type { BotConnector } from './client';
import { classifyError } from './errors';
import { activityIdOf, CHANNEL } from './inbound';
import { renderReply } from './render';
import { conversationRefSchema } from './schema';
import type { Lang } from './texts';

export interface SenderDeps {
  connector: BotConnector;
  clock: () => Date;
  /** Language of the adapter's own lines when the payload does not say. Default `id`. */
  lang?: Lang;
}

/**
 * The outbox sender for `botframework`: the citizen kinds of notification (the bot's replies, a
 * case's status change, an officer's reply, the resolved case's question) sent proactively to the
 * conversation kept with them (`continueConversation` with the stored conversation reference);
 * replies to a message as replies to its activity. One attempt per delivery, resumed after the
 * activities already delivered (`progress`); 429 and 5xx are retried (after `Retry-After`), 403
 * and 404 (app removed, user blocked, conversation gone) are undeliverable.
 *
 * The Bot Connector has no idempotency key: a send cut off after the request went out is
 * reported `uncertain`, and may, rarely, show twice — chosen over losing a tracking id.
 */
export function botframeworkSender(deps: SenderDeps): OutboxSender {
  return {
    async send(message, { signal }): Promise<SendResult> {
      const read = readNotification(message);
      if (!read.ok) return { status: 'undeliverable', error: read.error };
      const citizen = citizenMessageOf(read.notification);
      if (!citizen) return unsupported(CHANNEL, read.notification);
      const to = read.to;
      const ref = to.kind === 'conversation' ? conversationRefSchema.safeParse(to.ref) : null;
      if (to.kind !== 'conversation' || !ref?.success) {
        return { status: 'undeliverable', error: 'no Bot Framework conversation reference' };
      }
      const lang = citizen.lang ?? deps.lang ?? 'id';
      const activities = citizen.replies.flatMap((r) => renderReply(r, lang, ref.data.channelId));
      const done = message.progress ?? 0;
      let sent = 0;
      try {
        await untilAborted(
          deps.connector.send(
            {
              ref: ref.data,
              conversationId: to.conversationId,
              ...(to.userId ? { userId: to.userId } : {}),
            },
            activities.slice(done),
            {
              replyToId: citizen.replyTo ? activityIdOf(citizen.replyTo) : null,
              onSent: () => {
                if (!signal.aborted) sent++;
              },
              signal,
            },
          ),
          signal,
        );
        return { status: 'sent' };
      } catch (err) {
        return { ...classifyError(err, deps.clock()), progress: done + sent };
      }
    },
  };
}

/** The send, or an AbortError as soon as the dispatcher gives up waiting for it. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function abortError(): Error {
  const err = new Error('send timed out');
  err.name = 'AbortError';
  return err;
}

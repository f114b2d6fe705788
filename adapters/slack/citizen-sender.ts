import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import { citizenMessageOf, readNotification, unsupported } from '../../src/core/notifications';
import type { OutboxSender, SendResult } from '../../src/outbox/sender';
import { CITIZEN_CHANNEL } from './citizen-inbound';
import { renderCitizenReply } from './citizen-render';
import { sendResultOf } from './web';

const refSchema = z.object({ threadTs: z.string().regex(/^\d+\.\d+$/) }).partial();

/**
 * The outbox sender for `slack` citizens: the citizen kinds of notification (the bot's replies,
 * a case's status change, an officer's reply, the resolved case's question) as chat.postMessage
 * calls to the citizen's DM (or, for the one line answering an @mention, in that thread), in
 * order, resumed after the messages already posted (`progress`). Slack's errors are read as for
 * the staff desk: 429 after Retry-After, channel_not_found and other permanent ones undeliverable.
 */
export function slackCitizenSender(deps: { web: webApi.WebClient }): OutboxSender {
  return {
    async send(message): Promise<SendResult> {
      const read = readNotification(message);
      if (!read.ok) return { status: 'undeliverable', error: read.error };
      const citizen = citizenMessageOf(read.notification);
      if (!citizen) return unsupported(CITIZEN_CHANNEL, read.notification);
      const ref = refSchema.safeParse(read.to.kind === 'conversation' ? (read.to.ref ?? {}) : {});
      const threadTs = ref.success ? ref.data.threadTs : undefined;
      const posts = citizen.replies.flatMap((r) => renderCitizenReply(r, citizen.lang ?? 'id'));
      const done = message.progress ?? 0;
      let sent = 0;
      try {
        for (const post of posts.slice(done)) {
          await deps.web.chat.postMessage({
            channel: message.recipient,
            text: post.text,
            blocks: post.blocks,
            unfurl_links: false,
            ...(threadTs ? { thread_ts: threadTs } : {}),
          });
          sent++;
        }
        return { status: 'sent' };
      } catch (err) {
        const result = sendResultOf(err);
        return result.status === 'sent' ? result : { ...result, progress: done + sent };
      }
    },
  };
}

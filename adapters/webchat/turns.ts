import type { Attachment } from '../../src/cases/types';
import type { Bot } from '../../src/core/bot';
import type { Reply } from '../../src/core/types';
import type { Logger } from '../../src/logger';
import {
  activityId,
  echoActivity,
  type Participant,
  replyActivity,
  toInbound,
  typingActivity,
  type UserActivity,
} from './activities';
import type { ConversationHistory } from './history';
import type { ConversationHub } from './hub';
import { ephemeralId } from './ids';
import { webchatText } from './texts';

/** What a turn needs. */
export interface TurnDeps {
  bot: Bot;
  history: ConversationHistory;
  hub: ConversationHub;
  clock: () => Date;
  logger: Logger;
}

/** A photo that came with the message (stored already) and how to echo it. */
export interface UploadedPhoto {
  attachment: Attachment;
  echo: { contentType: string; name?: string };
}

/** Client ids longer than this are not used to recognise a resent message. */
const MAX_CLIENT_ID = 128;

/**
 * Accepts one user activity: stores its echo (the history answers a reconnect), shows "typing",
 * and runs the bot turn, which queues the replies in the outbox with the turn; the outbox's web
 * chat sender appends them to the history with `replyToId` at once. Returns the activity id. A
 * message resent with the same `channelData.clientActivityID` gets the same id, and the bot's
 * idempotency plus keyed replies give it no second effect. Activities other than messages
 * (typing, events) are acknowledged and dropped.
 */
export async function acceptUserActivity(
  deps: TurnDeps,
  who: Participant,
  activity: UserActivity,
  photos: UploadedPhoto[] = [],
): Promise<string> {
  const conversationId = who.conversationId;
  if (activity.type !== 'message') return ephemeralId(conversationId);
  const now = deps.clock();
  const clientId = activity.channelData?.clientActivityID;
  const key =
    typeof clientId === 'string' && clientId.length <= MAX_CLIENT_ID
      ? `client:${clientId}`
      : undefined;
  const echo = echoActivity(
    activity,
    who,
    now,
    photos.map((p) => p.echo),
  );
  const [watermark = 0] = await deps.history.append(conversationId, [
    key ? { activity: echo, key } : { activity: echo },
  ]);
  const id = activityId(conversationId, watermark);
  deps.hub.ephemeral(
    conversationId,
    typingActivity(conversationId, ephemeralId(conversationId), now),
  );

  const message = toInbound(activity, who, {
    messageId: id,
    receivedAt: now,
    attachments: photos.map((p) => p.attachment),
  });
  try {
    await deps.bot.handle(message);
  } catch (err) {
    deps.logger.error({ err, conversationId, activityId: id }, 'web chat turn failed');
    const reply: Reply = { text: webchatText('turnFailed', activity.locale) };
    await deps.history.append(conversationId, [
      {
        activity: replyActivity(reply, who, {
          timestamp: deps.clock(),
          replyToId: id,
          locale: activity.locale,
        }),
        key: `reply:${id}:0`,
      },
    ]);
  }
  return id;
}

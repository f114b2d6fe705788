import { z } from 'zod';
import type { Attachment } from '../../src/cases/types';
import type { InboundMessage, Reply } from '../../src/core/types';
import { issueLines, type Validated } from '../../src/errors';
import type { ChatActivity } from './store';

/** The bot as the `from` of its activities. */
export const BOT = { id: 'suara', name: 'Suara', role: 'bot' } as const;

/** Who writes in a conversation (from the stored conversation, see `conversationUser`). */
export interface Participant {
  conversationId: string;
  /** The id shown in activities (`from.id`); a browser's label unless vouched, never trusted. */
  userId: string;
  userName?: string | undefined;
  /** Who the citizen is for the bot core (`channelUserId`): a vouched id, or the conversation. */
  citizenId: string;
}

const locale = z
  .string()
  .max(35)
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'expected a BCP 47 tag such as id-ID');

/**
 * A client activity as far as this endpoint reads it. Unknown fields are dropped; `from` is
 * ignored (the conversation the token opens says who writes).
 */
const userActivitySchema = z.object({
  type: z.string().min(1).max(64),
  text: z.string().optional(),
  locale: locale.optional(),
  entities: z.array(z.record(z.string(), z.unknown())).max(16).optional(),
  channelData: z.record(z.string(), z.unknown()).optional(),
  value: z.unknown().optional(),
  attachments: z
    .array(z.unknown())
    .max(0, 'send photos with POST /conversations/{id}/upload')
    .optional(),
});

/** A validated client activity. */
export type UserActivity = z.infer<typeof userActivitySchema>;

/** Validates a posted activity. `tooLong` when its text is over `maxTextChars` code points. */
export function parseUserActivity(
  body: unknown,
  maxTextChars: number,
): Validated<UserActivity> | { ok: false; tooLong: true } {
  const r = userActivitySchema.safeParse(body);
  if (!r.success) return { ok: false, errors: issueLines(r.error.issues) };
  if (r.data.text !== undefined && Array.from(r.data.text).length > maxTextChars) {
    return { ok: false, tooLong: true };
  }
  return { ok: true, value: r.data };
}

/** Direct Line's activity id: the conversation id and the watermark, `abc|0000012`. */
export function activityId(conversationId: string, watermark: number): string {
  return `${conversationId}|${String(watermark).padStart(7, '0')}`;
}

/** A stored activity as clients get it: with its id. */
export function materialize(stored: ChatActivity): Record<string, unknown> {
  return { ...stored.activity, id: activityId(stored.conversationId, stored.watermark) };
}

const MAX_ACTION_CHARS = 200;

/**
 * The core message for a user `message` activity: text, a pressed button (`channelData.postBack`
 * with the value as text, or a string `value`), a shared location (a `GeoCoordinates` entity or
 * `channelData.location {lat, lon}`), and uploaded photos.
 */
export function toInbound(
  activity: UserActivity,
  who: Participant,
  meta: { messageId: string; receivedAt: Date; attachments?: Attachment[] },
): InboundMessage {
  const msg: InboundMessage = {
    channel: 'webchat',
    channelUserId: who.citizenId,
    conversationId: who.conversationId,
    messageId: meta.messageId,
    receivedAt: meta.receivedAt,
  };
  if (who.userName) msg.userName = who.userName;
  if (activity.locale) msg.locale = activity.locale;
  const text = activity.text?.trim();
  if (activity.channelData?.postBack === true && text) {
    msg.action = text.slice(0, MAX_ACTION_CHARS);
  } else {
    if (text) msg.text = text;
    if (typeof activity.value === 'string' && activity.value.trim()) {
      msg.action = activity.value.trim().slice(0, MAX_ACTION_CHARS);
    }
  }
  const location = locationOf(activity);
  if (location) msg.location = location;
  if (meta.attachments?.length) msg.attachments = meta.attachments;
  return msg;
}

const latLon = (lat: unknown, lon: unknown): { lat: number; lon: number } | undefined =>
  typeof lat === 'number' &&
  typeof lon === 'number' &&
  Number.isFinite(lat) &&
  Number.isFinite(lon) &&
  Math.abs(lat) <= 90 &&
  Math.abs(lon) <= 180
    ? { lat, lon }
    : undefined;

function locationOf(a: UserActivity): { lat: number; lon: number } | undefined {
  for (const e of a.entities ?? []) {
    if (e.type === 'GeoCoordinates') {
      const found = latLon(e.latitude, e.longitude);
      if (found) return found;
    }
  }
  const loc = a.channelData?.location;
  if (loc !== null && typeof loc === 'object') {
    const { lat, lon } = loc as { lat?: unknown; lon?: unknown };
    return latLon(lat, lon);
  }
  return undefined;
}

/** The user's message as stored and echoed back to the clients (Direct Line echoes it). */
export function echoActivity(
  activity: UserActivity,
  who: Participant,
  timestamp: Date,
  attachments: { contentType: string; name?: string }[] = [],
): Record<string, unknown> {
  const echo: Record<string, unknown> = {
    type: 'message',
    timestamp: timestamp.toISOString(),
    from: { id: who.userId, ...(who.userName ? { name: who.userName } : {}), role: 'user' },
    conversation: { id: who.conversationId },
  };
  if (activity.text !== undefined) echo.text = activity.text;
  if (activity.locale) echo.locale = activity.locale;
  if (activity.entities) echo.entities = activity.entities;
  if (activity.channelData) echo.channelData = activity.channelData;
  if (activity.value !== undefined) echo.value = activity.value;
  if (attachments.length > 0) echo.attachments = attachments;
  return echo;
}

/**
 * A bot reply as a Direct Line message: choices become `suggestedActions` (postBack buttons for
 * the user), a location request and a link go in `channelData` (the link also as a hero card for
 * Microsoft's Web Chat).
 */
export function replyActivity(
  reply: Reply,
  who: { conversationId: string; userId: string },
  meta: { timestamp: Date; replyToId?: string; locale?: string | undefined },
): Record<string, unknown> {
  const a: Record<string, unknown> = {
    type: 'message',
    timestamp: meta.timestamp.toISOString(),
    from: { ...BOT },
    conversation: { id: who.conversationId },
    recipient: { id: who.userId, role: 'user' },
    text: reply.text,
    textFormat: 'plain',
  };
  if (meta.replyToId) a.replyToId = meta.replyToId;
  if (meta.locale) a.locale = meta.locale;
  if (reply.choices?.length) {
    // No `to`: Microsoft's Web Chat hides suggested actions whose `to` lacks its own user id, and
    // with our (non-JWT) tokens that id is a random `r_…`, never the token's user.
    a.suggestedActions = {
      actions: reply.choices.map((c) => ({ type: 'postBack', title: c.label, value: c.value })),
    };
  }
  const channelData: Record<string, unknown> = {};
  if (reply.requestLocation) channelData.requestLocation = true;
  if (reply.link) {
    channelData.link = { title: reply.link.title, url: reply.link.url };
    a.attachments = [
      {
        contentType: 'application/vnd.microsoft.card.hero',
        content: {
          buttons: [{ type: 'openUrl', title: reply.link.title, value: reply.link.url }],
        },
      },
    ];
  }
  if (Object.keys(channelData).length > 0) a.channelData = channelData;
  return a;
}

/** "Suara is typing", sent live (not stored) as soon as a user message is accepted. */
export function typingActivity(conversationId: string, id: string, timestamp: Date) {
  return {
    type: 'typing',
    id,
    timestamp: timestamp.toISOString(),
    from: { ...BOT },
    conversation: { id: conversationId },
  };
}

import { createHash } from 'node:crypto';
import type { Attachment } from '../../src/cases/types';
import type { InboundMessage } from '../../src/core/types';
import type { BotActivity, ConversationRef } from './schema';
import { type Lang, localeLang } from './texts';

/** The channel name Suara's core and outbox know the Bot Framework channel by. */
export const CHANNEL = 'botframework';

/**
 * What one activity asks of Suara.
 * - `turn`: run one core turn with `message`.
 * - `group`: the bot was @mentioned (or added) in a group chat or a Teams channel: answer one line
 *   pointing to a personal chat (`key` makes it once per activity), and take nothing in.
 * - `ignore`: nothing to do (typing, reactions, the bot's own messages, group talk not for us…).
 */
export type MappedActivity =
  | { kind: 'turn'; message: InboundMessage }
  | {
      kind: 'group';
      key: string;
      conversationId: string;
      ref: ConversationRef;
      lang: Lang;
      replyTo?: string;
    }
  | { kind: 'ignore'; reason: string };

/** Teams' conversation types where several people read what the bot writes. */
const GROUP_TYPES = new Set(['groupChat', 'channel']);
/** Teams' inline @mention markup, `<at>Suara</at>`. */
const MENTION = /<at>[^<]{0,256}<\/at>/g;
/** Image file types Teams sends as `file.download.info` attachments. */
const IMAGE_FILE_TYPES = new Map([
  ['png', 'image/png'],
  ['jpg', 'image/jpeg'],
  ['jpeg', 'image/jpeg'],
  ['gif', 'image/gif'],
  ['webp', 'image/webp'],
]);

/**
 * Translates a validated activity into what Suara should do. Pure: no I/O.
 *
 * An activity's `id` is unique within its conversation only, so the core's message id is the
 * conversation's short hash with it (`messageIdOf`): a redelivered activity has one effect. A
 * new user in a personal chat (`conversationUpdate`) is greeted once per conversation.
 *
 * @example
 * mapActivity({ type: 'message', id: '1', channelId: 'msteams', serviceUrl: 'https://smba…',
 *   from: { id: '29:u' }, recipient: { id: '28:bot' }, conversation: { id: 'a:1' }, text: 'halo' },
 *   { receivedAt: new Date() })
 * // { kind: 'turn', message: { channel: 'botframework', conversationId: 'a:1', text: 'halo', … } }
 */
export function mapActivity(a: BotActivity, options: { receivedAt: Date }): MappedActivity {
  const ref = conversationRefOf(a);
  const lang = localeLang(a.locale);
  const group =
    a.conversation.isGroup === true || GROUP_TYPES.has(a.conversation.conversationType ?? '');
  const base = {
    channel: CHANNEL,
    conversationId: a.conversation.id,
    receivedAt: options.receivedAt,
    conversationRef: { ...ref },
    ...(a.locale ? { locale: a.locale } : {}),
  };

  if (a.type === 'conversationUpdate') {
    const added = a.membersAdded ?? [];
    if (group) {
      return added.some((m) => m.id === a.recipient.id)
        ? {
            kind: 'group',
            key: `added:${conversationHash(a.conversation.id)}`,
            conversationId: a.conversation.id,
            ref,
            lang,
          }
        : { kind: 'ignore', reason: 'group members changed' };
    }
    // Web Chat and the Emulator add the user; Teams, when a user installs the app, adds the bot
    // (the user is the sender).
    const botAdded = added.some((m) => m.id === a.recipient.id);
    const user =
      added.find((m) => m.id !== a.recipient.id) ??
      (botAdded && a.from.id !== a.recipient.id ? a.from : undefined);
    if (!user) return { kind: 'ignore', reason: 'no new user' };
    // Greeted once per conversation, whatever Teams resends (the core keeps the message id).
    return {
      kind: 'turn',
      message: {
        ...base,
        channelUserId: user.id,
        messageId: `welcome:${conversationHash(a.conversation.id)}`,
        text: '/start',
        ...(user.name ? { userName: user.name } : {}),
      },
    };
  }
  if (a.type !== 'message') return { kind: 'ignore', reason: `${a.type} activity` };
  if (!a.id) return { kind: 'ignore', reason: 'message without an id' };
  if (a.from.id === a.recipient.id) return { kind: 'ignore', reason: 'own message' };
  const messageId = messageIdOf(a.conversation.id, a.id);

  if (group) {
    const mentioned = (a.entities ?? []).some(
      (e) => e.type === 'mention' && mentionedId(e) === a.recipient.id,
    );
    if (!mentioned) return { kind: 'ignore', reason: 'group message not for the bot' };
    // Nothing of what was written is kept: personal data never goes through a group.
    return {
      kind: 'group',
      key: messageId,
      conversationId: a.conversation.id,
      ref,
      lang,
      replyTo: messageId,
    };
  }

  const action = actionOf(a.value);
  const text = (a.text ?? '').replace(MENTION, ' ').replace(/\s+/g, ' ').trim();
  const location = locationOf(a.entities ?? []);
  const attachments = imagesOf(a.attachments ?? []);
  return {
    kind: 'turn',
    message: {
      ...base,
      channelUserId: a.from.id,
      messageId,
      // A pressed button is its action; its label (the text Teams echoes) is not a message.
      ...(action ? { action } : text ? { text } : {}),
      ...(location ? { location } : {}),
      ...(attachments.length > 0 ? { attachments } : {}),
      ...(a.from.name ? { userName: a.from.name } : {}),
    },
  };
}

/**
 * The conversation reference the sender needs later, from an incoming activity.
 *
 * @example
 * conversationRefOf(activity) // { serviceUrl: 'https://smba…', channelId: 'msteams', botId: '28:…' }
 */
export function conversationRefOf(a: BotActivity): ConversationRef {
  const tenantId = a.conversation.tenantId ?? a.channelData?.tenant?.id;
  return {
    serviceUrl: a.serviceUrl,
    channelId: a.channelId,
    botId: a.recipient.id,
    ...(a.recipient.name ? { botName: a.recipient.name } : {}),
    ...(tenantId ? { tenantId } : {}),
    ...(a.conversation.conversationType
      ? { conversationType: a.conversation.conversationType }
      : {}),
  };
}

/**
 * The core's message id of an activity: its conversation's short hash and its id.
 *
 * @example
 * messageIdOf('a:1', '1700000000000') // 'm.<12 characters>:1700000000000'
 */
export function messageIdOf(conversationId: string, activityId: string): string {
  return `m.${conversationHash(conversationId)}:${activityId}`;
}

/**
 * The activity id in a message id made by {@link messageIdOf}, or null (a greeting).
 *
 * @example
 * activityIdOf(messageIdOf('a:1', '17')) // '17'
 */
export function activityIdOf(messageId: string): string | null {
  return /^m\.[\w-]{12}:(.+)$/s.exec(messageId)?.[1] ?? null;
}

function conversationHash(conversationId: string): string {
  return createHash('sha256').update(conversationId).digest('base64url').slice(0, 12);
}

function mentionedId(entity: Record<string, unknown>): string | undefined {
  const mentioned = entity.mentioned;
  if (typeof mentioned !== 'object' || mentioned === null) return undefined;
  const id = (mentioned as { id?: unknown }).id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * The choice a card button or a messageBack carried: our buttons send `{ action: <value> }`; a
 * plain string value is taken as it is.
 */
function actionOf(value: unknown): string | undefined {
  const raw =
    typeof value === 'string'
      ? value
      : typeof value === 'object' && value !== null
        ? (value as { action?: unknown }).action
        : undefined;
  return typeof raw === 'string' && raw.length > 0 && raw.length <= 256 ? raw : undefined;
}

/** A shared location: a schema.org `Place` with `geo`, or `GeoCoordinates`. */
function locationOf(entities: Record<string, unknown>[]): { lat: number; lon: number } | undefined {
  for (const e of entities) {
    const geo =
      e.type === 'Place' && typeof e.geo === 'object' && e.geo !== null
        ? (e.geo as Record<string, unknown>)
        : e.type === 'GeoCoordinates'
          ? e
          : undefined;
    const lat = geo?.latitude;
    const lon = geo?.longitude;
    if (
      typeof lat === 'number' &&
      typeof lon === 'number' &&
      Math.abs(lat) <= 90 &&
      Math.abs(lon) <= 180
    ) {
      return { lat, lon };
    }
  }
  return undefined;
}

/**
 * Image attachments as case attachments (their URL; staff open them with the channel's access):
 * `image/*` with a `contentUrl`, and Teams' `file.download.info` of an image file type.
 */
function imagesOf(attachments: NonNullable<BotActivity['attachments']>): Attachment[] {
  const images: Attachment[] = [];
  for (const att of attachments) {
    // Not SVG: it can carry scripts, and staff open these links.
    const image = att.contentType.startsWith('image/') && att.contentType !== 'image/svg+xml';
    if (image && att.contentUrl && /^https?:/.test(att.contentUrl)) {
      images.push({ kind: 'photo', ref: att.contentUrl, mimeType: att.contentType });
      continue;
    }
    if (att.contentType === 'application/vnd.microsoft.teams.file.download.info') {
      const content = (att.content ?? {}) as { downloadUrl?: unknown; fileType?: unknown };
      const mimeType = IMAGE_FILE_TYPES.get(String(content.fileType).toLowerCase());
      const url = content.downloadUrl;
      if (mimeType && typeof url === 'string' && /^https:/.test(url) && url.length <= 8192) {
        images.push({ kind: 'photo', ref: url, mimeType });
      }
    }
  }
  return images.slice(0, 10);
}

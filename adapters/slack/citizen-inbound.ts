import { z } from 'zod';
import type { InboundMessage } from '../../src/core/types';
import type { CitizenLang } from './citizen-render';

/** The channel name Suara's core and outbox know Slack citizens (DMs to the app) by. */
export const CITIZEN_CHANNEL = 'slack';

const ts = z.string().regex(/^\d{1,12}\.\d{1,9}$/);

/** The fields of a Slack `message` or `app_mention` event Suara reads. */
export const messageEventSchema = z.object({
  type: z.enum(['message', 'app_mention']),
  channel: z.string().regex(/^[CDG][A-Z0-9]{2,30}$/),
  channel_type: z.string().max(20).optional(),
  user: z
    .string()
    .regex(/^[UW][A-Z0-9]{2,30}$/)
    .optional(),
  text: z.string().max(40_000).optional(),
  ts,
  thread_ts: ts.optional(),
  subtype: z.string().max(64).optional(),
  bot_id: z.string().max(64).optional(),
});

export type MessageEvent = z.infer<typeof messageEventSchema>;

/**
 * What one Slack message event asks of Suara:
 * - `turn`: a citizen's direct message to the app, for the core;
 * - `mention`: the app @mentioned in a channel: one line in that thread pointing to a DM (nothing
 *   of the message kept);
 * - `thread_note`: an officer's message in the thread of a channel message (maybe a case's);
 * - `ignore`: the bot's own messages, other bots', edits, deletions, joins…
 */
export type MappedEvent =
  | { kind: 'turn'; message: InboundMessage }
  | { kind: 'mention'; channel: string; threadTs: string; key: string }
  | {
      kind: 'thread_note';
      channel: string;
      threadTs: string;
      ts: string;
      user: string;
      text: string;
    }
  | { kind: 'ignore'; reason: string };

/** `<@U123>` mentions, `<#C1|name>` channel links and `<url|label>` links in Slack's markup. */
const MENTION = /<@[UW][A-Z0-9]+>/g;

/**
 * Translates a validated message event. Pure: no I/O. A DM's message id is its channel and `ts`
 * (Slack's retries of the event carry the same), so a retried event has one effect.
 *
 * @example
 * mapMessageEvent({ type: 'message', channel: 'D1', channel_type: 'im', user: 'U1', text: 'halo',
 *   ts: '1700000000.000100' }, { botUserId: 'UBOT', receivedAt: new Date() })
 * // { kind: 'turn', message: { channel: 'slack', conversationId: 'D1', messageId: 'D1:1700000000.000100', … } }
 */
export function mapMessageEvent(
  e: MessageEvent,
  options: { botUserId?: string; botId?: string; receivedAt: Date; locale?: string },
): MappedEvent {
  if (e.bot_id || e.subtype === 'bot_message') return { kind: 'ignore', reason: 'a bot message' };
  if (!e.user || e.user === options.botUserId) return { kind: 'ignore', reason: 'own message' };
  // Edits, deletions, joins, topic changes… are not messages to answer.
  if (e.subtype !== undefined && e.subtype !== 'file_share') {
    return { kind: 'ignore', reason: `subtype ${e.subtype}` };
  }
  const dm = e.channel.startsWith('D') || e.channel_type === 'im';
  if (e.type === 'app_mention') {
    // In a DM the same text also comes as a message event: that one is the turn.
    if (dm) return { kind: 'ignore', reason: 'mention in a DM' };
    return {
      kind: 'mention',
      channel: e.channel,
      threadTs: e.thread_ts ?? e.ts,
      key: `${e.channel}:${e.ts}`,
    };
  }
  if (!dm) {
    const text = (e.text ?? '').trim();
    if (e.thread_ts && e.thread_ts !== e.ts && text !== '') {
      return {
        kind: 'thread_note',
        channel: e.channel,
        threadTs: e.thread_ts,
        ts: e.ts,
        user: e.user,
        text,
      };
    }
    return { kind: 'ignore', reason: 'channel message' };
  }
  const text = (e.text ?? '').replace(MENTION, ' ').replace(/\s+/g, ' ').trim();
  return {
    kind: 'turn',
    message: {
      channel: CITIZEN_CHANNEL,
      channelUserId: e.user,
      conversationId: e.channel,
      messageId: `${e.channel}:${e.ts}`,
      receivedAt: options.receivedAt,
      ...(text ? { text: unescapeSlack(text) } : {}),
      ...(options.locale ? { locale: options.locale } : {}),
    },
  };
}

/**
 * A button a citizen pressed in their DM, as the core's action.
 *
 * @example
 * choiceMessage({ channel: 'D1', user: 'U1', value: 'yes', actionTs: '1700000000.5' }, new Date())
 * // { channel: 'slack', conversationId: 'D1', messageId: 'D1:a:1700000000.5', action: 'yes', … }
 */
export function choiceMessage(
  p: { channel: string; user: string; value: string; actionTs: string; locale?: string },
  receivedAt: Date,
): InboundMessage {
  return {
    channel: CITIZEN_CHANNEL,
    channelUserId: p.user,
    conversationId: p.channel,
    messageId: `${p.channel}:a:${p.actionTs}`,
    action: p.value,
    receivedAt,
    ...(p.locale ? { locale: p.locale } : {}),
  };
}

/** Slack escapes `&`, `<` and `>` in message text. */
function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * The adapter's language from a Slack user's locale ("en-US" → en; else id).
 *
 * @example
 * localeLang('en-GB') // 'en'
 */
export function localeLang(locale: string | undefined): CitizenLang {
  return locale?.slice(0, 2).toLowerCase() === 'en' ? 'en' : 'id';
}

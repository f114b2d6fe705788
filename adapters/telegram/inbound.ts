import { normalizeTrackingId } from '../../src/cases/tracking-id';
import type { Attachment } from '../../src/cases/types';
import type { InboundMessage } from '../../src/core/types';
import type { TelegramCallbackQuery, TelegramMessage, TelegramUpdate } from './schema';
import { LANGUAGE_SWITCH_TEXT, type Lang, localeLang } from './texts';

/** The channel name Suara's core and outbox know Telegram by. */
export const CHANNEL = 'telegram';

/** Callback data of the adapter's own /lang buttons. */
export const LANG_CALLBACK_PREFIX = 'tg:lang:';

/**
 * What one Telegram update asks of Suara.
 * - `turn`: run one core turn with `message` (`help`: show the adapter's help before the replies).
 * - `lang_prompt`: offer the language buttons (/lang).
 * - `group`: a message in a group chat; answer one line pointing to a private chat.
 * - `ignore`: nothing to do (edited message, channel post, service message…).
 * `callbackQueryId` is set when the update is a button press, which must be answered.
 */
export type MappedUpdate =
  | {
      kind: 'turn';
      chatId: string;
      message: InboundMessage;
      help?: boolean;
      callbackQueryId?: string;
    }
  | { kind: 'lang_prompt'; chatId: string; lang: Lang }
  | { kind: 'group'; chatId: string; lang: Lang }
  | { kind: 'ignore'; reason: string; callbackQueryId?: string };

export interface MapOptions {
  receivedAt: Date;
  /** The bot's own user id (the digits before `:` in its token), to notice being added to a group. */
  botId?: number;
}

/**
 * Translates a validated Telegram update into what Suara should do. Pure: no I/O.
 *
 * @example
 * mapUpdate({ update_id: 7, message: { message_id: 1, chat: { id: 5, type: 'private' },
 *   from: { id: 5, first_name: 'Sari' }, text: 'halo' } }, { receivedAt: new Date() })
 * // { kind: 'turn', chatId: '5', message: { channel: 'telegram', messageId: '7', text: 'halo', … } }
 */
export function mapUpdate(update: TelegramUpdate, options: MapOptions): MappedUpdate {
  if (update.message) return mapMessage(update.update_id, update.message, options);
  if (update.callback_query) return mapCallback(update.update_id, update.callback_query, options);
  if (update.edited_message) return { kind: 'ignore', reason: 'edited message' };
  if (update.channel_post || update.edited_channel_post) {
    return { kind: 'ignore', reason: 'channel post' };
  }
  return { kind: 'ignore', reason: 'unsupported update' };
}

const GROUP_TYPES = new Set(['group', 'supergroup']);
const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/;

function mapMessage(updateId: number, m: TelegramMessage, options: MapOptions): MappedUpdate {
  const chatId = String(m.chat.id);
  if (GROUP_TYPES.has(m.chat.type)) {
    const addedMe =
      options.botId !== undefined && m.new_chat_members?.some((u) => u.id === options.botId);
    const addressed = m.text !== undefined || m.caption !== undefined || m.photo || m.location;
    if (!addedMe && !addressed) return { kind: 'ignore', reason: 'group service message' };
    return { kind: 'group', chatId, lang: localeLang(m.from?.language_code) };
  }
  if (m.chat.type !== 'private') return { kind: 'ignore', reason: `${m.chat.type} chat` };
  if (!m.from || m.from.is_bot) return { kind: 'ignore', reason: 'no human sender' };

  const base: InboundMessage = {
    channel: CHANNEL,
    channelUserId: String(m.from.id),
    conversationId: chatId,
    messageId: String(updateId),
    receivedAt: options.receivedAt,
    ...(m.from.language_code ? { locale: m.from.language_code } : {}),
    ...(m.from.first_name ? { userName: m.from.first_name } : {}),
  };

  const command = m.text ? COMMAND.exec(m.text.trim()) : null;
  if (command) {
    const name = (command[1] ?? '').toLowerCase();
    const arg = (command[2] ?? '').trim();
    switch (name) {
      case 'start':
        return { kind: 'turn', chatId, message: { ...base, ...startCommand(arg) } };
      case 'status':
        return { kind: 'turn', chatId, message: { ...base, text: arg, action: 'menu:status' } };
      case 'help':
        return { kind: 'turn', chatId, help: true, message: { ...base, text: '', action: 'menu' } };
      case 'lang':
      case 'language':
      case 'bahasa':
        return { kind: 'lang_prompt', chatId, lang: localeLang(m.from.language_code) };
    }
    // Other commands are read as text; the core answers what it understands.
  }

  const message: InboundMessage = { ...base, text: m.text ?? m.caption ?? '' };
  if (m.location) message.location = { lat: m.location.latitude, lon: m.location.longitude };
  const attachments = attachmentsOf(m);
  if (attachments.length > 0) message.attachments = attachments;
  if (!message.text && m.contact) message.text = m.contact.phone_number;
  return { kind: 'turn', chatId, message };
}

/**
 * `/start` alone shows the menu (in the language of the Telegram app when the citizen has not
 * chosen one); `/start status_ADU-7K3M9Q` (a deep link) checks that report.
 */
function startCommand(payload: string): Pick<InboundMessage, 'text' | 'action'> {
  const status = /^status[_-]?(.*)$/i.exec(payload);
  if (status) {
    const id = normalizeTrackingId((status[1] ?? '').replace(/_/g, '-'));
    return { text: id ?? '', action: 'menu:status' };
  }
  return { text: '', action: 'menu' };
}

/** The largest photo size (Telegram lists them smallest first), and image documents as photos. */
function attachmentsOf(m: TelegramMessage): Attachment[] {
  const out: Attachment[] = [];
  if (m.photo && m.photo.length > 0) {
    const area = (p: { width?: number | undefined; height?: number | undefined }) =>
      (p.width ?? 0) * (p.height ?? 0);
    const largest = m.photo.reduce((best, p) =>
      (p.file_size ?? area(p)) > (best.file_size ?? area(best)) ? p : best,
    );
    out.push({ kind: 'photo', ref: largest.file_id });
  }
  if (m.document) {
    const mime = m.document.mime_type;
    out.push({
      kind: mime?.startsWith('image/') ? 'photo' : 'document',
      ref: m.document.file_id,
      ...(mime ? { mimeType: mime } : {}),
    });
  }
  return out;
}

function mapCallback(
  updateId: number,
  q: TelegramCallbackQuery,
  options: MapOptions,
): MappedUpdate {
  const callbackQueryId = q.id;
  const chat = q.message?.chat;
  if (chat && chat.type !== 'private') {
    return { kind: 'ignore', reason: 'button outside a private chat', callbackQueryId };
  }
  if (q.data === undefined || q.from.is_bot) {
    return { kind: 'ignore', reason: 'button without data', callbackQueryId };
  }
  const base: InboundMessage = {
    channel: CHANNEL,
    channelUserId: String(q.from.id),
    conversationId: String(chat?.id ?? q.from.id),
    messageId: String(updateId),
    receivedAt: options.receivedAt,
    ...(q.from.language_code ? { locale: q.from.language_code } : {}),
    ...(q.from.first_name ? { userName: q.from.first_name } : {}),
  };
  const chatId = base.conversationId;
  if (q.data.startsWith(LANG_CALLBACK_PREFIX)) {
    const lang: Lang = q.data.slice(LANG_CALLBACK_PREFIX.length) === 'en' ? 'en' : 'id';
    return {
      kind: 'turn',
      chatId,
      callbackQueryId,
      message: { ...base, text: LANGUAGE_SWITCH_TEXT[lang] },
    };
  }
  // Like a typed answer: the button's label as text, its value as the action.
  const label = q.message?.reply_markup?.inline_keyboard
    ?.flat()
    .find((b) => b.callback_data === q.data)?.text;
  return {
    kind: 'turn',
    chatId,
    callbackQueryId,
    message: { ...base, text: label ?? '', action: q.data },
  };
}

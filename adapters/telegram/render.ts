import type {
  InlineKeyboardButton,
  InlineKeyboardMarkup,
  ReplyKeyboardMarkup,
} from 'telegraf/types';
import type { Choice, Reply } from '../../src/core/types';
import { splitText as split } from '../../src/text';
import { callbackDataFor } from './callback-data';
import { type Lang, text } from './texts';

/** Telegram's limit on the text of one message (UTF-16 code units; counting them is safe). */
export const MAX_MESSAGE_LENGTH = 4096;

/**
 * Parameters of one `sendMessage` call. Messages are sent as plain text (no `parse_mode`), so
 * nothing the citizen or an officer wrote can be taken for markup and nothing needs escaping.
 */
export interface SendMessageParams {
  chat_id: string;
  text: string;
  reply_markup?: InlineKeyboardMarkup | ReplyKeyboardMarkup;
}

/** Buttons per row, and label characters per row, before a new row starts. */
const ROW_BUTTONS = 3;
const ROW_CHARS = 24;

/**
 * One core reply as the sendMessage calls that show it: the text (with its link) split into
 * messages of at most 4,096 characters on line boundaries; choices as an inline keyboard on the
 * last one; a location request as a one-time reply keyboard with a `request_location` button.
 *
 * @example
 * renderReply('42', { text: 'Benar?', choices: [{ label: 'Ya', value: 'yes' }] }, 'id')
 * // [{ chat_id: '42', text: 'Benar?',
 * //    reply_markup: { inline_keyboard: [[{ text: 'Ya', callback_data: 'yes' }]] } }]
 */
export function renderReply(chatId: string, reply: Reply, lang: Lang): SendMessageParams[] {
  const body = reply.link ? `${reply.text}\n🔗 ${reply.link.url}` : reply.text;
  const wanted = Boolean(reply.choices?.length || reply.requestLocation);
  // Telegram refuses an empty text: a blank reply is skipped, or shows only its buttons.
  if (body.trim() === '' && !wanted) return [];
  const chunks = splitText(body.trim() === '' ? '…' : body);
  const messages: SendMessageParams[] = chunks.map((t) => ({ chat_id: chatId, text: t }));
  const last = messages[messages.length - 1];
  const locationKeyboard: ReplyKeyboardMarkup = {
    keyboard: [[{ text: text('shareLocation', lang), request_location: true }]],
    one_time_keyboard: true,
    resize_keyboard: true,
  };
  if (last && reply.choices && reply.choices.length > 0) {
    last.reply_markup = inlineKeyboard(reply.choices);
    // One keyboard per message: the location button comes with a short message of its own.
    if (reply.requestLocation) {
      messages.push({
        chat_id: chatId,
        text: text('shareLocation', lang),
        reply_markup: locationKeyboard,
      });
    }
  } else if (last && reply.requestLocation) {
    last.reply_markup = locationKeyboard;
  }
  return messages;
}

/** Choices as inline buttons; short labels share a row. */
export function inlineKeyboard(choices: Choice[]): InlineKeyboardMarkup {
  const rows: InlineKeyboardButton[][] = [];
  let row: InlineKeyboardButton[] = [];
  let chars = 0;
  for (const c of choices) {
    const label = c.label.trim() || c.value;
    if (row.length > 0 && (row.length >= ROW_BUTTONS || chars + label.length > ROW_CHARS)) {
      rows.push(row);
      row = [];
      chars = 0;
    }
    row.push({ text: label, callback_data: callbackDataFor(c.value) });
    chars += label.length;
  }
  if (row.length > 0) rows.push(row);
  return { inline_keyboard: rows };
}

/**
 * Splits a text into Telegram messages of at most 4,096 characters (see `splitText` in src/text).
 *
 * @example
 * splitText('a\nb', 2) // ['a', 'b']
 */
export function splitText(value: string, max = MAX_MESSAGE_LENGTH): string[] {
  return split(value, max);
}

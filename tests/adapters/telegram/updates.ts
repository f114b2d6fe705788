/** Builders of Telegram updates as the Bot API sends them. */

let nextUpdateId = 100_000;

/** A fresh update id (unique within the test process). */
export function updateId(): number {
  return nextUpdateId++;
}

export interface From {
  id: number;
  first_name?: string;
  language_code?: string;
}

function from(chatId: number, user?: Partial<From>) {
  return { id: chatId, is_bot: false, first_name: 'Sari', language_code: 'id', ...user };
}

function message(chatId: number, fields: Record<string, unknown>, user?: Partial<From>) {
  return {
    message_id: Math.floor(Math.random() * 1e6),
    date: 1_700_000_000,
    chat: { id: chatId, type: 'private', first_name: 'Sari' },
    from: from(chatId, user),
    ...fields,
  };
}

export function textUpdate(chatId: number, text: string, user?: Partial<From>) {
  return { update_id: updateId(), message: message(chatId, { text }, user) };
}

export function locationUpdate(chatId: number, latitude: number, longitude: number) {
  return { update_id: updateId(), message: message(chatId, { location: { latitude, longitude } }) };
}

export function photoUpdate(chatId: number, caption?: string) {
  return {
    update_id: updateId(),
    message: message(chatId, {
      photo: [
        { file_id: 'small-id', file_unique_id: 's', width: 90, height: 60, file_size: 1_000 },
        { file_id: 'large-id', file_unique_id: 'l', width: 1280, height: 853, file_size: 90_000 },
        { file_id: 'medium-id', file_unique_id: 'm', width: 320, height: 213, file_size: 9_000 },
      ],
      ...(caption ? { caption } : {}),
    }),
  };
}

/** A button press on a message the bot sent (the keyboard is echoed back, as Telegram does). */
export function callbackUpdate(
  chatId: number,
  data: string,
  keyboard?: { text: string; callback_data?: string }[][],
) {
  return {
    update_id: updateId(),
    callback_query: {
      id: `cb-${nextUpdateId}`,
      from: from(chatId),
      chat_instance: '42',
      data,
      message: {
        message_id: 7,
        date: 1_700_000_000,
        chat: { id: chatId, type: 'private' },
        text: 'pilih',
        ...(keyboard ? { reply_markup: { inline_keyboard: keyboard } } : {}),
      },
    },
  };
}

export function groupUpdate(chatId: number, userId: number, text: string) {
  return {
    update_id: updateId(),
    message: {
      message_id: 3,
      date: 1_700_000_000,
      chat: { id: chatId, type: 'supergroup', title: 'Warga RT 02' },
      from: from(userId),
      text,
    },
  };
}

import { mapUpdate } from '../../../adapters/telegram/inbound';
import { parseUpdate, type TelegramUpdate } from '../../../adapters/telegram/schema';
import { callbackUpdate, groupUpdate, locationUpdate, photoUpdate, textUpdate } from './updates';

const receivedAt = new Date('2026-11-27T02:00:00.000Z');

function map(raw: unknown, botId?: number) {
  const parsed = parseUpdate(raw);
  if (!parsed.ok) throw new Error(parsed.error);
  return mapUpdate(parsed.update as TelegramUpdate, { receivedAt, ...(botId ? { botId } : {}) });
}

describe('Telegram update → InboundMessage', () => {
  test('a text message: ids as strings, update_id as message id, locale and first name', () => {
    const u = textUpdate(42, 'lampu jalan mati', { language_code: 'en', first_name: 'Budi' });
    expect(map(u)).toEqual({
      kind: 'turn',
      chatId: '42',
      message: {
        channel: 'telegram',
        channelUserId: '42',
        conversationId: '42',
        messageId: String(u.update_id),
        receivedAt,
        locale: 'en',
        userName: 'Budi',
        text: 'lampu jalan mati',
      },
    });
  });

  test.each([
    ['/start', { text: '', action: 'menu' }],
    ['/start@SuaraBot', { text: '', action: 'menu' }],
    ['/start status_ADU-7K3M9Q', { text: 'ADU-7K3M9Q', action: 'menu:status' }],
    ['/start status_adu_7k3m9q', { text: 'ADU-7K3M9Q', action: 'menu:status' }],
    ['/start status_', { text: '', action: 'menu:status' }],
    ['/start campaign42', { text: '', action: 'menu' }],
    ['/status ADU-7K3M9Q', { text: 'ADU-7K3M9Q', action: 'menu:status' }],
    ['/status', { text: '', action: 'menu:status' }],
    ['/help', { text: '', action: 'menu' }],
    ['/unknown hal', { text: '/unknown hal' }],
  ])('%s → %j', (command, expected) => {
    const mapped = map(textUpdate(1, command));
    if (mapped.kind !== 'turn') throw new Error(mapped.kind);
    expect(mapped.message).toMatchObject(expected);
    expect(mapped.message.action).toBe((expected as { action?: string }).action);
    expect(mapped.help ?? false).toBe(command === '/help');
  });

  test('/lang offers the language choice in the language of the Telegram app', () => {
    expect(map(textUpdate(1, '/lang', { language_code: 'en-GB' }))).toEqual({
      kind: 'lang_prompt',
      chatId: '1',
      lang: 'en',
    });
  });

  test('a location message', () => {
    const mapped = map(locationUpdate(9, -7.25, 112.75));
    expect(mapped).toMatchObject({
      kind: 'turn',
      message: { location: { lat: -7.25, lon: 112.75 } },
    });
  });

  test('a photo keeps the largest size as the attachment, its caption as text', () => {
    const mapped = map(photoUpdate(9, 'sampah menumpuk'));
    expect(mapped).toMatchObject({
      kind: 'turn',
      message: { text: 'sampah menumpuk', attachments: [{ kind: 'photo', ref: 'large-id' }] },
    });
  });

  test('an image sent as a file counts as a photo; a shared contact as its number', () => {
    const doc = map({
      update_id: 1,
      message: {
        message_id: 1,
        chat: { id: 3, type: 'private' },
        from: { id: 3, is_bot: false, first_name: 'A' },
        document: { file_id: 'doc-1', mime_type: 'image/jpeg' },
      },
    });
    expect(doc).toMatchObject({
      message: { attachments: [{ kind: 'photo', ref: 'doc-1', mimeType: 'image/jpeg' }] },
    });
    const contact = map({
      update_id: 2,
      message: {
        message_id: 2,
        chat: { id: 3, type: 'private' },
        from: { id: 3, is_bot: false, first_name: 'A' },
        contact: { phone_number: '+6281234567890', first_name: 'A' },
      },
    });
    expect(contact).toMatchObject({ message: { text: '+6281234567890' } });
  });

  test('a button press: its value as action, its label as text, the query id to answer', () => {
    const u = callbackUpdate(5, 'identity:anonymous', [
      [{ text: 'Terbuka', callback_data: 'identity:named' }],
      [{ text: 'Anonim', callback_data: 'identity:anonymous' }],
    ]);
    expect(map(u)).toMatchObject({
      kind: 'turn',
      chatId: '5',
      callbackQueryId: u.callback_query.id,
      message: { conversationId: '5', action: 'identity:anonymous', text: 'Anonim' },
    });
  });

  test('the /lang buttons become what the core understands', () => {
    expect(map(callbackUpdate(5, 'tg:lang:en'))).toMatchObject({
      message: { text: 'english' },
    });
    const id = map(callbackUpdate(5, 'tg:lang:id'));
    expect(id).toMatchObject({ message: { text: 'bahasa indonesia' } });
    if (id.kind !== 'turn') throw new Error(id.kind);
    expect(id.message.action).toBeUndefined();
  });

  test('group chats get the group line; service messages only when the bot itself is added', () => {
    expect(map(groupUpdate(-100, 7, 'halo'))).toEqual({
      kind: 'group',
      chatId: '-100',
      lang: 'id',
    });
    const joined = (id: number) => ({
      update_id: 9,
      message: {
        message_id: 1,
        chat: { id: -100, type: 'group' },
        from: { id: 7, is_bot: false },
        new_chat_members: [{ id, is_bot: true, first_name: 'x' }],
      },
    });
    expect(map(joined(123456), 123456)).toMatchObject({ kind: 'group' });
    expect(map(joined(99), 123456)).toMatchObject({ kind: 'ignore' });
  });

  test('edited messages, channel posts and unknown updates are ignored', () => {
    expect(map({ update_id: 1, edited_message: { text: 'x' } })).toMatchObject({ kind: 'ignore' });
    expect(map({ update_id: 2, channel_post: { text: 'x' } })).toMatchObject({ kind: 'ignore' });
    expect(map({ update_id: 3, poll: { id: 'p' } })).toMatchObject({ kind: 'ignore' });
  });

  test.each([
    [null, /body/],
    [{}, /update_id/],
    [{ update_id: -1 }, /update_id/],
    [{ update_id: 1, message: { message_id: 1, chat: { id: 'x', type: 'private' } } }, /chat\.id/],
  ])('invalid update %j → a clear error', (raw, error) => {
    const parsed = parseUpdate(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(error);
  });
});

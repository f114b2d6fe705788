import {
  activityIdOf,
  conversationRefOf,
  type MappedActivity,
  mapActivity,
  messageIdOf,
} from '../../../adapters/botframework/inbound';
import { type BotActivity, parseActivity } from '../../../adapters/botframework/schema';

const receivedAt = new Date('2026-11-27T02:00:00.000Z');
const BOT = { id: '28:suara-bot', name: 'Suara' };
const SERVICE = 'https://smba.trafficmanager.net/amer/';
const GROUP = { id: '19:g@thread.v2', conversationType: 'groupChat', tenantId: 't-1' };

/** A message from a user in a personal Teams chat, read through the schema (override anything). */
function activity(fields: Record<string, unknown> = {}): BotActivity {
  const parsed = parseActivity({
    type: 'message',
    id: '1700000000001',
    channelId: 'msteams',
    serviceUrl: SERVICE,
    from: { id: '29:user-1', name: 'Sari' },
    recipient: BOT,
    conversation: { id: 'a:conv-1', conversationType: 'personal', tenantId: 'tenant-1' },
    locale: 'id-ID',
    ...fields,
  });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.activity;
}

const map = (fields: Record<string, unknown> = {}) => mapActivity(activity(fields), { receivedAt });

/** The core message of a mapped turn (fails the test on anything else). */
function turn(mapped: MappedActivity) {
  if (mapped.kind !== 'turn') throw new Error(`expected a turn, got ${JSON.stringify(mapped)}`);
  return mapped.message;
}

describe('Bot Framework activity → InboundMessage', () => {
  test('a text message in a personal chat is a turn with its conversation reference', () => {
    expect(map({ text: '  lampu jalan mati  ' })).toEqual({
      kind: 'turn',
      message: {
        channel: 'botframework',
        conversationId: 'a:conv-1',
        channelUserId: '29:user-1',
        messageId: messageIdOf('a:conv-1', '1700000000001'),
        receivedAt,
        locale: 'id-ID',
        userName: 'Sari',
        text: 'lampu jalan mati',
        conversationRef: {
          serviceUrl: SERVICE,
          channelId: 'msteams',
          botId: '28:suara-bot',
          botName: 'Suara',
          tenantId: 'tenant-1',
          conversationType: 'personal',
        },
      },
    });
  });

  test('the tenant comes from channelData when the conversation has none', () => {
    const a = activity({ conversation: { id: 'a:2' }, channelData: { tenant: { id: 'tn-9' } } });
    expect(conversationRefOf(a)).toEqual({
      serviceUrl: SERVICE,
      channelId: 'msteams',
      botId: '28:suara-bot',
      botName: 'Suara',
      tenantId: 'tn-9',
    });
  });

  test('a message id carries the activity id back; other ids give null', () => {
    const id = messageIdOf('a:conv-1', 'act:7/x');
    expect(id).toMatch(/^m\.[\w-]{12}:act:7\/x$/);
    expect(activityIdOf(id)).toBe('act:7/x');
    expect(messageIdOf('a:conv-2', 'act:7/x')).not.toBe(id);
    expect(activityIdOf('welcome:abcdefghijkl')).toBeNull();
  });

  test('a pressed button is its action, without the label as text', () => {
    const m = turn(map({ text: 'Ya', value: { action: 'yes' } }));
    expect(m.action).toBe('yes');
    expect(m.text).toBeUndefined();
    expect(turn(map({ text: 'Ya', value: 'confirm' })).action).toBe('confirm');
  });

  test('a value longer than 256 characters is no action', () => {
    const m = turn(map({ text: 'Ya', value: { action: 'x'.repeat(257) } }));
    expect(m.action).toBeUndefined();
    expect(m.text).toBe('Ya');
  });

  test('Teams mention markup is taken out of the text', () => {
    expect(turn(map({ text: '<at>Suara</at> jalan   rusak' })).text).toBe('jalan rusak');
  });

  test.each([
    ['Place', { type: 'Place', geo: { type: 'GeoCoordinates', latitude: -6.2, longitude: 106.8 } }],
    ['GeoCoordinates', { type: 'GeoCoordinates', latitude: -6.2, longitude: 106.8 }],
  ])('a %s entity is a location', (_name, entity) => {
    expect(turn(map({ entities: [entity] })).location).toEqual({ lat: -6.2, lon: 106.8 });
  });

  test('coordinates out of range are no location', () => {
    const entities = [
      { type: 'GeoCoordinates', latitude: 91, longitude: 10 },
      { type: 'Place', geo: { latitude: 10, longitude: -181 } },
    ];
    expect(turn(map({ text: 'di sini', entities })).location).toBeUndefined();
  });

  test('image attachments are photos; HTML and data: URLs are not', () => {
    const m = turn(
      map({
        text: 'foto',
        attachments: [
          { contentType: 'text/html', content: '<p>foto</p>' },
          { contentType: 'image/png', contentUrl: 'https://cdn.example/a.png' },
          { contentType: 'image/png', contentUrl: 'data:image/png;base64,AAAA' },
          { contentType: 'image/svg+xml', contentUrl: 'https://cdn.example/c.svg' },
          {
            contentType: 'application/vnd.microsoft.teams.file.download.info',
            name: 'b.jpg',
            content: { downloadUrl: 'https://files.example/b.jpg', fileType: 'jpg' },
          },
        ],
      }),
    );
    expect(m.attachments).toEqual([
      { kind: 'photo', ref: 'https://cdn.example/a.png', mimeType: 'image/png' },
      { kind: 'photo', ref: 'https://files.example/b.jpg', mimeType: 'image/jpeg' },
    ]);
  });

  test('a message with only a Teams HTML attachment has no attachments', () => {
    const m = turn(
      map({ text: 'halo', attachments: [{ contentType: 'text/html', content: 'x' }] }),
    );
    expect(m.attachments).toBeUndefined();
  });
});

describe('Bot Framework conversation updates', () => {
  const update = (id: string, conversationId: string, membersAdded: unknown[], from?: unknown) =>
    map({
      type: 'conversationUpdate',
      id,
      conversation: { id: conversationId, conversationType: 'personal' },
      membersAdded,
      ...(from ? { from } : {}),
    });

  test('a new user in a personal chat is greeted once per conversation', () => {
    const user = { id: '29:user-1', name: 'Sari' };
    const first = turn(update('cu-1', 'a:conv-1', [BOT, user]));
    expect(first).toMatchObject({ channelUserId: '29:user-1', text: '/start', userName: 'Sari' });
    expect(first.messageId).toMatch(/^welcome:/);
    expect(turn(update('cu-2', 'a:conv-1', [BOT, user])).messageId).toBe(first.messageId);
    expect(turn(update('cu-3', 'a:conv-2', [BOT, user])).messageId).not.toBe(first.messageId);
  });

  test('Teams: the bot added to a personal chat by its user greets that user, once', () => {
    const installed = turn(update('cu-4', 'a:conv-1', [BOT]));
    expect(installed).toMatchObject({ channelUserId: '29:user-1', text: '/start' });
    expect(installed.messageId).toBe(
      turn(update('cu-5', 'a:conv-1', [BOT, { id: '29:u' }])).messageId,
    );
  });

  test('a personal chat update adding no user (only the bot, from the bot; nobody) is ignored', () => {
    const none = { kind: 'ignore', reason: 'no new user' };
    expect(update('cu-6', 'a:conv-1', [BOT], BOT)).toEqual(none);
    expect(update('cu-7', 'a:conv-1', [])).toEqual(none);
  });

  test('the bot added to a group is one group line, keyed per conversation', () => {
    const mapped = map({ type: 'conversationUpdate', conversation: GROUP, membersAdded: [BOT] });
    expect(mapped).toMatchObject({ kind: 'group', conversationId: GROUP.id, lang: 'id' });
    expect(mapped.kind === 'group' && mapped.key.startsWith('added:')).toBe(true);
  });
});

describe('Bot Framework group chats and what is ignored', () => {
  const mention = (id: string) => [{ type: 'mention', mentioned: { id }, text: '<at>x</at>' }];

  test.each([
    ['groupChat', { ...GROUP }],
    ['channel', { ...GROUP, conversationType: 'channel' }],
    ['isGroup: true', { id: '19:g2', isGroup: true }],
  ])('in a group (%s): a message not mentioning the bot is ignored', (_name, conversation) => {
    const notForUs = { kind: 'ignore', reason: 'group message not for the bot' };
    expect(map({ conversation, text: 'jalan rusak' })).toEqual(notForUs);
    const other = map({ conversation, text: '<at>Budi</at> hi', entities: mention('29:budi') });
    expect(other).toEqual(notForUs);
  });

  test('a mention of the bot in a group: a group line replying to it, nothing of the text', () => {
    const mapped = map({
      conversation: GROUP,
      locale: 'en-US',
      text: '<at>Suara</at> nomor saya 0812345678',
      entities: mention(BOT.id),
    });
    const messageId = messageIdOf(GROUP.id, '1700000000001');
    expect(mapped).toMatchObject({ kind: 'group', key: messageId, replyTo: messageId, lang: 'en' });
    expect(JSON.stringify(mapped)).not.toContain('0812345678');
  });

  test.each(['typing', 'messageReaction', 'invoke'])(
    'an activity of type %s is ignored',
    (type) => {
      expect(map({ type, text: 'halo' })).toEqual({ kind: 'ignore', reason: `${type} activity` });
    },
  );

  test("the bot's own message and a message without id are ignored", () => {
    expect(map({ from: BOT, text: 'halo' })).toEqual({ kind: 'ignore', reason: 'own message' });
    expect(map({ id: undefined, text: 'halo' })).toEqual({
      kind: 'ignore',
      reason: 'message without an id',
    });
  });
});

describe('parseActivity', () => {
  test.each([
    ['a missing serviceUrl', { serviceUrl: undefined }, 'serviceUrl'],
    ['a file: serviceUrl', { serviceUrl: 'file:///etc/passwd' }, 'serviceUrl'],
    ['a missing conversation id', { conversation: { isGroup: false } }, 'conversation.id'],
  ])('%s is refused with the field named', (_name, fields, field) => {
    const parsed = parseActivity({ ...activity(), ...fields });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error.split(':')[0]).toBe(field);
  });

  test('a valid activity is read', () => {
    expect(parseActivity({ ...activity(), text: 'halo' })).toMatchObject({ ok: true });
  });
});

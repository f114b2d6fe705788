import request from 'supertest';
import { UPDATE_CHANNEL } from '../../../adapters/telegram/processor';
import { TEXTS } from '../../../adapters/telegram/texts';
import { notify } from '../../../src/core/notifications';
import { nestedArrays, uploadEndless, withRawField } from '../../support/bodies';
import type { SentMessage } from './fake-bot-api';
import { buttons, type Harness, hasButton, keyboardOf, SECRET, startHarness } from './harness';
import {
  callbackUpdate,
  groupUpdate,
  locationUpdate,
  photoUpdate,
  textUpdate,
  updateId,
} from './updates';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const post = (update: unknown, secret?: string | null) => h.post(update, secret);
const deliver = (update: unknown, chatId: number, until: (m: SentMessage) => boolean) =>
  h.deliver(update, chatId, until);

describe('Telegram webhook: a citizen files a complaint', () => {
  test('a full conversation in Indonesian ends with a tracking id in a sendMessage', async () => {
    const chatId = 5001;
    const first = await deliver(
      textUpdate(chatId, 'jalan depan rumah saya berlubang besar sudah 2 bulan'),
      chatId,
      hasButton('yes'),
    );
    expect(first.map((m) => m.text).join('\n')).toMatch(/Jalan, jembatan, dan saluran air/);
    // Plain text: no parse mode, so nothing needs escaping.
    expect(first.every((m) => m.parse_mode === undefined)).toBe(true);

    const cbBefore = h.fake.callsOf('answerCallbackQuery').length;
    const press = callbackUpdate(chatId, 'yes', keyboardOf(first));
    const askLocation = await deliver(press, chatId, (m) => Boolean(m.reply_markup?.keyboard));
    const locationAsk = askLocation.find((m) => m.reply_markup?.keyboard);
    expect(locationAsk?.text).toMatch(/Di mana lokasinya/);
    expect(locationAsk?.reply_markup).toEqual({
      keyboard: [[{ text: TEXTS.shareLocation.id, request_location: true }]],
      one_time_keyboard: true,
      resize_keyboard: true,
    });
    await h.fake.waitFor(() => h.fake.callsOf('answerCallbackQuery').length > cbBefore);
    expect(h.fake.callsOf('answerCallbackQuery').at(-1)?.body).toMatchObject({
      callback_query_id: press.callback_query.id,
    });

    const afterLocation = await deliver(
      locationUpdate(chatId, -6.2, 106.816666),
      chatId,
      hasButton('skip'),
    );
    expect(afterLocation.at(-1)?.text).toMatch(/foto/i);
    const afterPhoto = await deliver(photoUpdate(chatId), chatId, hasButton('identity:anonymous'));
    expect(afterPhoto.map((m) => m.text).join('\n')).toMatch(/Foto diterima/);
    const afterIdentity = await deliver(
      callbackUpdate(chatId, 'identity:anonymous', keyboardOf(afterPhoto)),
      chatId,
      hasButton('skip'),
    );
    const summary = await deliver(
      callbackUpdate(chatId, 'skip', keyboardOf(afterIdentity)),
      chatId,
      hasButton('confirm'),
    );
    expect(summary.at(-1)?.text).toMatch(/Ringkasan laporan/);
    const done = await deliver(
      callbackUpdate(chatId, 'confirm', keyboardOf(summary)),
      chatId,
      (m) => /ADU-[0-9A-Z]{6}/.test(m.text),
    );
    const text = done.map((m) => m.text).join('\n');
    expect(text).toMatch(/laporan Anda tercatat dengan nomor ADU-[0-9A-Z]{6}/);

    const trackingId = /ADU-[0-9A-Z]{6}/.exec(text)?.[0] ?? '';
    const filed = await h.service.backend.cases.get(trackingId);
    expect(filed).toMatchObject({
      category: 'roads_drainage',
      identity: 'anonymous',
      location: { lat: -6.2, lon: 106.816666 },
      attachments: [{ kind: 'photo', ref: 'large-id' }],
      reporter: { channel: 'telegram', channelUserId: String(chatId), conversationId: '5001' },
    });
  });

  test('/status with an id shows the report; /status alone asks for one', async () => {
    const chatId = 5002;
    const id = await h.fileComplaint(chatId);
    const shown = await deliver(textUpdate(chatId, `/status ${id}`), chatId, (m) =>
      m.text.includes(id),
    );
    expect(shown.at(-1)?.text).toMatch(new RegExp(`Laporan ${id}: diterima`));

    const asked = await deliver(textUpdate(chatId, '/status'), chatId, hasButton('status:mine'));
    expect(asked.at(-1)?.text).toMatch(/Tulis nomor laporan/);

    // A deep link t.me/<bot>?start=status_<id> opens the same.
    const linked = await deliver(textUpdate(chatId, `/start status_${id}`), chatId, (m) =>
      m.text.includes(id),
    );
    expect(linked.at(-1)?.text).toMatch(/diterima/);
  });

  test('someone else asking about the report sees its status only', async () => {
    const id = await h.fileComplaint(5003);
    const other = await deliver(textUpdate(5004, `/status ${id}`), 5004, (m) =>
      m.text.includes(id),
    );
    expect(other.at(-1)?.text).toMatch(/hanya dapat dilihat oleh pelapor/);
  });

  test('/start shows the menu as an inline keyboard; /help adds the commands', async () => {
    const chatId = 5005;
    const menu = await deliver(textUpdate(chatId, '/start'), chatId, hasButton('menu:report'));
    expect(buttons(menu.at(-1))).toEqual([
      'menu:report',
      'menu:question',
      'menu:status',
      'menu:agent',
    ]);
    const help = await deliver(textUpdate(chatId, '/help'), chatId, hasButton('menu:report'));
    expect(help[0]?.text).toBe(TEXTS.help.id);
  });

  test('/lang offers both languages; pressing English switches the conversation', async () => {
    const chatId = 5006;
    const offer = await deliver(textUpdate(chatId, '/lang'), chatId, hasButton('tg:lang:en'));
    expect(buttons(offer.at(-1))).toEqual(['tg:lang:id', 'tg:lang:en']);
    const switched = await deliver(
      callbackUpdate(chatId, 'tg:lang:en', keyboardOf(offer)),
      chatId,
      hasButton('menu:report'),
    );
    expect(switched[0]?.text).toMatch(/English/);
    const help = await deliver(textUpdate(chatId, '/help'), chatId, hasButton('menu:report'));
    expect(help[0]?.text).toBe(TEXTS.help.en);
  });
});

describe('Telegram webhook: verification and delivery', () => {
  test.each([
    ['missing', null],
    ['wrong', 'not-the-secret'],
    ['wrong with the same length', `${SECRET.slice(0, -1)}X`],
  ])('%s secret → 401, nothing recorded, no sendMessage', async (_name, secret) => {
    const update = textUpdate(6001, 'halo min');
    const res = await post(update, secret);
    expect(res.status).toBe(401);
    // A later, valid update is processed: the refused one would have been done before it.
    await deliver(textUpdate(6002, 'halo'), 6002, hasButton('menu:report'));
    expect(h.fake.sent(6001)).toEqual([]);
    expect(await h.service.backend.ledger.get(UPDATE_CHANNEL, String(update.update_id))).toBeNull();
  });

  test('a body that is not an update → 400 with the reason', async () => {
    const bad = await post({ message: { text: 'halo' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/update_id/);
    const malformed = await request(h.service.url)
      .post('/telegram/webhook')
      .set('X-Telegram-Bot-Api-Secret-Token', SECRET)
      .set('content-type', 'application/json')
      .send('{"update_id": ');
    expect(malformed.status).toBe(400);
  });

  test('a numbered update it cannot read is skipped with 200, so Telegram does not hold back later ones', async () => {
    const odd = await post({ update_id: 990_001, message: { chat: 'not-a-chat', text: 5 } });
    expect(odd.status).toBe(200);
    expect(odd.body).toMatchObject({ ok: true, outcome: 'ignored' });
    expect(odd.body.error).toMatch(/message/);
    expect(await h.service.backend.ledger.get(UPDATE_CHANNEL, '990001')).toBeNull();
  });

  test('the same update delivered twice has one effect and one set of messages', async () => {
    const chatId = 6003;
    const update = textUpdate(chatId, 'jalan depan rumah saya berlubang besar sudah 2 bulan');
    const [a, b] = await Promise.all([post(update), post(update)]);
    // One is handled at once; the other, arriving while that turn runs, is recorded and found
    // handled when its turn comes (or found handled already).
    expect([a.body.outcome, b.body.outcome]).toContain('handled');
    expect([a.body.outcome, b.body.outcome].filter((o) => o === 'handled')).toHaveLength(1);
    const again = await post(update);
    expect(again.body.outcome).toBe('duplicate');
    await h.fake.waitFor(() => h.fake.sent(chatId).some(hasButton('yes')));
    // A later message in the same chat is processed after anything still queued for it.
    await deliver(textUpdate(chatId, '/help'), chatId, (m) => m.text === TEXTS.help.id);
    const texts = h.fake.sent(chatId).map((m) => m.text);
    const asks = texts.filter((t) => /Sepertinya ini tentang/.test(t));
    expect(asks).toHaveLength(1);
  });

  test('a group chat gets one line pointing to a private chat, and the core is not run', async () => {
    const update = groupUpdate(-100777, 6004, 'jalan rusak di depan balai warga');
    await deliver(update, -100777, (m) => m.text === TEXTS.group.id);
    await deliver(textUpdate(6005, 'halo'), 6005, hasButton('menu:report'));
    expect(h.fake.sent(-100777)).toHaveLength(1);
    expect(await h.service.backend.ledger.get('telegram', String(update.update_id))).toBeNull();
    expect(
      await h.service.backend.ledger.getSession({ channel: 'telegram', conversationId: '-100777' }),
    ).toBeNull();
  });

  test('edited messages and channel posts are accepted and ignored', async () => {
    const edited = await post({
      update_id: updateId(),
      edited_message: { message_id: 1, chat: { id: 6006, type: 'private' }, text: 'ubah' },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.outcome).toBe('ignored');
    const channelPost = await post({
      update_id: updateId(),
      channel_post: { message_id: 1, chat: { id: -100, type: 'channel' }, text: 'info' },
    });
    expect(channelPost.body.outcome).toBe('ignored');
    await deliver(textUpdate(6007, 'halo'), 6007, hasButton('menu:report'));
    expect(h.fake.sent(6006)).toEqual([]);
  });

  test('a reply longer than 4,096 characters is split on line boundaries', async () => {
    const line = `${'Informasi layanan kelurahan. '.repeat(9).trim()}\n`;
    const text = line.repeat(30).trim();
    expect(text.length).toBeGreaterThan(4096);
    await h.service.backend.outbox.enqueue(
      [
        notify(
          { kind: 'conversation', channel: 'telegram', conversationId: '6008' },
          { kind: 'replies', replies: [{ text }] },
          { idempotencyKey: 'long-1' },
        ),
      ],
      new Date('2026-11-27T02:00:00.000Z'),
    );
    await h.service.dispatcher.runOnce();
    await h.fake.waitFor(() => h.fake.sent(6008).length >= 2);
    const parts = h.fake.sent(6008).map((m) => m.text);
    expect(parts.length).toBe(2);
    expect(parts.every((p) => p.length <= 4096)).toBe(true);
    expect(parts.join('\n')).toBe(text);
    expect(parts[0]?.endsWith('.')).toBe(true);
  });
});

describe('Telegram webhook: bounded bodies', () => {
  const raw = (body: string) =>
    request(h.service.url)
      .post('/telegram/webhook')
      .set('X-Telegram-Bot-Api-Secret-Token', SECRET)
      .set('content-type', 'application/json')
      .send(body);

  test('a numbered update with 100,000 nested arrays in a message field is skipped with 200', async () => {
    const update = textUpdate(6101, 'halo');
    const body = withRawField(
      update,
      'message',
      withRawField(update.message, 'x', nestedArrays(100_000)),
    );
    const res = await raw(body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, outcome: 'ignored' });
    expect(res.body.error).toMatch(/nested deeper than 32/);
    expect(await h.service.backend.ledger.get(UPDATE_CHANNEL, String(update.update_id))).toBeNull();
    // The next update is handled as usual.
    await deliver(textUpdate(6101, 'halo'), 6101, hasButton('menu:report'));
  });

  test('an unnumbered body nested too deep → 400', async () => {
    const res = await raw(withRawField({}, 'message', nestedArrays(100_000)));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_update' });
  });

  test('a body over 256 KB → 413 JSON by its Content-Length, and the connection closes', async () => {
    const update = textUpdate(6102, 'x'.repeat(300 * 1024));
    const res = await post(update);
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'payload_too_large' });
    expect(res.headers.connection).toBe('close');
    expect(await h.service.backend.ledger.get(UPDATE_CHANNEL, String(update.update_id))).toBeNull();
  });

  test('an endless chunked body is cut off soon after the limit, not read to its end', async () => {
    const up = await uploadEndless(`${h.service.url}/telegram/webhook`, {
      'X-Telegram-Bot-Api-Secret-Token': SECRET,
    });
    expect(up.written).toBeLessThan(16 * 1024 * 1024);
    if (up.status !== undefined) {
      expect(up.status).toBe(413);
      expect(JSON.parse(up.body).error.code).toBe('payload_too_large');
    }
    await deliver(textUpdate(6103, 'halo'), 6103, hasButton('menu:report'));
  });

  test('a wrong secret with an endless body: 401, and the connection closes at once', async () => {
    const up = await uploadEndless(`${h.service.url}/telegram/webhook`, {
      'X-Telegram-Bot-Api-Secret-Token': 'wrong',
    });
    // The answer arrives whole (the connection closes gracefully after it), and the server
    // stopped the client while it was still writing: what it sent after the answer is thrown
    // away up to a bound, then the connection is cut.
    expect(up.status).toBe(401);
    expect(up.written).toBeLessThan(16 * 1024 * 1024);
  });
});

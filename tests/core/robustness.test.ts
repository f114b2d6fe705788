import {
  choiceValues,
  type Env,
  inbound,
  MENU_VALUES,
  makeBot,
  onlyCaseOf,
  sessionOf,
  TRACKING_ID,
  talk,
} from './helpers';

let env: Env;
beforeEach(() => {
  env = makeBot();
});

const EMPTY_ID = 'Pesan Anda kosong. Tulis keluhan, pertanyaan, atau nomor laporan Anda.';

describe('hostile or broken input', () => {
  test.each([
    ['only emoji', '😡😡😡'],
    ['zero-width characters only', '\u200b\u200c\u200d\u2060\ufeff'],
    ['whitespace only', '  \t\n   \u00a0 '],
    ['an empty text', ''],
    ['punctuation only', '?!... ---'],
  ])('%s: "empty" with the menu, nothing stored', async (_name, text) => {
    await talk(env, 'x')
      .say(text)
      .check((c) => expect(c.last[0]?.text).toBe(EMPTY_ID))
      .check((c) => expect(choiceValues(c)).toEqual(MENU_VALUES));
    expect((await env.backend.queries.list({})).cases).toEqual([]);
    expect((await sessionOf(env, 'x'))?.dialog).toBeUndefined();
  });

  test('emoji in the middle of an intake keeps the intake where it was', async () => {
    await talk(env, 'x')
      .say('lampu jalan di gang kami mati sudah dua minggu, gelap sekali')
      .say('ya')
      .say('😡😡😡')
      .expect(EMPTY_ID)
      .say('\u200b \u200b')
      .expect(EMPTY_ID)
      .say('Gang Mawar dekat masjid')
      .expect('Ada foto pendukung?');
    expect((await sessionOf(env, 'x'))?.dialog).toMatchObject({
      step: 'photo',
      draft: { location: { text: 'Gang Mawar dekat masjid' } },
    });
  });

  test('zero-width characters inside a word are ignored', async () => {
    await talk(env, 'x')
      .say('ha\u200blo')
      .expect(/^Halo! Saya Suara/);
  });

  test('10,000 characters: a clear reply, the description is capped, the case is stored', async () => {
    const long = 'jalan depan rumah saya rusak parah dan berlubang. '.repeat(200);
    expect(long.length).toBe(10_000);
    await talk(env, 'x')
      .say(long)
      .expect('Sepertinya ini tentang: Jalan, jembatan, dan saluran air. Benar?')
      .say('ya')
      .say('Jl. Melati No. 5, Sukamaju')
      .say('lewati')
      .say('terbuka')
      .say('lewati')
      // The summary shows the start of the text only.
      .check((c) => expect(c.last[0]?.text.length).toBeLessThan(800))
      .expect('• Masalah: jalan depan rumah saya rusak parah dan berlubang.')
      .say('kirim')
      .expect(TRACKING_ID);
    const stored = await onlyCaseOf(env, 'x');
    expect(stored.text.length).toBeLessThanOrEqual(4000);
    expect(long.startsWith(stored.text)).toBe(true);
  });

  test('10,000 characters of one letter: the polite "not understood" reply', async () => {
    await talk(env, 'x')
      .say('a'.repeat(10_000))
      .expect(/^(Maaf, saya belum mengerti maksud Anda\.|Sorry, I didn't understand that\.)/)
      .check((c) => expect(choiceValues(c)).toEqual(MENU_VALUES));
    expect((await env.backend.queries.list({})).cases).toEqual([]);
  });

  test('<script> alone: a clear reply, nothing stored, nothing echoed', async () => {
    await talk(env, 'x')
      .say('<script>alert(1)</script>')
      .expect(/^Maaf, saya belum mengerti maksud Anda\./)
      .expectNot('<script>');
    expect((await env.backend.queries.list({})).cases).toEqual([]);
  });

  test('HTML in a description is kept as plain text, exactly as written', async () => {
    const text = '<script>alert(1)</script> jalan depan rumah saya berlubang besar <b>parah</b>';
    await talk(env, 'x')
      .say(text)
      .expect('Benar?')
      .say('ya')
      .say('<img src=x onerror=alert(1)> Jl. Melati 5')
      .say('lewati')
      .say('terbuka')
      .say('lewati')
      .expect(`• Masalah: ${text}`)
      .say('kirim')
      .expect(TRACKING_ID);
    const stored = await onlyCaseOf(env, 'x');
    expect(stored.text).toBe(text);
    expect(stored.location).toEqual({ text: '<img src=x onerror=alert(1)> Jl. Melati 5' });
  });

  test('SQL-ish text: a clear reply, the store is intact and still works', async () => {
    await talk(env, 'x')
      .say("'; DROP TABLE cases; --")
      .check((c) => expect(c.last.length).toBeGreaterThan(0))
      .check((c) => expect(choiceValues(c)).toEqual(MENU_VALUES));
    expect((await env.backend.queries.list({})).cases).toEqual([]);

    const text = "jalan depan rumah saya berlubang besar'); DROP TABLE cases; --";
    await talk(env, 'y')
      .say(text)
      .say('ya')
      .say("Jl. O'Neil No. 5' OR '1'='1")
      .say('lewati')
      .say('terbuka')
      .say('lewati')
      .say('kirim')
      .expect(TRACKING_ID);
    const stored = await onlyCaseOf(env, 'y');
    expect(stored.text).toBe(text);
    expect(stored.location?.text).toBe("Jl. O'Neil No. 5' OR '1'='1");
    expect((await env.backend.queries.list({})).cases).toHaveLength(1);
  });

  test('a button value the bot never offered is handled without a crash', async () => {
    await talk(env, 'x')
      .send({ text: 'x', action: 'category:<script>' })
      .check((c) => expect(choiceValues(c)).toEqual(MENU_VALUES));
    await talk(env, 'x')
      .send({ action: 'resolved:done:ADU-ZZZZZZ' })
      .check((c) => expect(choiceValues(c)).toEqual(MENU_VALUES));
    expect((await env.backend.queries.list({})).cases).toEqual([]);
  });
});

describe('the same messageId twice', () => {
  test('a hand-off: identical replies, one case', async () => {
    const msg = inbound(env, 'x', { messageId: 'tg-1001', text: 'saya mau bicara dengan petugas' });
    const first = await env.bot.handle(msg);
    const second = await env.bot.handle({ ...msg });
    expect(second).toEqual(first);
    expect(first[0]?.text).toMatch(TRACKING_ID);
    expect((await env.backend.queries.list({})).cases).toHaveLength(1);
  });

  test('an intake step: identical replies, the session changes once', async () => {
    const msg = inbound(env, 'x', { messageId: 'tg-2001', text: 'sampah numpuk' });
    const first = await env.bot.handle(msg);
    const session = await sessionOf(env, 'x');
    env.clock.advance(60_000);
    const second = await env.bot.handle({ ...msg, receivedAt: env.clock() });
    expect(second).toEqual(first);
    expect(first[0]?.text).toMatch(/^Ceritanya masih terlalu singkat/);
    // Not "sampah numpuk\nsampah numpuk": the second delivery had no effect.
    expect(await sessionOf(env, 'x')).toEqual(session);
    expect(session?.dialog).toMatchObject({ draft: { text: 'sampah numpuk' } });
  });

  test('the confirm message twice: one case', async () => {
    const c = talk(env, 'x');
    await c
      .say('jalan depan rumah saya berlubang besar sudah dua bulan')
      .say('ya')
      .say('Jl. Melati No. 5')
      .say('lewati')
      .say('terbuka')
      .say('lewati');
    const msg = inbound(env, 'x', { messageId: 'tg-3001', text: 'Kirim', action: 'confirm' });
    const first = await env.bot.handle(msg);
    const second = await env.bot.handle({ ...msg });
    expect(second).toEqual(first);
    expect((await env.backend.queries.list({})).cases).toHaveLength(1);
  });

  test('recovered after a crash: a message seen without replies is handled anew; one with replies is answered again, and its kept work finished', async () => {
    // The adapter kept the message, and the process died before its turn was stored.
    const msg = inbound(env, 'x', { messageId: 'tg-5001', text: 'saya mau bicara dengan petugas' });
    const heldWork = { channel: 'test-update', messageId: '5001' };
    const hold = { owner: 'me', leaseMs: 60_000, now: env.clock() };
    expect(await env.backend.ledger.record(msg.channel, msg.messageId, msg.receivedAt)).toBe(true);
    await env.backend.ledger.recordWork('test-update', '5001', env.clock(), { raw: 1 }, hold);
    const unfinished = () =>
      env.backend.ledger.claimUnfinished('test-update', { ...hold, now: env.clock(), limit: 10 });
    env.clock.advance(2_000);
    const replies = await env.bot.handle({ ...msg, heldWork });
    expect(replies[0]?.text).toMatch(TRACKING_ID);
    expect((await env.backend.queries.list({})).cases).toHaveLength(1);
    // The turn's commit finished the kept work.
    expect(await unfinished()).toEqual([]);
    // Recovered again (as if it died after the turn): the same answer, no new case.
    await env.backend.ledger.recordWork('test-update', '5002', env.clock(), { raw: 2 }, hold);
    const again = await env.bot.handle({
      ...msg,
      heldWork: { channel: 'test-update', messageId: '5002' },
    });
    expect(again).toEqual(replies);
    expect((await env.backend.queries.list({})).cases).toHaveLength(1);
    expect(await unfinished()).toEqual([]);
  });

  test('the same messageId on another channel is another message', async () => {
    const msg = inbound(env, 'x', { messageId: 'same', text: 'saya mau bicara dengan petugas' });
    await env.bot.handle(msg);
    await env.bot.handle({ ...msg, channel: 'webchat' });
    expect((await env.backend.queries.list({})).cases).toHaveLength(2);
  });

  // Two deliveries of one message that arrive together (a webhook retried while the first is
  // still being handled, or two instances) both run their turn; the message's result is written
  // once, with the turn, so the second commit fails as a whole and answers the first's replies.
  test('the same messageId delivered twice at once still opens one case', async () => {
    const msg = inbound(env, 'x', { messageId: 'tg-4001', text: 'saya mau bicara dengan petugas' });
    const [first, second] = await Promise.all([env.bot.handle(msg), env.bot.handle({ ...msg })]);
    expect((await env.backend.queries.list({})).cases).toHaveLength(1);
    expect(second).toEqual(first);
  });
});

import {
  actionIds,
  CITIZEN_CHANNEL,
  DISHUB,
  type Harness,
  PUPR,
  startSlackService,
  TRIAGE,
} from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startSlackService();
});
afterEach(async () => {
  await h.stop();
});

const PII_TEXT =
  'Jalan berlubang di depan rumah. NIK saya 3201012345670001, hubungi 0812-3456-7890 ' +
  'atau +62 813 9876 5432, email siti.aminah@mail.co.id. Rumah No. 5 RT 02/RW 03.';

describe('a new case appears in its agency channel', () => {
  test('anonymous: the right channel and buttons, no reporter, PII masked, map link', async () => {
    const c = await h.openCase({
      text: PII_TEXT,
      identity: 'anonymous',
      location: { text: 'Jl. Melati 5 (rumah 0812-1111-2222)', lat: -6.2, lon: 106.816666 },
    });
    const posts = h.fake.of('chat.postMessage');
    expect(posts).toHaveLength(1);
    const args: Record<string, unknown> = posts[0]?.args ?? {};
    expect(args.channel).toBe(PUPR);
    expect(String(args.text)).toContain(c.trackingId);
    const blocks = JSON.stringify(args.blocks);
    expect(blocks).toContain(c.trackingId);
    expect(blocks).toContain('Complaint');
    expect(blocks).toContain('Roads, bridges and drains');
    expect(blocks).toContain('Anonymous (identity not shown)');
    // The reporter and every piece of PII are gone; the rest of the text is there.
    for (const secret of ['Siti', 'Aminah', '081234567890', '3201012345670001', '0812-3456-7890']) {
      expect(blocks).not.toContain(secret);
    }
    expect(blocks).not.toContain('813 9876 5432');
    expect(blocks).not.toContain('siti.aminah@mail.co.id');
    expect(blocks).not.toContain('0812-1111-2222');
    expect(blocks).toContain('[NIK hidden]');
    expect(blocks).toContain('[phone hidden]');
    expect(blocks).toContain('[e-mail hidden]');
    expect(blocks).toContain('Rumah No. 5 RT 02/RW 03');
    expect(blocks).toContain('https://www.openstreetmap.org/?mlat=-6.2&mlon=106.816666');
    expect(actionIds(args.blocks)).toEqual([
      'suara:ack',
      'suara:need_info',
      'suara:resolve',
      'suara:transfer',
      'suara:reject',
      'suara:reply',
    ]);
    // The case remembers its message, for later updates.
    expect(await h.messageOf(c.trackingId)).toEqual({
      channel: PUPR,
      ts: '1700000000.000001',
    });
    // Opening a case is not told to the citizen by the outbox (the bot answered in the chat).
    expect(h.citizen).toEqual([]);
  });

  test('confidential: the reporter is not shown and the text is masked', async () => {
    const c = await h.openCase({ text: PII_TEXT, identity: 'confidential' });
    const blocks = JSON.stringify(h.fake.of('chat.postMessage')[0]?.args.blocks);
    expect(blocks).toContain(c.trackingId);
    expect(blocks).toContain('Confidential (identity not shown)');
    expect(blocks).not.toContain('Siti');
    expect(blocks).not.toContain('3201012345670001');
  });

  test('named: staff see the reporter and the text as written', async () => {
    await h.openCase({ text: PII_TEXT, identity: 'named' });
    const blocks = JSON.stringify(h.fake.of('chat.postMessage')[0]?.args.blocks);
    expect(blocks).toContain('Siti Aminah');
    expect(blocks).toContain('081234567890');
    expect(blocks).toContain(CITIZEN_CHANNEL);
    expect(blocks).toContain('3201012345670001');
  });

  test('each category goes to its own agency channel; text is escaped for mrkdwn', async () => {
    await h.openCase({ category: 'street_lighting', text: 'Lampu mati <!channel> & gelap' });
    const [post] = h.fake.of('chat.postMessage');
    expect(post?.args.channel).toBe(DISHUB);
    const blocks = JSON.stringify(post?.args.blocks);
    expect(blocks).not.toContain('<!channel>');
    expect(blocks).toContain('&lt;!channel&gt; &amp; gelap');
  });

  test('triage: an unrouted case goes to the triage channel with a "Route to agency" select', async () => {
    const c = await h.openCase({ category: 'other', text: 'Ada masalah di kelurahan kami' });
    const [post] = h.fake.of('chat.postMessage');
    expect(post?.args.channel).toBe(TRIAGE);
    expect(c.agencyId).toBe('triage');
    const ids = actionIds(post?.args.blocks);
    expect(ids).toContain('suara:route');
    expect(ids).not.toContain('suara:transfer');
  });

  test('a hand-off (citizen asks for an officer) goes to the triage channel', async () => {
    const c = await h.openCase({
      kind: 'handoff',
      category: 'other',
      text: 'saya mau bicara dengan petugas',
    });
    const [post] = h.fake.of('chat.postMessage');
    expect(post?.args.channel).toBe(TRIAGE);
    expect(JSON.stringify(post?.args.blocks)).toContain(`${c.trackingId} · Asks for an officer`);
  });
});

/** The parts of a Block Kit block whose length Slack limits (the fake records them as JSON). */
interface SizedBlock {
  type?: string;
  text?: { text?: unknown };
  fields?: { text?: unknown }[];
  elements?: { type?: string; text?: unknown; value?: unknown }[];
}

/** Texts over Slack's Block Kit limits in a message (section 3000, field 2000, header 150…). */
function overLimits(blocks: unknown): string[] {
  const over: string[] = [];
  const check = (what: string, text: unknown, max: number) => {
    if (typeof text === 'string' && text.length > max) over.push(`${what}: ${text.length}`);
  };
  const list: SizedBlock[] = Array.isArray(blocks) ? blocks : [];
  for (const b of list) {
    check(`${b.type} text`, b.text?.text, b.type === 'header' ? 150 : 3000);
    for (const f of b.fields ?? []) check('field', f.text, 2000);
    for (const e of b.elements ?? []) {
      const text =
        typeof e.text === 'object' && e.text ? (e.text as { text?: unknown }).text : e.text;
      check('element text', text, e.type === 'button' ? 75 : 3000);
      check('button value', e.value, 2000);
    }
  }
  return over;
}

describe('hostile citizen text', () => {
  const EVIL =
    '<!channel> <@U123> *bold* <http://evil|click> & NIK 3201012345670001, wa 081234567890. ';

  test('a long confidential text stays within Block Kit limits, escaped and masked, in the message and the thread', async () => {
    const c = await h.openCase({
      text: EVIL.repeat(200),
      identity: 'confidential',
      location: { text: EVIL.repeat(20), lat: -6.2, lon: 106.8 },
    });
    const [post] = h.fake.of('chat.postMessage');
    expect(post?.args.channel).toBe(PUPR);
    expect(overLimits(post?.args.blocks)).toEqual([]);
    const blocks = JSON.stringify(post?.args.blocks);
    expect(blocks).toContain(
      '&lt;!channel&gt; &lt;@\u2060U123&gt; \u2217bold\u2217 &lt;http://evil|click&gt; &amp;',
    );
    expect(blocks).toContain('[NIK hidden]');

    // The citizen's answer to a question lands in the thread, escaped and masked too.
    await h.service.cases.act(
      c.trackingId,
      { type: 'request_info', note: 'Which RT?' },
      { type: 'staff', id: 'U0STAFF' },
    );
    await h.deliver();
    await h.service.bot.handle({
      channel: CITIZEN_CHANNEL,
      channelUserId: 'c1',
      conversationId: 'c1',
      messageId: 'answer-1',
      text: EVIL.repeat(40),
      receivedAt: h.clock(),
    });
    await h.deliver();
    const thread = h.fake
      .of('chat.postMessage')
      .filter((p) => p.args.thread_ts !== undefined)
      .map((p) => String(p.args.text));
    expect(thread.at(-1)).toMatch(/^The reporter sent more information/);
    expect(thread.at(-1)).toContain('[phone hidden]');
    const all = JSON.stringify(h.fake.calls.map((call) => call.args));
    for (const leak of [
      '<!channel>',
      '<@U123>',
      '<http://evil',
      '3201012345670001',
      '081234567890',
      'Siti',
    ]) {
      expect(all).not.toContain(leak);
    }
  });
});

/** Every mrkdwn text object in Block Kit blocks (any depth). */
function mrkdwnObjects(value: unknown): { text: string; verbatim?: boolean }[] {
  if (Array.isArray(value)) return value.flatMap(mrkdwnObjects);
  if (!value || typeof value !== 'object') return [];
  const o = value as Record<string, unknown>;
  const own =
    o.type === 'mrkdwn' && typeof o.text === 'string'
      ? [{ text: o.text, verbatim: o.verbatim === true }]
      : [];
  return [...own, ...Object.values(o).flatMap(mrkdwnObjects)];
}

/** The lines of mrkdwn that render as our own (not inside a citizen's quote). */
function ownLines(texts: string[]): string[] {
  return texts.flatMap((t) => t.split('\n')).filter((line) => !line.startsWith('> '));
}

describe("citizen text renders as the citizen's text", () => {
  const FORGED = '\n*Reporter*\nBapak Walikota · 0811000111\n*Status*\nResolved\n';
  const LIVE = ['<!channel>', '<!here>', '<@U123>', '<http://evil', '*Reporter*\nBapak'];

  test('a multi-line location or text cannot forge fields, mentions or links (message, thread, /suara show)', async () => {
    const c = await h.openCase({
      text: `Ada lubang${FORGED}@channel <!here> <@U123> <http://evil|innocent> *tebal* _miring_ ~coret~ \`kode\``,
      identity: 'anonymous',
      location: { text: `Jl. Melati 5${FORGED}`, lat: -6.2, lon: 106.8 },
    });
    const [post] = h.fake.of('chat.postMessage');
    const objects = mrkdwnObjects(post?.args.blocks);
    expect(objects.every((o) => o.verbatim)).toBe(true);
    const own = ownLines(objects.map((o) => o.text));
    // Our fields once each, and none of the citizen's words outside a quote.
    expect(own.filter((l) => l === '*Reporter*')).toHaveLength(1);
    expect(own.filter((l) => l === '*Status*')).toHaveLength(1);
    expect(own.join('\n')).not.toMatch(/Walikota|Resolved|Melati|lubang/);
    const quotedText = objects.map((o) => o.text).join('\n');
    expect(quotedText).toContain('Walikota');
    expect(quotedText).not.toMatch(/\*tebal\*|_miring_|~coret~|`kode`|(^|\s)@channel/);

    // The citizen's answer in the thread: every line of it quoted.
    await h.service.cases.act(
      c.trackingId,
      { type: 'request_info', note: 'Which RT?' },
      { type: 'staff', id: 'U0STAFF' },
    );
    await h.deliver();
    await h.service.bot.handle({
      channel: CITIZEN_CHANNEL,
      channelUserId: 'c1',
      conversationId: 'c1',
      messageId: 'forged-1',
      text: `RT 05${FORGED}<!channel>`,
      receivedAt: h.clock(),
    });
    await h.deliver();
    const line = String(h.fake.of('chat.postMessage').at(-1)?.args.text);
    expect(line).toMatch(/^The reporter sent more information/);
    expect(ownLines([line])).toHaveLength(1);

    // The same case shown by the slash command.
    const show = await h.command(PUPR, `show ${c.trackingId}`);
    const shown = mrkdwnObjects(JSON.parse(show.body).blocks);
    expect(ownLines(shown.map((o) => o.text)).join('\n')).not.toMatch(/Walikota|Resolved/);

    const all = JSON.stringify(h.fake.calls.map((call) => call.args)) + show.body;
    for (const live of LIVE) expect(all).not.toContain(JSON.stringify(live).slice(1, -1));
  });

  test("a named reporter's name cannot add lines to the reporter field", async () => {
    await h.openCase({
      identity: 'named',
      reporter: {
        channel: CITIZEN_CHANNEL,
        channelUserId: 'c1',
        conversationId: 'c1',
        name: 'Siti\n*Status*\nResolved <!channel>',
      },
    });
    const fields = mrkdwnObjects(h.fake.of('chat.postMessage')[0]?.args.blocks);
    const reporter = fields.find((f) => f.text.startsWith('*Reporter*'));
    expect(reporter?.text.split('\n')).toHaveLength(2);
    expect(ownLines(fields.map((f) => f.text)).filter((l) => l === '*Status*')).toHaveLength(1);
    expect(reporter?.text).not.toContain('<!channel>');
  });
});

describe('delivery failures', () => {
  test('429 from Slack: the outbox waits Retry-After, then posts once', async () => {
    h.fake.rateLimitNext('chat.postMessage', 30);
    const { case: c } = await h.service.cases.open(
      {
        kind: 'complaint',
        text: 'Got a pothole',
        language: 'en',
        category: 'roads_drainage',
        reporter: { channel: CITIZEN_CHANNEL, channelUserId: 'c1' },
        identity: 'named',
      },
      { type: 'citizen', id: 'c1' },
    );
    await h.deliver();
    const [m] = await h.service.backend.outbox.list({ channel: 'staff' });
    expect(m).toMatchObject({ status: 'pending', attempts: 1, lastError: 'rate limited' });
    expect(new Date(m?.nextAttemptAt ?? 0).getTime() - h.clock().getTime()).toBe(30_000);
    expect(await h.messageOf(c.trackingId)).toBeNull();

    h.clock.advance(30_000);
    await h.deliver();
    expect((await h.service.backend.outbox.list({ channel: 'staff' }))[0]?.status).toBe('sent');
    // One 429 and one real post.
    expect(h.fake.of('chat.postMessage')).toHaveLength(2);
    expect((await h.messageOf(c.trackingId))?.channel).toBe(PUPR);
  });

  test('channel_not_found: undeliverable, not retried', async () => {
    h.fake.missingChannels.add(PUPR);
    await h.openCase();
    const [m] = await h.service.backend.outbox.list({ channel: 'staff' });
    expect(m).toMatchObject({ status: 'undeliverable', lastError: 'channel_not_found' });
    expect(h.fake.of('chat.postMessage')).toHaveLength(1);
  });
});

describe('SLACK_LANGUAGE=id', () => {
  test('staff read Indonesian: labels, buttons and the masked text', async () => {
    const id = await startSlackService({ language: 'id' });
    try {
      await id.openCase({ text: 'Hubungi saya di 081234567890', identity: 'anonymous' });
      const [post] = id.fake.of('chat.postMessage');
      const blocks = JSON.stringify(post?.args.blocks);
      expect(blocks).toContain('Pengaduan');
      expect(blocks).toContain('Jalan, jembatan, dan saluran air');
      expect(blocks).toContain('Anonim (identitas tidak ditampilkan)');
      expect(blocks).toContain('Hubungi saya di [nomor telepon disamarkan]');
      expect(blocks).toContain('"Tindak lanjuti"');
      expect(blocks).toContain('"Balas pelapor"');
    } finally {
      await id.stop();
    }
  });
});

import { choicesOf } from './fake-connector';
import { BOT, type Harness, offers, says, startBotFramework } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startBotFramework();
});
afterAll(() => h.close());

describe('Bot Framework channel (anonymous mode, fake Bot Connector)', () => {
  test('a complaint filed in Indonesian gets a tracking id; its case keeps the conversation reference', async () => {
    const id = await h.fileComplaint('a:intake-1');
    const c = await h.service.backend.cases.get(id);
    expect(c?.reporter.channel).toBe('botframework');
    expect(c?.reporter.conversationId).toBe('a:intake-1');
    expect(c?.reporter.ref).toMatchObject({
      serviceUrl: h.connector.url,
      channelId: 'msteams',
      botId: BOT.id,
      tenantId: 'tenant-1',
    });
    const posted = h.connector.to('a:intake-1');
    // Replies answer the user's activity; the location step asks for an address in text.
    expect(posted.every((p) => p.replyToId?.startsWith('act-'))).toBe(true);
    expect(posted.map((p) => p.activity.text).join('\n')).toContain('tulis alamatnya');
    // Teams gets choices as card buttons (messageBack), plain text.
    const withChoices = posted.find((p) => choicesOf(p).includes('confirm'));
    expect(withChoices?.activity.attachments?.[0]?.contentType).toBe(
      'application/vnd.microsoft.card.hero',
    );
    expect(withChoices?.activity.textFormat).toBe('plain');
  });

  test('a status check by tracking id', async () => {
    const id = await h.fileComplaint('a:status-1');
    const got = await h.say('a:status-1', `status ${id}`, says(new RegExp(id)));
    expect(got.at(-1)?.activity.text).toMatch(/diterima|received/i);
  });

  test('other channels get suggested actions; a button value is the action', async () => {
    const conv = 'webchat-conv-1';
    const first = await h.deliver(
      h.activity(conv, {
        channelId: 'webchat',
        conversation: { id: conv },
        text: 'jalan berlubang besar di depan pasar, motor sering jatuh',
      }),
      offers('yes'),
    );
    const last = first.at(-1);
    expect(last?.activity.suggestedActions?.actions.map((a) => a.value?.action)).toContain('yes');
    expect(last?.activity.attachments ?? []).toEqual([]);
    // The button's value (not its label) moves the dialog on.
    await h.deliver(
      h.activity(conv, {
        channelId: 'webchat',
        conversation: { id: conv },
        text: 'Ya',
        value: { action: 'yes' },
      }),
      says(/lokasi/i),
    );
  });

  test('the same activity delivered twice has one effect', async () => {
    const conv = 'a:twice-1';
    const once = h.activity(conv, { text: 'halo' });
    const first = await h.post(once);
    expect(first.status).toBe(200);
    await h.connector.waitFor(() => h.connector.to(conv).length > 0);
    await h.service.dispatcher.runOnce();
    const count = h.connector.to(conv).length;
    const again = await h.post(once);
    expect(again.status).toBe(200);
    await h.service.dispatcher.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.connector.to(conv)).toHaveLength(count);
    const queued = await h.service.backend.outbox.list({ channel: 'botframework', limit: 1000 });
    expect(queued.filter((m) => m.recipient === conv)).toHaveLength(1);
  });

  test('a new user is greeted once, in their language', async () => {
    const conv = 'a:welcome-1';
    const update = (id: string) =>
      h.activity(conv, {
        type: 'conversationUpdate',
        id,
        locale: 'en-US',
        membersAdded: [BOT, { id: `29:${conv}` }],
      });
    await h.deliver(update('cu-1'), says(/.+/));
    await h.post(update('cu-2'));
    await h.service.dispatcher.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const posted = h.connector.to(conv);
    expect(posted.length).toBeGreaterThan(0);
    expect(posted.every((p) => p.replyToId === undefined)).toBe(true);
    expect(posted.map((p) => p.activity.text).join(' ')).toMatch(/^Hello/);
    const greetings = (await h.service.backend.outbox.list({ channel: 'botframework' })).filter(
      (m) => m.recipient === conv,
    );
    expect(greetings).toHaveLength(1);
  });

  test('Teams: installing the app in a personal chat (the bot is the member added) greets the user', async () => {
    const conv = 'a:install-1';
    await h.deliver(
      h.activity(conv, { type: 'conversationUpdate', membersAdded: [BOT] }),
      says(/^Halo/),
    );
  });

  test('in a group chat: only an @mention is answered, with one line pointing to a personal chat', async () => {
    const conv = '19:group-1@thread.v2';
    const group = { id: conv, conversationType: 'groupChat', isGroup: true, tenantId: 'tenant-1' };
    const ignored = await h.post(
      h.activity(conv, { conversation: group, text: 'jalan rusak di RT 3, nomor saya 0812345678' }),
    );
    expect(ignored.status).toBe(200);
    const mention = h.activity(conv, {
      conversation: group,
      text: '<at>Suara</at> jalan rusak, nomor saya 0812345678',
      entities: [{ type: 'mention', mentioned: BOT, text: '<at>Suara</at>' }],
    });
    const got = await h.deliver(mention, says(/chat pribadi/));
    expect(got).toHaveLength(1);
    expect(got[0]?.replyToId).toBe(mention.id);
    // Nothing of what was written in the group was kept.
    expect(
      await h.service.backend.ledger.getSession({ channel: 'botframework', conversationId: conv }),
    ).toBeNull();
    const all = JSON.stringify(await h.service.backend.outbox.list({ channel: 'botframework' }));
    expect(all).not.toContain('0812345678');
  });

  test('an activity that cannot be read is refused with 400 and nothing is done', async () => {
    const before = h.connector.posted.length;
    const res = await h.post({ type: 'message', text: 'halo' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_activity' } });
    const bad = await h.post(
      h.activity('a:bad', { serviceUrl: 'file:///etc/passwd', text: 'halo' }),
    );
    expect(bad.status).toBe(400);
    expect(h.connector.posted.length).toBe(before);
  });
});

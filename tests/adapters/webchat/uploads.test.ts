/**
 * Photo uploads (type and size limits) and a whole complaint filed through the web chat: typed
 * text, a photo, choices pressed as postBacks, then a status notification from the outbox.
 */
import { webchatMedia } from '../../../adapters/webchat';
import { openWebChatStore } from '../../../adapters/webchat/store';
import { MediaUnavailable } from '../../../src/media';
import {
  type Answer,
  botMessages,
  call,
  poll,
  postText,
  type Started,
  StreamClient,
  startConversation,
  startWebchat,
} from './helpers';

type Service = Awaited<ReturnType<typeof startWebchat>>;

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(1000, 7)]);
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(100, 1),
]);

async function upload(
  service: Service,
  s: Started,
  parts: { file?: { bytes: Buffer; type: string; name?: string }[]; activity?: unknown } = {},
): Promise<Answer> {
  const form = new FormData();
  for (const f of parts.file ?? []) {
    form.append('file', new Blob([f.bytes], { type: f.type }), f.name ?? 'foto.jpg');
  }
  if (parts.activity !== undefined) {
    // As Microsoft's client sends it: a JSON blob part.
    form.append(
      'activity',
      new Blob([JSON.stringify(parts.activity)], { type: 'application/vnd.microsoft.activity' }),
    );
  }
  const res = await fetch(
    `${service.api}/conversations/${s.conversationId}/upload?userId=whoever`,
    { method: 'POST', headers: { Authorization: `Bearer ${s.token}` }, body: form },
  );
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
}

describe('uploads', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startWebchat({ channel: { limits: { maxUploadsPerConversation: 3 } } });
  });
  afterAll(() => service.stop());

  test('a JPEG is stored, echoed as an attachment and answered', async () => {
    const s = await startConversation(service.api);
    const r = await upload(service, s, {
      file: [{ bytes: JPEG, type: 'image/jpeg' }],
      activity: { type: 'message', text: 'ini fotonya', attachments: [{ name: 'foto.jpg' }] },
    });
    expect(r.status).toBe(200);
    const acts = (await poll(service.api, s)).activities;
    expect(acts[0]).toMatchObject({
      id: r.body.id,
      text: 'ini fotonya',
      attachments: [{ contentType: 'image/jpeg', name: 'foto.jpg' }],
    });
    expect(botMessages(acts).every((a) => a.replyToId === r.body.id)).toBe(true);
    expect(botMessages(acts).length).toBeGreaterThan(0);
  });

  test('only JPEG, PNG or WebP by content, one file, at most 5 MB', async () => {
    const s = await startConversation(service.api);
    const png = await upload(service, s, { file: [{ bytes: PNG, type: 'image/png' }] });
    expect(png.status).toBe(200);
    const gif = await upload(service, s, {
      file: [{ bytes: Buffer.from('GIF89a0000000000'), type: 'image/gif' }],
    });
    expect(gif.status).toBe(415);
    expect(gif.body).toEqual({ error: { code: 'BadArgument', message: expect.any(String) } });
    const lying = await upload(service, s, {
      file: [{ bytes: Buffer.from('<script>alert(1)</script>'), type: 'image/jpeg' }],
    });
    expect(lying.status).toBe(415);
    const big = Buffer.concat([JPEG, Buffer.alloc(5 * 1024 * 1024)]);
    const tooBig = await upload(service, s, { file: [{ bytes: big, type: 'image/jpeg' }] });
    expect(tooBig.status).toBe(413);
    expect((tooBig.body.error as { code: string }).code).toBe('MessageSizeExceeded');
    const two = await upload(service, s, {
      file: [
        { bytes: JPEG, type: 'image/jpeg' },
        { bytes: JPEG, type: 'image/jpeg' },
      ],
    });
    expect(two.status).toBe(400);
    expect((await upload(service, s)).status).toBe(400);
    const notMultipart = await call(`${service.api}/conversations/${s.conversationId}/upload`, {
      method: 'POST',
      token: s.token,
      body: { file: 'x' },
    });
    expect(notMultipart.status).toBe(400);
    // Only the PNG made it into the conversation.
    const users = (await poll(service.api, s)).activities.filter(
      (a) => (a.from as { role?: string }).role === 'user',
    );
    expect(users).toHaveLength(1);
  });

  test('an activity part nested too deeply is refused with 400 and nothing is stored', async () => {
    const s = await startConversation(service.api);
    const form = new FormData();
    form.append('file', new Blob([JPEG], { type: 'image/jpeg' }), 'foto.jpg');
    const deep = `${'['.repeat(8000)}${']'.repeat(8000)}`;
    form.append(
      'activity',
      new Blob([`{"type": "message", "channelData": {"x": ${deep}}}`], {
        type: 'application/vnd.microsoft.activity',
      }),
    );
    const res = await fetch(`${service.api}/conversations/${s.conversationId}/upload`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${s.token}` },
      body: form,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: 'BadArgument', message: expect.stringMatching(/nest at most 32/) },
    });
    expect((await poll(service.api, s)).activities).toEqual([]);
  });

  test('a conversation may upload a bounded number of photos; another token cannot upload', async () => {
    const s = await startConversation(service.api);
    for (let i = 0; i < 3; i++) {
      expect(
        (await upload(service, s, { file: [{ bytes: JPEG, type: 'image/jpeg' }] })).status,
      ).toBe(200);
    }
    const fourth = await upload(service, s, { file: [{ bytes: JPEG, type: 'image/jpeg' }] });
    expect(fourth.status).toBe(403);
    const other = await startConversation(service.api);
    const foreign = await upload(
      service,
      { ...other, conversationId: s.conversationId },
      {
        file: [{ bytes: JPEG, type: 'image/jpeg' }],
      },
    );
    expect(foreign.status).toBe(403);
  });
});

describe('a complaint filed through the web chat', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startWebchat();
  });
  afterAll(() => service.stop());

  /** Sends text and returns the bot's replies to it. */
  async function say(s: Started, text: string, extra: Record<string, unknown> = {}) {
    const before = (await poll(service.api, s)).watermark;
    const r = await postText(service.api, s, text, extra);
    expect(r.status).toBe(200);
    return botMessages((await poll(service.api, s, before)).activities);
  }

  test('text, a photo and choices make a case; staff progress reaches the reopened chat', async () => {
    const s = await startConversation(service.api);
    await say(s, 'jalan depan rumah saya berlubang besar sudah dua bulan, banyak motor jatuh');
    await say(s, 'ya');
    const askPhoto = await say(s, 'Jl. Melati No. 5, RT 02/RW 03, Kel. Sukamaju');
    expect(askPhoto.map((a) => a.text).join(' ')).toMatch(/foto/i);
    const before = (await poll(service.api, s)).watermark;
    expect((await upload(service, s, { file: [{ bytes: JPEG, type: 'image/jpeg' }] })).status).toBe(
      200,
    );
    expect(botMessages((await poll(service.api, s, before)).activities).length).toBeGreaterThan(0);
    await say(s, 'terbuka');
    const summary = await say(s, 'lewati');
    const confirm = summary
      .flatMap(
        (a) => (a.suggestedActions as { actions: { value: string }[] } | undefined)?.actions ?? [],
      )
      .find((a) => /confirm/.test(a.value));
    expect(confirm).toBeDefined();
    const done = await say(s, String(confirm?.value), { channelData: { postBack: true } });
    const text = done.map((a) => a.text).join('\n');
    const trackingId = /[A-Z]{3}-[0-9A-Z]{6}/.exec(text)?.[0];
    expect(trackingId).toBeDefined();

    const filed = await service.backend.cases.get(String(trackingId));
    expect(filed?.reporter).toMatchObject({ channel: 'webchat', conversationId: s.conversationId });
    expect(filed?.attachments).toEqual([
      { kind: 'photo', ref: expect.stringMatching(/^webchat:/), mimeType: 'image/jpeg' },
    ]);
    // Staff open it through the web chat's media source (the staff API's download).
    const chats = openWebChatStore(service.backend.engine, () => new Date());
    const file = await webchatMedia(chats).open(
      String(filed?.attachments[0]?.ref),
      AbortSignal.timeout(5000),
    );
    expect(file.mimeType).toBe('image/jpeg');
    expect(Buffer.from(await new Response(file.body).arrayBuffer())).toEqual(JPEG);
    await expect(
      webchatMedia(chats).open('webchat:not-an-upload', AbortSignal.timeout(5000)),
    ).rejects.toThrow(MediaUnavailable);

    // The visitor leaves; staff verify the case.
    const seen = (await poll(service.api, s)).watermark;
    await service.cases.act(
      String(trackingId),
      { type: 'verify' },
      { type: 'staff', id: 'u-staff' },
    );
    await service.dispatcher.runOnce();
    const again = await call(`${service.api}/conversations/${s.conversationId}?watermark=${seen}`, {
      token: s.token,
    });
    const ws = new StreamClient(String(again.body.streamUrl));
    await ws.opened;
    await ws.until((c) => c.activities().length > 0);
    ws.close();
    expect(ws.activities()[0]).toMatchObject({
      from: { id: 'suara' },
      text: expect.stringContaining(`${trackingId} sudah diverifikasi`),
    });
  });
});

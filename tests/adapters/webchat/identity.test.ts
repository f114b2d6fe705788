/**
 * Who a web chat citizen is: the conversation (and its resume token), or a user id vouched for by
 * the holder of DIRECTLINE_SECRET — never a user id a browser sends. A visitor who knows someone
 * else's id (it used to be readable in every token) gets none of their reports.
 */
import {
  botMessages,
  call,
  poll,
  postText,
  type Started,
  startWebchat,
  startWebchatWithSecret,
} from './helpers';

type Service = Awaited<ReturnType<typeof startWebchat>>;

/** Sends text (with `extra` activity fields) and returns the text of the bot's replies. */
async function say(
  service: Service,
  s: Started,
  text: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const before = (await poll(service.api, s)).watermark;
  const r = await postText(service.api, s, text, extra);
  expect(r.status).toBe(200);
  const replies = botMessages((await poll(service.api, s, before)).activities);
  return replies.map((a) => String(a.text)).join('\n');
}

/** Files a confidential pothole report through the chat; returns its tracking id. */
async function fileReport(service: Service, s: Started): Promise<string> {
  await say(
    service,
    s,
    'jalan depan rumah saya berlubang besar sudah dua bulan, banyak motor jatuh',
  );
  await say(service, s, 'ya');
  await say(service, s, 'Jl. Melati No. 5, RT 02/RW 03, Kel. Sukamaju');
  await say(service, s, 'lewati'); // no photo
  await say(service, s, 'rahasia');
  const before = (await poll(service.api, s)).watermark;
  await postText(service.api, s, 'lewati'); // no contact
  const summary = botMessages((await poll(service.api, s, before)).activities);
  const confirm = summary
    .flatMap(
      (a) => (a.suggestedActions as { actions: { value: string }[] } | undefined)?.actions ?? [],
    )
    .find((a) => /confirm/.test(a.value));
  expect(confirm).toBeDefined();
  const done = await say(service, s, String(confirm?.value), { channelData: { postBack: true } });
  const id = /[A-Z]{3}-[0-9A-Z]{6}/.exec(done)?.[0];
  expect(id).toBeDefined();
  return String(id);
}

/** A conversation as a page gets one: tokens/generate (optionally naming a user), then start. */
async function open(
  service: Service,
  init: { user?: { id: string }; secret?: string } = {},
): Promise<Started> {
  const g = await call(`${service.api}/tokens/generate`, {
    method: 'POST',
    ...(init.secret ? { token: init.secret } : {}),
    ...(init.user ? { body: { user: init.user } } : {}),
  });
  expect(g.status).toBe(200);
  const c = await call(`${service.api}/conversations`, {
    method: 'POST',
    token: String(g.body.token),
    ...(init.user ? { body: { user: init.user } } : {}),
  });
  expect(c.status).toBe(201);
  return {
    conversationId: String(c.body.conversationId),
    token: String(c.body.token),
    streamUrl: String(c.body.streamUrl),
  };
}

const staff = { type: 'staff', id: 'U-OFFICER' } as const;
const NOTE = 'Lubang sudah ditambal oleh tim UPT Jalan Wilayah 2.';

describe('a browser-sent user id is no identity', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startWebchat();
  });
  afterAll(() => service.stop());

  test('a client forging the victim user id sees none of their reports, no details, and cannot resolve or reopen them; the victim still can', async () => {
    // The victim's widget keeps its own dl_ id (in localStorage) and sends it at generate.
    const victimId = 'dl_0123456789abcdef01234567';
    const victim = await open(service, { user: { id: victimId } });
    const trackingId = await fileReport(service, victim);
    await service.cases.act(trackingId, { type: 'verify' }, staff);
    await service.cases.act(trackingId, { type: 'start' }, staff);
    await service.cases.act(trackingId, { type: 'resolve', note: NOTE }, staff);
    await service.dispatcher.runOnce();
    const agency = await service.backend.cases.get(trackingId);
    expect(agency?.status).toBe('resolved');

    // The attacker knows the victim's id and claims it at generate, at start and in `from`.
    const attacker = await open(service, { user: { id: victimId } });
    const as = { from: { id: victimId, role: 'user' } };
    const mine = await say(service, attacker, 'laporan saya', as);
    expect(mine).not.toContain(trackingId);
    expect(mine).toMatch(/Belum ada laporan/);
    const status = await say(service, attacker, `status ${trackingId}`, as);
    expect(status).toContain('Detail laporan hanya dapat dilihat oleh pelapor');
    expect(status).not.toContain('Instansi');
    expect(status).not.toContain(NOTE);
    const notDone = await say(service, attacker, 'belum, masih berlubang', as);
    expect(notDone).not.toContain(trackingId);
    const done = await say(service, attacker, 'sudah beres', as);
    expect(done).not.toMatch(/Beri nilai/);
    await say(service, attacker, '1', as);
    await say(service, attacker, `resolved:not_done:${trackingId}`, {
      ...as,
      channelData: { postBack: true },
    });
    expect((await service.backend.cases.get(trackingId))?.status).toBe('resolved');

    // The victim, in their own conversation, sees and answers their report.
    const own = await say(service, victim, 'laporan saya');
    expect(own).toContain(trackingId);
    const ownStatus = await say(service, victim, `status ${trackingId}`);
    expect(ownStatus).toContain('Instansi');
    expect(ownStatus).toContain(NOTE);
    const reopened = await say(service, victim, 'belum, masih berlubang');
    expect(reopened).toContain(trackingId);
    expect((await service.backend.cases.get(trackingId))?.status).toBe('reopened');
  });

  test('the browser label is still echoed as from.id, and a resumed conversation is the same citizen', async () => {
    const label = 'dl_fedcba9876543210fedcba98';
    const g = await call(`${service.api}/tokens/generate`, {
      method: 'POST',
      body: { user: { id: label } },
    });
    const s = {
      conversationId: String(g.body.conversationId),
      token: String(g.body.token),
      streamUrl: '',
    };
    const trackingId = await fileReport(service, s);
    const [echo] = (await poll(service.api, s)).activities;
    expect(echo?.from).toMatchObject({ id: label, role: 'user' });
    // Back after a reload or days later: the resume token gives the same conversation.
    const resumed = await call(`${service.api}/tokens/resume`, {
      method: 'POST',
      token: String(g.body.resume_token),
    });
    expect(resumed.status).toBe(200);
    const back = { ...s, token: String(resumed.body.token) };
    expect(await say(service, back, 'laporan saya')).toContain(trackingId);
  });
});

describe('a user id vouched for by the secret holder', () => {
  let service: Service;
  const secret = 'site-backend-secret-0123456789';
  beforeAll(async () => {
    service = await startWebchatWithSecret(secret);
  });
  afterAll(() => service.stop());

  test('is the citizen in every conversation the back end starts for them, and only there', async () => {
    const first = await open(service, { secret, user: { id: 'warga-3201' } });
    const trackingId = await fileReport(service, first);
    // Another day, another conversation the back end opens for the same logged-in citizen.
    const later = await open(service, { secret, user: { id: 'warga-3201' } });
    expect(later.conversationId).not.toBe(first.conversationId);
    expect(await say(service, later, 'laporan saya')).toContain(trackingId);
    // Someone else's conversation (even one whose page posts that id in `from`) sees nothing.
    const other = await open(service, { secret, user: { id: 'warga-9999' } });
    const theirs = await say(service, other, 'laporan saya', { from: { id: 'warga-3201' } });
    expect(theirs).not.toContain(trackingId);
    const anonymous = await open(service, { secret });
    expect(await say(service, anonymous, 'laporan saya')).not.toContain(trackingId);
  });
});

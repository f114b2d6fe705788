/**
 * The Direct Line REST endpoints: tokens (expiry, binding to one conversation, secret mode),
 * watermarks, size limits, rate limits, origins and the Direct Line error shape.
 */
import { testConfig } from '../../support/config';
import { manualClock } from '../../support/fixtures';
import {
  type Answer,
  botMessages,
  call,
  delivered,
  poll,
  postText,
  StreamClient,
  startConversation,
  startWebchat,
  startWebchatWithSecret,
} from './helpers';

type Service = Awaited<ReturnType<typeof startWebchat>>;

function expectError(r: Answer, status: number, code: string, message?: RegExp) {
  expect(r.status).toBe(status);
  expect(r.body).toEqual({ error: { code, message: expect.any(String) } });
  if (message) expect((r.body.error as { message: string }).message).toMatch(message);
}

describe('tokens and conversations', () => {
  let service: Service;
  const clock = manualClock();
  beforeAll(async () => {
    service = await startWebchat({ clock });
  });
  afterAll(() => service.stop());

  test('generate gives a 30-minute token that POST /conversations turns into a stream URL', async () => {
    const g = await call(`${service.api}/tokens/generate`, { method: 'POST' });
    expect(g.status).toBe(200);
    expect(g.body).toEqual({
      conversationId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      token: expect.any(String),
      expires_in: 1800,
      resume_token: expect.any(String),
    });
    const c = await call(`${service.api}/conversations`, {
      method: 'POST',
      token: String(g.body.token),
      body: { user: { id: 'dl_someone_else_entirely' } },
    });
    expect(c.status).toBe(201);
    expect(c.body.conversationId).toBe(g.body.conversationId);
    expect(c.body.expires_in).toBe(1800);
    expect(String(c.body.streamUrl)).toMatch(
      new RegExp(
        `^ws://127\\.0\\.0\\.1:${service.port}/v3/directline/conversations/${g.body.conversationId}/stream\\?t=[^&]+&watermark=$`,
      ),
    );
  });

  test('an expired token is refused with 403; a refreshed one keeps the conversation', async () => {
    const s = await startConversation(service.api);
    clock.advance(20 * 60_000);
    const refreshed = await call(`${service.api}/tokens/refresh`, {
      method: 'POST',
      token: s.token,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.conversationId).toBe(s.conversationId);
    expect(refreshed.body.expires_in).toBe(1800);
    clock.advance(10 * 60_000 + 1000); // the first token is now 30 min + 1 s old

    const old = await call(`${service.api}/conversations/${s.conversationId}/activities`, {
      token: s.token,
    });
    expectError(old, 403, 'Forbidden', /expired/);
    const again = await call(`${service.api}/tokens/refresh`, { method: 'POST', token: s.token });
    expectError(again, 403, 'Forbidden', /expired/);

    const fresh = { ...s, token: String(refreshed.body.token) };
    expect((await postText(service.api, fresh, 'halo')).status).toBe(200);
    expect(botMessages((await poll(service.api, fresh)).activities).length).toBeGreaterThan(0);
  });

  test('a visitor back after the token expired resumes the same conversation, with what staff sent meanwhile; for 30 days from its start', async () => {
    const g = await call(`${service.api}/tokens/generate`, { method: 'POST' });
    const s = {
      conversationId: String(g.body.conversationId),
      token: String(g.body.token),
      streamUrl: '',
    };
    const resume = String(g.body.resume_token);
    await postText(service.api, s, 'halo');
    const seen = (await poll(service.api, s)).watermark;

    clock.advance(3 * 24 * 3600_000); // three days later
    await service.backend.outbox.enqueue(
      [
        {
          idempotencyKey: 'citizen:ADU-7K3M9Q#3',
          channel: 'webchat',
          recipient: s.conversationId,
          payload: { text: 'Laporan ADU-7K3M9Q sedang ditindaklanjuti.' },
        },
      ],
      clock(),
    );
    await service.dispatcher.runOnce();
    expectError(
      await call(`${service.api}/tokens/refresh`, { method: 'POST', token: s.token }),
      403,
      'Forbidden',
      /expired/,
    );

    // A resume token is no conversation token, and a conversation token does not resume.
    const asToken = await call(`${service.api}/conversations/${s.conversationId}/activities`, {
      token: resume,
    });
    expectError(asToken, 403, 'Forbidden', /cannot be used here/);
    const fresh = await call(`${service.api}/tokens/generate`, { method: 'POST' });
    const wrongKind = await call(`${service.api}/tokens/resume`, {
      method: 'POST',
      token: String(fresh.body.token),
    });
    expectError(wrongKind, 403, 'Forbidden', /cannot be used here/);
    expectError(
      await call(`${service.api}/tokens/resume`, { method: 'POST' }),
      401,
      'Unauthorized',
    );

    const resumed = await call(`${service.api}/tokens/resume`, { method: 'POST', token: resume });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toEqual({
      conversationId: s.conversationId,
      token: expect.any(String),
      expires_in: 1800,
      resume_token: expect.any(String),
    });
    const back = { ...s, token: String(resumed.body.token) };
    const missed = await poll(service.api, back, seen);
    expect(botMessages(missed.activities).map((a) => a.text)).toEqual([
      'Laporan ADU-7K3M9Q sedang ditindaklanjuti.',
    ]);
    expect((await postText(service.api, back, 'terima kasih')).status).toBe(200);

    // Renewing never stretches it: 30 days after the conversation started, both have ended.
    clock.advance(27 * 24 * 3600_000 - 60_000);
    const late = await call(`${service.api}/tokens/resume`, {
      method: 'POST',
      token: String(resumed.body.resume_token),
    });
    expect(late.status).toBe(200);
    clock.advance(60_000 + 1000);
    for (const t of [resume, String(resumed.body.resume_token), String(late.body.resume_token)]) {
      expectError(
        await call(`${service.api}/tokens/resume`, { method: 'POST', token: t }),
        403,
        'Forbidden',
        /expired/,
      );
    }
  });

  test('a token for conversation A never reads or writes conversation B', async () => {
    const a = await startConversation(service.api);
    const b = await startConversation(service.api);
    await postText(service.api, b, 'halo');
    const url = `${service.api}/conversations/${b.conversationId}`;
    expectError(await call(`${url}/activities`, { token: a.token }), 403, 'Forbidden', /another/);
    expectError(
      await call(`${url}/activities`, {
        method: 'POST',
        token: a.token,
        body: { type: 'message', text: 'halo' },
      }),
      403,
      'Forbidden',
    );
    expectError(await call(url, { token: a.token }), 403, 'Forbidden');
    // A's stream token does not open B's stream either.
    const bStream = a.streamUrl.replace(a.conversationId, b.conversationId);
    await expect(new StreamClient(bStream).opened).rejects.toThrow('HTTP 403');
    // B has only its own activities, and A wrote nothing there.
    const bActivities = (await poll(service.api, b)).activities;
    expect(bActivities[0]?.text).toBe('halo');
    for (const x of bActivities) expect(x.conversation).toEqual({ id: b.conversationId });
    expect(bActivities.filter((x) => x.text === 'halo')).toHaveLength(1);
  });

  test('missing, forged and stream tokens are refused', async () => {
    const s = await startConversation(service.api);
    const url = `${service.api}/conversations/${s.conversationId}/activities`;
    expectError(await call(url), 401, 'Unauthorized');
    const [body, sig] = s.token.split('.');
    const forged = Buffer.from(String(body), 'base64url')
      .toString()
      .replace(s.conversationId, 'AAAAAAAAAAAAAAAAAAAAAA');
    expectError(
      await call(url, { token: `${Buffer.from(forged).toString('base64url')}.${sig}` }),
      403,
      'Forbidden',
      /invalid/,
    );
    expectError(await call(url, { token: 'not-a-token' }), 403, 'Forbidden');
    const streamToken = String(new URL(s.streamUrl).searchParams.get('t'));
    expectError(await call(url, { token: streamToken }), 403, 'Forbidden');
  });

  test('unknown routes and conversations answer NotFound in the Direct Line shape', async () => {
    expectError(await call(`${service.api}/nope`), 404, 'NotFound');
    const s = await startConversation(service.api);
    expectError(
      await call(`${service.api}/conversations/..%2Fx`, { token: s.token }),
      404,
      'NotFound',
    );
  });
});

describe('watermarks', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startWebchat();
  });
  afterAll(() => service.stop());

  test('each poll returns what came after the watermark, with the echo first', async () => {
    const s = await startConversation(service.api);
    const empty = await poll(service.api, s);
    expect(empty).toEqual({ activities: [], watermark: '0' });

    const posted = await postText(service.api, s, 'halo');
    expect(posted.status).toBe(200);
    const first = await poll(service.api, s);
    const [echo, ...replies] = first.activities;
    expect(echo).toMatchObject({
      id: posted.body.id,
      type: 'message',
      text: 'halo',
      from: { role: 'user' },
    });
    expect(replies.length).toBeGreaterThan(0);
    for (const r of replies) {
      expect(r).toMatchObject({ from: { id: 'suara' }, replyToId: posted.body.id });
    }
    expect(first.watermark).toBe(String(first.activities.length));
    expect(first.activities.map((a) => a.id)).toEqual(
      first.activities.map((_, i) => `${s.conversationId}|${String(i + 1).padStart(7, '0')}`),
    );

    // Nothing new: same watermark, no activities.
    expect(await poll(service.api, s, first.watermark)).toEqual({
      activities: [],
      watermark: first.watermark,
    });
    const second = await postText(service.api, s, 'terima kasih');
    const next = await poll(service.api, s, first.watermark);
    expect(next.activities[0]).toMatchObject({ id: second.body.id, text: 'terima kasih' });
    expect(next.activities.every((a) => !first.activities.some((f) => f.id === a.id))).toBe(true);
    expect(Number(next.watermark)).toBeGreaterThan(Number(first.watermark));

    // An older watermark gets everything after it again (a reconnecting client).
    const fromOne = await poll(service.api, s, '1');
    expect(fromOne.activities.map((a) => a.id)).toEqual(
      [...first.activities, ...next.activities].slice(1).map((a) => a.id),
    );
  });

  test('a watermark beyond the newest counts as the newest; a bad one is refused', async () => {
    const s = await startConversation(service.api);
    await postText(service.api, s, 'halo');
    const ahead = await poll(service.api, s, '999');
    expect(ahead.activities).toEqual([]);
    const now = Number(ahead.watermark);
    expect(now).toBeGreaterThan(0);
    await postText(service.api, s, 'menu');
    // The client keeps the watermark it was given and gets what came next.
    expect((await poll(service.api, s, ahead.watermark)).activities[0]).toMatchObject({
      text: 'menu',
    });
    expectError(
      await call(`${service.api}/conversations/${s.conversationId}/activities?watermark=abc`, {
        token: s.token,
      }),
      400,
      'BadArgument',
    );
  });

  test('a message resent with the same clientActivityID is stored and answered once', async () => {
    const s = await startConversation(service.api);
    const channelData = { clientActivityID: 'abc-123' };
    const one = await postText(service.api, s, 'halo', { channelData });
    const two = await postText(service.api, s, 'halo', { channelData });
    expect(two.body.id).toBe(one.body.id);
    const all = (await poll(service.api, s)).activities;
    expect(all.filter((a) => a.text === 'halo')).toHaveLength(1);
    expect(all.filter((a) => a.replyToId === one.body.id).length).toBe(all.length - 1);
  });
});

describe('limits', () => {
  let service: Service;
  const clock = manualClock();
  beforeAll(async () => {
    service = await startWebchat({
      clock,
      channel: {
        limits: {
          perConversation: { burst: 3, perMs: 60_000 },
          tokensPerIp: { burst: 12, perMs: 60_000 },
        },
      },
    });
  });
  afterAll(() => service.stop());

  test('text over 2,000 characters and bodies over 16 KB answer 413 MessageSizeExceeded', async () => {
    clock.advance(60_000);
    const s = await startConversation(service.api);
    expectError(await postText(service.api, s, 'a'.repeat(2001)), 413, 'MessageSizeExceeded');
    expectError(
      await postText(service.api, s, 'halo', { channelData: { pad: 'x'.repeat(17 * 1024) } }),
      413,
      'MessageSizeExceeded',
    );
    expect((await postText(service.api, s, `${'😀'.repeat(1000)}`)).status).toBe(200);
    const bad = await call(`${service.api}/conversations/${s.conversationId}/activities`, {
      method: 'POST',
      token: s.token,
      body: '{"type": "message", ',
    });
    expectError(bad, 400, 'BadArgument', /JSON/);
    expectError(
      await call(`${service.api}/conversations/${s.conversationId}/activities`, {
        method: 'POST',
        token: s.token,
        body: { text: 'no type' },
      }),
      400,
      'BadArgument',
    );
    // Nothing refused was stored.
    const stored = (await poll(service.api, s)).activities.filter(
      (a) => a.from && (a.from as { role?: string }).role === 'user',
    );
    expect(stored).toHaveLength(1);
  });

  test('a JSON body in another charset than UTF-8 answers 415 BadArgument, not 500', async () => {
    clock.advance(60_000);
    const s = await startConversation(service.api);
    const latin1 = await call(`${service.api}/conversations/${s.conversationId}/activities`, {
      method: 'POST',
      token: s.token,
      headers: { 'Content-Type': 'application/json; charset=latin1' },
      body: '{"type": "message", "text": "halo"}',
    });
    expectError(latin1, 415, 'BadArgument', /UTF-8/);
    expect((await poll(service.api, s)).activities).toEqual([]);
  });

  test('a conversation sending too fast gets 429 with Retry-After, then may send again', async () => {
    clock.advance(60_000);
    const s = await startConversation(service.api);
    for (let i = 0; i < 3; i++) expect((await postText(service.api, s, 'halo')).status).toBe(200);
    const refused = await postText(service.api, s, 'halo');
    expectError(refused, 429, 'TooManyRequests');
    expect(Number(refused.headers.get('retry-after'))).toBe(20);
    // Another conversation is not affected.
    const other = await startConversation(service.api);
    expect((await postText(service.api, other, 'halo')).status).toBe(200);
    clock.advance(20_000);
    expect((await postText(service.api, s, 'halo')).status).toBe(200);
    expect((await postText(service.api, s, 'halo')).status).toBe(429);
  });

  test('one IP asking for too many tokens gets 429', async () => {
    clock.advance(60_000);
    const answers: number[] = [];
    for (let i = 0; i < 13; i++) {
      answers.push((await call(`${service.api}/tokens/generate`, { method: 'POST' })).status);
    }
    expect(answers.slice(0, 12).every((s) => s === 200)).toBe(true);
    expect(answers[12]).toBe(429);
  });
});

describe('nesting and body sizes', () => {
  let service: Service;
  /** Allows bodies far larger than the default, to show that depth is checked on its own. */
  let roomy: Service;
  beforeAll(async () => {
    service = await startWebchat();
    roomy = await startWebchat({ channel: { limits: { maxBodyBytes: 1024 * 1024 } } });
  });
  afterAll(async () => {
    await service.stop();
    await roomy.stop();
  });

  const nested = (depth: number, open = '[', close = ']') =>
    `${open.repeat(depth)}${close.repeat(depth)}`;
  const activityWith = (channelData: string) =>
    `{"type": "message", "text": "halo", "channelData": {"deep": ${channelData}}}`;

  test('an activity nested deeper than 32 levels is refused with 400, never a 500', async () => {
    const s = await startConversation(service.api);
    const post = (body: string) =>
      call(`${service.api}/conversations/${s.conversationId}/activities`, {
        method: 'POST',
        token: s.token,
        body,
      });
    // channelData (1) and "deep" (2) plus 30 arrays: 32 levels are fine, 33 are not.
    expect((await post(activityWith(nested(30)))).status).toBe(200);
    expectError(await post(activityWith(nested(31))), 400, 'BadArgument', /nest at most 32/);
    // As deep as 16 KB allows: 8,000 arrays, or objects, anywhere in the activity.
    expectError(await post(activityWith(nested(8000))), 400, 'BadArgument', /nest/);
    const objects = `${'{"a":'.repeat(2500)}1${'}'.repeat(2500)}`;
    expectError(await post(`{"type": "message", "value": ${objects}}`), 400, 'BadArgument');
    // Brackets inside strings are text, not nesting.
    const text = `${'['.repeat(1000)} \\ " ${'{'.repeat(900)}`;
    expect((await post(JSON.stringify({ type: 'message', text }))).status).toBe(200);
    // The service still answers, and nothing refused was stored.
    const stored = (await poll(service.api, s)).activities.filter(
      (a) => (a.from as { role?: string } | undefined)?.role === 'user',
    );
    expect(stored).toHaveLength(2);
  });

  test('100,000 nested arrays or objects are refused by depth, even where the size is allowed', async () => {
    const s = await startConversation(roomy.api);
    const url = `${roomy.api}/conversations/${s.conversationId}/activities`;
    for (const deep of [nested(100_000), nested(100_000, '{"a":', '}')]) {
      const r = await call(url, { method: 'POST', token: s.token, body: activityWith(deep) });
      expectError(r, 400, 'BadArgument', /nest at most 32/);
    }
    expect((await postText(roomy.api, s, 'halo')).status).toBe(200);
  });

  test('token calls take small bodies only; nested ones are refused too', async () => {
    const generate = (body: string) =>
      call(`${service.api}/tokens/generate`, { method: 'POST', body });
    const padded = JSON.stringify({ user: { name: 'Sari' }, pad: 'x'.repeat(5000) });
    expectError(await generate(padded), 413, 'MessageSizeExceeded', /4 KB/);
    expectError(await generate(`{"user": ${nested(1000)}}`), 400, 'BadArgument', /nest/);
    expect((await generate(JSON.stringify({ user: { name: 'Sari' } }))).status).toBe(200);
    const s = await startConversation(service.api);
    const refresh = await call(`${service.api}/tokens/refresh`, {
      method: 'POST',
      token: s.token,
      body: padded,
    });
    expectError(refresh, 413, 'MessageSizeExceeded');
  });
});

describe('secret mode', () => {
  let service: Service;
  const secret = 'site-backend-secret-0123456789';
  beforeAll(async () => {
    service = await startWebchatWithSecret(secret);
  });
  afterAll(() => service.stop());

  test('generate requires the secret; the back end may name the user', async () => {
    const url = `${service.api}/tokens/generate`;
    expectError(await call(url, { method: 'POST' }), 401, 'Unauthorized');
    expectError(await call(url, { method: 'POST', token: `${secret}x` }), 403, 'Forbidden');
    const g = await call(url, {
      method: 'POST',
      token: secret,
      body: { user: { id: 'nik-3201', name: 'Sari' } },
    });
    expect(g.status).toBe(200);
    const c = await call(`${service.api}/conversations`, {
      method: 'POST',
      token: String(g.body.token),
    });
    const s = {
      conversationId: String(c.body.conversationId),
      token: String(c.body.token),
      streamUrl: '',
    };
    await postText(service.api, s, 'halo');
    const [echo] = (await poll(service.api, s)).activities;
    expect(echo?.from).toEqual({ id: 'nik-3201', name: 'Sari', role: 'user' });
  });

  test('a name of lone surrogates is dropped, so the longest user id still gets a working token', async () => {
    const g = await call(`${service.api}/tokens/generate`, {
      method: 'POST',
      token: secret,
      body: { user: { id: 'u'.repeat(64), name: '\ud800'.repeat(100) } },
    });
    expect(g.status).toBe(200);
    const c = await call(`${service.api}/conversations`, {
      method: 'POST',
      token: String(g.body.token),
    });
    expect(c.status).toBe(201);
    expect(c.body.conversationId).toBe(g.body.conversationId);
  });

  test('the secret itself starts a conversation and reads any', async () => {
    const c = await call(`${service.api}/conversations`, { method: 'POST', token: secret });
    expect(c.status).toBe(201);
    const id = String(c.body.conversationId);
    const posted = await call(`${service.api}/conversations/${id}/activities`, {
      method: 'POST',
      token: secret,
      body: { type: 'message', text: 'halo' },
    });
    expect(posted.status).toBe(200);
    await delivered();
    const read = await call(`${service.api}/conversations/${id}/activities`, { token: secret });
    expect((read.body.activities as unknown[]).length).toBeGreaterThan(1);
    expectError(
      await call(`${service.api}/conversations/AAAAAAAAAAAAAAAAAAAAAA/activities`, {
        token: secret,
      }),
      404,
      'NotFound',
    );
  });
});

describe('origins and user ids without the secret', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startWebchat({
      config: {
        webchat: {
          ...testConfig().webchat,
          directLineSecret: null,
          allowedOrigins: ['https://kota.go.id'],
          tokenSecret: 'test-webchat-token-secret-0123456789abcdef',
        },
      },
    });
  });
  afterAll(() => service.stop());

  const generate = (origin?: string, body?: unknown) =>
    call(`${service.api}/tokens/generate`, {
      method: 'POST',
      headers: origin ? { Origin: origin } : {},
      body,
    });

  test('allowed origins, localhost, the own host and no origin get tokens; others 403', async () => {
    const allowed = await generate('https://kota.go.id');
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://kota.go.id');
    expect((await generate('http://localhost:8080')).status).toBe(200);
    expect((await generate(`http://127.0.0.1:${service.port}`)).status).toBe(200);
    expect((await generate()).status).toBe(200);
    const evil = await generate('https://evil.example');
    expectError(evil, 403, 'Forbidden', /origin/);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect((await generate('https://kota.go.id.evil.example')).status).toBe(403);
    expect((await generate('null')).status).toBe(403);
  });

  test('preflight: answered for allowed origins, refused for others', async () => {
    const preflight = (origin: string) =>
      fetch(`${service.api}/conversations/x/activities`, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization,content-type',
        },
      });
    const ok = await preflight('https://kota.go.id');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://kota.go.id');
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(ok.headers.get('access-control-allow-methods')).toMatch(/POST/);
    const evil = await preflight('https://evil.example');
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('a page on another origin cannot open the stream', async () => {
    const s = await startConversation(service.api);
    await expect(
      new StreamClient(s.streamUrl, { Origin: 'https://evil.example' }).opened,
    ).rejects.toThrow('HTTP 403');
    const ok = new StreamClient(s.streamUrl, { Origin: 'https://kota.go.id' });
    await ok.opened;
    ok.close();
    await ok.closed;
  });

  test('a browser may bring a random dl_ user id, not a guessable one', async () => {
    const mine = 'dl_0123456789abcdef01234567';
    const g = await generate('https://kota.go.id', { user: { id: mine } });
    expect(g.status).toBe(200);
    const c = await call(`${service.api}/conversations`, {
      method: 'POST',
      token: String(g.body.token),
    });
    const s = {
      conversationId: String(c.body.conversationId),
      token: String(c.body.token),
      streamUrl: '',
    };
    await postText(service.api, s, 'halo');
    expect((await poll(service.api, s)).activities[0]?.from).toMatchObject({ id: mine });
    expectError(await generate(undefined, { user: { id: '1001' } }), 400, 'BadArgument', /dl_/);
    // Without one, the server picks a random dl_ id.
    const anon = await startConversation(service.api);
    await postText(service.api, anon, 'halo');
    const from = (await poll(service.api, anon)).activities[0]?.from as { id: string };
    expect(from.id).toMatch(/^dl_[0-9a-f]{24}$/);
  });
});

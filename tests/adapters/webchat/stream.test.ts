/**
 * The WebSocket stream: ActivitySets from the watermark, typing before replies, keep-alives,
 * reconnects with a watermark, and outbox notifications delivered into the history.
 */
import type { IncomingMessage } from 'node:http';
import express from 'express';
import { WebSocket } from 'ws';
import { clientIp, type ProxyTrust } from '../../../adapters/webchat/stream';
import type { TrustProxy } from '../../../src/config/env';
import {
  botMessages,
  call,
  poll,
  postText,
  StreamClient,
  startConversation,
  startWebchat,
} from './helpers';

type Service = Awaited<ReturnType<typeof startWebchat>>;

describe('Direct Line stream', () => {
  let service: Service;
  const open: StreamClient[] = [];
  const connect = async (url: string) => {
    const c = new StreamClient(url);
    open.push(c);
    await c.opened;
    return c;
  };
  beforeAll(async () => {
    // Default keep-alive (15 s): a bot turn stalling the shared event loop past a short period
    // would let the server drop a healthy socket before its pong is read.
    service = await startWebchat();
  });
  afterEach(() => {
    for (const c of open.splice(0)) c.close();
  });
  afterAll(() => service.stop());

  test('pushes the echo, then typing, then the replies, with watermarks', async () => {
    const s = await startConversation(service.api);
    const ws = await connect(s.streamUrl);
    const posted = await postText(service.api, s, 'halo');
    await ws.until((c) => botMessages(c.activities()).length > 0);
    const acts = ws.activities();
    expect(acts[0]).toMatchObject({ id: posted.body.id, text: 'halo' });
    expect(acts[1]).toMatchObject({ type: 'typing', from: { id: 'suara' } });
    expect(acts[2]).toMatchObject({ type: 'message', replyToId: posted.body.id });
    // The stream and polling agree on ids and watermark.
    const polled = await poll(service.api, s);
    await ws.until((c) => c.watermark() === polled.watermark);
    const streamed = ws.activities().filter((a) => a.type !== 'typing');
    expect(streamed.map((a) => a.id)).toEqual(polled.activities.map((a) => a.id));
  });

  test('bot replies carry suggestedActions for choices, and a postBack presses one', async () => {
    const s = await startConversation(service.api);
    await postText(service.api, s, 'halo');
    const withChoices = botMessages((await poll(service.api, s)).activities).find(
      (a) => a.suggestedActions !== undefined,
    );
    expect(withChoices).toBeDefined();
    const sa = withChoices?.suggestedActions as {
      to?: string[];
      actions: { type: string; title: string; value: string }[];
    };
    // No `to`: Microsoft's Web Chat would hide actions addressed to another id than its own.
    expect(sa.to).toBeUndefined();
    expect(sa.actions.length).toBeGreaterThan(0);
    for (const a of sa.actions) {
      expect(a).toEqual({ type: 'postBack', title: expect.any(String), value: expect.any(String) });
    }
    // Pressing "question" (sent as its value with postBack, like Web Chat does) starts that.
    const question = sa.actions.find((a) => a.value === 'menu:question');
    expect(question).toBeDefined();
    const before = (await poll(service.api, s)).watermark;
    const pressed = await postText(service.api, s, 'menu:question', {
      channelData: { postBack: true },
    });
    expect(pressed.status).toBe(200);
    const after = botMessages((await poll(service.api, s, before)).activities);
    expect(after.map((a) => a.text)).toEqual([expect.stringMatching(/pertanyaan|question/i)]);
  });

  test('a reconnect with a watermark gets only what it missed', async () => {
    const s = await startConversation(service.api);
    const first = await connect(s.streamUrl);
    await postText(service.api, s, 'halo');
    await first.until((c) => botMessages(c.activities()).length > 0 && c.watermark() !== undefined);
    const seen = first.watermark() as string;
    first.close();
    await first.closed;

    const missed = await postText(service.api, s, 'terima kasih');
    const again = await call(`${service.api}/conversations/${s.conversationId}?watermark=${seen}`, {
      token: s.token,
    });
    expect(again.status).toBe(200);
    expect(String(again.body.streamUrl)).toContain(`watermark=${seen}`);
    const second = await connect(String(again.body.streamUrl));
    await second.until((c) => botMessages(c.activities()).length > 0);
    const ids = second.activities().map((a) => a.id);
    expect(ids[0]).toBe(missed.body.id);
    expect(ids.some((id) => first.activities().some((a) => a.id === id))).toBe(false);
  });

  test('a stream URL with a bad token is refused; the socket limit holds', async () => {
    const s = await startConversation(service.api);
    const bad = s.streamUrl.replace(/t=[^&]+/, 't=forged.token');
    await expect(new StreamClient(bad).opened).rejects.toThrow('HTTP 403');
    const noToken = s.streamUrl.replace(/t=[^&]+/, 't=');
    await expect(new StreamClient(noToken).opened).rejects.toThrow('HTTP 403');
    const conversationToken = s.streamUrl.replace(/t=[^&]+/, `t=${s.token}`);
    await expect(new StreamClient(conversationToken).opened).rejects.toThrow('HTTP 403');
    for (let i = 0; i < 8; i++) await connect(s.streamUrl);
    await expect(new StreamClient(s.streamUrl).opened).rejects.toThrow('HTTP 429');
  });
});

describe('keep-alives', () => {
  test('sends empty messages and pings; a client that answers stays connected', async () => {
    const service = await startWebchat({ channel: { keepAliveMs: 100 } });
    try {
      const s = await startConversation(service.api);
      const ws = new StreamClient(s.streamUrl);
      let pings = 0;
      ws.ws.on('ping', () => {
        pings++;
      });
      await ws.opened;
      await ws.until((c) => c.frames.filter((f) => f === '').length >= 2);
      expect(pings).toBeGreaterThan(0);
      expect(ws.ws.readyState).toBe(ws.ws.OPEN);
      ws.close();
      await ws.closed;
    } finally {
      await service.stop();
    }
  });

  test('a client that never answers pings is dropped, and its slot is freed', async () => {
    const service = await startWebchat({
      channel: { keepAliveMs: 100, limits: { maxSocketsPerConversation: 1 } },
    });
    try {
      const s = await startConversation(service.api);
      const silent = new WebSocket(s.streamUrl, { autoPong: false });
      await new Promise((resolve) => silent.once('open', resolve));
      const code = await new Promise<number>((resolve) => silent.once('close', resolve));
      expect(code).toBe(1006); // terminated by the server, no close handshake
      const next = new StreamClient(s.streamUrl);
      await next.opened; // the conversation's only slot is free again
      next.close();
      await next.closed;
    } finally {
      await service.stop();
    }
  });
});

describe('outbox notifications', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startWebchat();
  });
  afterAll(() => service.stop());

  test('a notification reaches a conversation that reconnects later with its watermark', async () => {
    const s = await startConversation(service.api);
    await postText(service.api, s, 'halo');
    const seen = (await poll(service.api, s)).watermark; // then the visitor closes the page

    await service.backend.outbox.enqueue(
      [
        {
          idempotencyKey: 'citizen:ADU-7K3M9Q#5',
          channel: 'webchat',
          recipient: s.conversationId,
          payload: {
            text: 'Laporan ADU-7K3M9Q dinyatakan selesai. Apakah masalahnya sudah beres?',
            choices: [
              { label: 'Sudah beres', value: 'resolved:done:ADU-7K3M9Q' },
              { label: 'Belum', value: 'resolved:not_done:ADU-7K3M9Q' },
            ],
          },
          trackingId: 'ADU-7K3M9Q',
        },
        {
          idempotencyKey: 'citizen:ADU-000000#2',
          channel: 'webchat',
          recipient: 'AAAAAAAAAAAAAAAAAAAAAA',
          payload: { text: 'nobody' },
        },
        {
          idempotencyKey: 'citizen:ADU-7K3M9Q#6',
          channel: 'webchat',
          recipient: s.conversationId,
          payload: { html: '<b>not a notification</b>' },
        },
      ],
      new Date(0),
    );
    await service.dispatcher.runOnce();
    const outbox = (await service.backend.outbox.list({ channel: 'webchat' })).filter(
      (m) => !m.idempotencyKey.startsWith('reply:'), // the bot's replies to the visitor's messages
    );
    expect(outbox.map((m) => [m.idempotencyKey, m.status]).sort()).toEqual([
      ['citizen:ADU-000000#2', 'undeliverable'],
      ['citizen:ADU-7K3M9Q#5', 'sent'],
      ['citizen:ADU-7K3M9Q#6', 'undeliverable'],
    ]);

    // Back on the site: a fresh stream from the watermark it kept.
    const again = await call(`${service.api}/conversations/${s.conversationId}?watermark=${seen}`, {
      token: s.token,
    });
    const ws = new StreamClient(String(again.body.streamUrl));
    await ws.opened;
    await ws.until((c) => c.activities().length > 0);
    const [note] = ws.activities();
    ws.close();
    expect(note).toMatchObject({
      type: 'message',
      from: { id: 'suara', role: 'bot' },
      text: expect.stringContaining('ADU-7K3M9Q'),
      suggestedActions: {
        actions: [
          { type: 'postBack', title: 'Sudah beres', value: 'resolved:done:ADU-7K3M9Q' },
          { type: 'postBack', title: 'Belum', value: 'resolved:not_done:ADU-7K3M9Q' },
        ],
      },
    });
    expect(Number(ws.watermark())).toBe(Number(seen) + 1);
  });
});

describe('shutdown', () => {
  test('stopping the service closes open streams instead of waiting for them', async () => {
    const service = await startWebchat();
    const s = await startConversation(service.api);
    const ws = new StreamClient(s.streamUrl);
    await ws.opened;
    await service.stop();
    expect(await ws.closed).toBeGreaterThan(1000);
  });
});

describe('sockets per client address', () => {
  test('one address holds at most maxSocketsPerIp sockets, across conversations; a closed one frees its place', async () => {
    const service = await startWebchat({ channel: { limits: { maxSocketsPerIp: 2 } } });
    try {
      const a = await startConversation(service.api);
      const b = await startConversation(service.api);
      const first = new StreamClient(a.streamUrl);
      await first.opened;
      const second = new StreamClient(b.streamUrl);
      await second.opened;
      await expect(new StreamClient(b.streamUrl).opened).rejects.toThrow('HTTP 429');
      first.close();
      await first.closed;
      // The server sees the close a moment later; bounded retries, no timing assertion.
      let third: StreamClient | undefined;
      for (let i = 0; i < 50 && !third; i++) {
        const attempt = new StreamClient(a.streamUrl);
        third = await attempt.opened.then(
          () => attempt,
          () => new Promise<undefined>((r) => setTimeout(() => r(undefined), 20)),
        );
      }
      expect(third).toBeDefined();
      third?.close();
      second.close();
    } finally {
      await service.stop();
    }
  });
});

test('clientIp: the peer; X-Forwarded-For only from proxies TRUST_PROXY names, as express reads it', () => {
  const req = (remoteAddress: string, xff?: string) =>
    ({
      socket: { remoteAddress },
      headers: xff === undefined ? {} : { 'x-forwarded-for': xff },
    }) as unknown as IncomingMessage;
  const compiled = (setting: TrustProxy): ProxyTrust => {
    const app = express();
    app.set('trust proxy', setting);
    return app.get('trust proxy fn') as ProxyTrust;
  };
  // Not configured: the header is never read, not even from this host.
  expect(clientIp(req('127.0.0.1', '198.51.100.1'))).toBe('127.0.0.1');
  expect(clientIp(req('127.0.0.1', '198.51.100.1'), compiled(false))).toBe('127.0.0.1');
  const loopback = compiled(['loopback']);
  expect(clientIp(req('203.0.113.5'), loopback)).toBe('203.0.113.5');
  expect(clientIp(req('203.0.113.5', '198.51.100.1'), loopback)).toBe('203.0.113.5'); // no proxy
  expect(clientIp(req('127.0.0.1', '198.51.100.1, 203.0.113.9'), loopback)).toBe('203.0.113.9');
  expect(clientIp(req('::ffff:127.0.0.1', '198.51.100.1'), loopback)).toBe('198.51.100.1');
  expect(clientIp(req('::1'), loopback)).toBe('::1');
  // One hop: the proxy's view of its client, whatever the client wrote before it.
  expect(clientIp(req('10.0.0.2', 'spoofed, 198.51.100.7'), compiled(1))).toBe('198.51.100.7');
  // A proxy subnet: walks back over every proxy in it.
  const lb = compiled(['10.0.0.0/8']);
  expect(clientIp(req('10.0.0.2', '198.51.100.7, 10.1.1.1'), lb)).toBe('198.51.100.7');
  expect(clientIp(req('192.0.2.1', '198.51.100.7'), lb)).toBe('192.0.2.1');
});

import { whatsappMedia } from '../../../adapters/whatsapp';
import type { Address } from '../../../adapters/whatsapp/client';
import { classifyError, GraphError } from '../../../adapters/whatsapp/errors';
import type { OutgoingMessage } from '../../../adapters/whatsapp/render';
import { whatsappSender } from '../../../adapters/whatsapp/sender';
import { WhatsAppState } from '../../../adapters/whatsapp/state';
import { type Notification, notify } from '../../../src/core/notifications';
import { silentLogger } from '../../../src/logger';
import { MediaUnavailable } from '../../../src/media';
import type { OutboxMessage } from '../../../src/outbox/port';
import type { KeyValueStore } from '../../../src/store/channel-store';
import { manualClock } from '../../support/fixtures';
import { FakeGraphApi } from './fake-graph-api';

/** A key-value space in memory, with expiry against the clock. */
function memoryKv(clock: () => Date): KeyValueStore {
  const map = new Map<string, { value: unknown; expiresAt?: number }>();
  const live = (key: string) => {
    const e = map.get(key);
    return e && (e.expiresAt === undefined || e.expiresAt > clock().getTime()) ? e : undefined;
  };
  return {
    async get(key) {
      return live(key)?.value ?? null;
    },
    async put(key, value, options) {
      map.set(key, {
        value,
        ...(options?.expiresAt ? { expiresAt: options.expiresAt.getTime() } : {}),
      });
    },
    async putIfAbsent(key, value, options) {
      if (live(key)) return false;
      await this.put(key, value, options);
      return true;
    },
    async delete(key) {
      map.delete(key);
    },
  };
}

function setup(template: { name: string; languages: string[] } | null = null) {
  const clock = manualClock();
  const state = new WhatsAppState(memoryKv(clock), clock);
  const calls: { to: Address; message: OutgoingMessage }[] = [];
  const client = {
    async send(to: Address, message: OutgoingMessage) {
      calls.push({ to, message });
      return `wamid.${calls.length}`;
    },
  };
  const sender = whatsappSender({ client, state, template, logger: silentLogger });
  const send = (n: Notification, conversationId = '6281200000001') => {
    const m = notify({ kind: 'conversation', channel: 'whatsapp', conversationId }, n, {
      idempotencyKey: 'k',
    });
    const stored = { ...m, id: 'o1', progress: 0 } as unknown as OutboxMessage;
    return sender.send(stored, { signal: new AbortController().signal });
  };
  return { clock, state, calls, send };
}

const status: Notification = {
  kind: 'case_status',
  trackingId: 'ADU-7K3M9Q',
  seq: 2,
  lang: 'en',
  event: 'verify',
  agency: 'Public Works',
  text: 'Report ADU-7K3M9Q was verified.',
};

describe('the WhatsApp sender outside the 24-hour window', () => {
  test('without WHATSAPP_NOTIFY_TEMPLATE a notice is undeliverable, nothing sent', async () => {
    const { send, calls } = setup(null);
    expect(await send(status)).toEqual({
      status: 'undeliverable',
      error: expect.stringMatching(/WHATSAPP_NOTIFY_TEMPLATE is not set/),
    });
    expect(calls).toEqual([]);
  });

  test('a reply cannot go out as the template: undeliverable', async () => {
    const { send, calls } = setup({ name: 'suara_status', languages: ['id', 'en'] });
    const result = await send({ kind: 'replies', replies: [{ text: 'Halo!' }], lang: 'id' });
    expect(result).toMatchObject({
      status: 'undeliverable',
      error: expect.stringMatching(/window/),
    });
    expect(calls).toEqual([]);
  });

  test('inside the window (the user just wrote) it is free text; 24 hours later the template', async () => {
    const { send, calls, state, clock } = setup({ name: 'suara_status', languages: ['id', 'en'] });
    await state.seen('6281200000001', clock());
    expect(await send(status)).toEqual({ status: 'sent' });
    expect(calls[0]?.message.type).toBe('text');
    expect(await state.sent('wamid.1')).toEqual({
      outboxId: 'o1',
      user: '6281200000001',
      template: false,
      trackingId: 'ADU-7K3M9Q',
    });
    clock.advance(24 * 3600_000);
    expect(await send(status)).toEqual({ status: 'sent' });
    expect(calls[1]?.message).toMatchObject({
      type: 'template',
      template: { language: { code: 'en' } },
    });
  });

  test('a conversation that is neither a phone number nor a BSUID is undeliverable', async () => {
    const { send } = setup();
    expect(await send(status, 'not-an-address')).toMatchObject({ status: 'undeliverable' });
  });
});

describe('classifyError', () => {
  test.each([
    [
      '131047: Re-engagement message',
      new GraphError(400, 131047, 'Re-engagement message'),
      { status: 'retry', retryAfterMs: 0 },
    ],
    ['130429: Rate limit hit', new GraphError(400, 130429, 'Rate limit hit'), { status: 'retry' }],
    [
      '131056: Pair rate limit hit',
      new GraphError(400, 131056, 'Pair rate limit hit'),
      { status: 'retry' },
    ],
    [
      '131026: Message undeliverable',
      new GraphError(400, 131026, 'Message undeliverable'),
      { status: 'undeliverable' },
    ],
    [
      '131030: Recipient not in allowed list',
      new GraphError(400, 131030, 'Recipient not in allowed list'),
      { status: 'undeliverable' },
    ],
    [
      '132001: Template does not exist',
      new GraphError(400, 132001, 'Template does not exist'),
      { status: 'undeliverable' },
    ],
    [
      '190: Access token expired',
      new GraphError(401, 190, 'Access token expired'),
      { status: 'retry' },
    ],
    ['HTTP 503: HTTP 503', new GraphError(503, null, 'HTTP 503'), { status: 'retry' }],
    [
      '4: Too many calls',
      new GraphError(429, 4, 'Too many calls', 5000),
      { status: 'retry', retryAfterMs: 5000 },
    ],
  ])('%s', (_name, err, expected) => {
    const result = classifyError(err);
    expect(result).toMatchObject(expected);
    expect(result.error).toMatch(/^WhatsApp \d+: |^HTTP/);
    if (expected.status === 'retry' && !('retryAfterMs' in expected)) {
      expect('retryAfterMs' in result).toBe(false);
    }
  });

  test('network errors: refused is certain not to have arrived; an abort may have', () => {
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    expect(classifyError(refused)).toEqual({ status: 'retry', error: 'fetch failed' });
    const aborted = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    expect(classifyError(aborted)).toMatchObject({ status: 'retry', uncertain: true });
  });
});

describe('media', () => {
  test('a photo is looked up and downloaded on demand, with the bearer token', async () => {
    const fake = await new FakeGraphApi().start();
    try {
      const config = { accessToken: 'EAAG-token', apiRoot: fake.url, phoneNumberId: '1' };
      fake.putMedia('1234567890123456', Buffer.from('JPEG-bytes'));
      const file = await whatsappMedia(config).open('1234567890123456', AbortSignal.timeout(5000));
      expect(file).toMatchObject({ mimeType: 'image/jpeg', size: 10 });
      expect(Buffer.from(await new Response(file.body).arrayBuffer()).toString()).toBe(
        'JPEG-bytes',
      );
      expect(fake.calls).toEqual([
        expect.objectContaining({
          method: 'GET',
          path: '1234567890123456',
          authorization: 'Bearer EAAG-token',
        }),
        expect.objectContaining({
          method: 'GET',
          path: '/download/1234567890123456',
          authorization: 'Bearer EAAG-token',
          // Uncompressed: the length passed on to staff is that of the bytes sent.
          body: { acceptEncoding: 'identity' },
        }),
      ]);
    } finally {
      await fake.close();
    }
  });

  test('an unknown or malformed media id is unavailable, and no download is tried', async () => {
    const fake = await new FakeGraphApi().start();
    try {
      const config = { accessToken: 'EAAG-token', apiRoot: fake.url, phoneNumberId: '1' };
      const source = whatsappMedia(config);
      const signal = AbortSignal.timeout(5000);
      await expect(source.open('999', signal)).rejects.toThrow(MediaUnavailable);
      await expect(source.open('../me', signal)).rejects.toThrow(/bad media id/);
      expect(fake.calls.map((c) => c.path)).toEqual(['999']);
    } finally {
      await fake.close();
    }
  });
});

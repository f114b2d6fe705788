/** The web chat's pure parts: tokens, key file, rate limiter, activity mapping, origins, sniffing. */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  activityId,
  parseUserActivity,
  replyActivity,
  toInbound,
  type UserActivity,
} from '../../../adapters/webchat/activities';
import { conversationUser, storedUserId } from '../../../adapters/webchat/identity';
import { nestingWithin } from '../../../adapters/webchat/json';
import { originAllowed } from '../../../adapters/webchat/origins';
import {
  loadTokenKey,
  sameSecret,
  TOKEN_KEY_FILE,
  TokenSigner,
} from '../../../adapters/webchat/tokens';
import { sniffPhotoType } from '../../../adapters/webchat/uploads';
import { addressKey, RateLimiter } from '../../../src/store/rate-limit';
import { SqliteBackend } from '../../../src/store/sqlite/backend';
import { testConfig } from '../../support/config';
import { manualClock } from '../../support/fixtures';

describe('tokens', () => {
  const clock = manualClock();
  const key = Buffer.alloc(32, 1);
  const signer = new TokenSigner(key, clock);
  const subject = { conversationId: 'conv1' };

  test('a token verifies with its claims until it expires', () => {
    const { token, expiresIn } = signer.issue(subject);
    expect(expiresIn).toBe(1800);
    expect(signer.verify(token, 'conversation')).toEqual({
      ok: true,
      claims: { kind: 'conversation', ...subject, expiresAt: clock().getTime() + 1_800_000 },
    });
    clock.advance(1_800_000 - 1);
    expect(signer.verify(token, 'conversation').ok).toBe(true);
    clock.advance(1);
    expect(signer.verify(token, 'conversation')).toEqual({ ok: false, problem: 'expired' });
  });

  test('a token names no user: reading one tells nobody whom to pose as', () => {
    const { token } = signer.issue(subject);
    const payload = JSON.parse(Buffer.from(String(token.split('.')[0]), 'base64url').toString());
    expect(Object.keys(payload).sort()).toEqual(['c', 'e', 'k', 'v']);
  });

  test('a changed payload, another key, or the other kind is refused', () => {
    const { token } = signer.issue(subject);
    const [body, sig] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, c: 'conv2' })).toString('base64url');
    expect(signer.verify(`${forged}.${sig}`, 'conversation')).toEqual({
      ok: false,
      problem: 'signature',
    });
    const other = new TokenSigner(Buffer.alloc(32, 2), clock);
    expect(other.verify(token, 'conversation')).toEqual({ ok: false, problem: 'signature' });
    expect(signer.verify(token, 'stream')).toEqual({ ok: false, problem: 'kind' });
    expect(signer.verify(token, 'resume')).toEqual({ ok: false, problem: 'kind' });
    const resume = signer.issue(subject, 'resume').token;
    expect(signer.verify(resume, 'resume').ok).toBe(true);
    expect(signer.verify(resume, 'conversation')).toEqual({ ok: false, problem: 'kind' });
    expect(signer.verify(resume, 'stream')).toEqual({ ok: false, problem: 'kind' });
    for (const junk of ['', 'abc', 'a.b.c', `${body}.`, 'x'.repeat(5000)]) {
      expect(signer.verify(junk, 'conversation').ok).toBe(false);
    }
  });

  test('only the exact signature text is accepted, not another base64 spelling of it', () => {
    const { token } = signer.issue(subject);
    const [body, sig] = token.split('.') as [string, string];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // 43 characters carry 258 bits for 256: the last one's lowest bit is dropped when decoding.
    const sibling = alphabet[alphabet.indexOf(String(sig.at(-1))) ^ 1];
    const respelled = `${sig.slice(0, -1)}${sibling}`;
    expect(Buffer.from(respelled, 'base64url')).toEqual(Buffer.from(sig, 'base64url'));
    for (const variant of [`${body}.${respelled}`, `${token}=`, `${token}==`]) {
      expect(signer.verify(variant, 'conversation')).toEqual({ ok: false, problem: 'signature' });
    }
    expect(signer.verify(token, 'conversation').ok).toBe(true);
  });

  test('secrets compare equal only when equal', () => {
    expect(sameSecret('secret-0123456789', 'secret-0123456789')).toBe(true);
    expect(sameSecret('secret-0123456789', 'secret-0123456780')).toBe(false);
    expect(sameSecret('short', 'secret-0123456789')).toBe(false);
  });
});

describe('token key', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'suara-webchat-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const config = () =>
    testConfig({
      database: { kind: 'sqlite', path: join(dir, 'data', 'suara.db') },
      webchat: { ...testConfig().webchat, tokenSecret: null },
    });

  const kv = () => SqliteBackend.open({ path: ':memory:' });

  test('is created once in the database and the same for every instance on it', async () => {
    const backend = kv();
    const data = backend.channelStore.scope('webchat');
    // Two instances starting at once on one database.
    const [a, b] = await Promise.all([loadTokenKey(config(), data), loadTokenKey(config(), data)]);
    expect(a).toHaveLength(32);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(await loadTokenKey(config(), data)).equals(Buffer.from(a))).toBe(true);
    expect(existsSync(join(dir, 'data', TOKEN_KEY_FILE))).toBe(false);
    await backend.close();
  });

  test('the key file of an earlier version is taken over, so issued tokens stay valid', async () => {
    const backend = kv();
    mkdirSync(join(dir, 'data'), { recursive: true });
    const old = 'ab'.repeat(32);
    writeFileSync(join(dir, 'data', TOKEN_KEY_FILE), `${old}\n`);
    const key = await loadTokenKey(config(), backend.channelStore.scope('webchat'));
    expect(Buffer.from(key).toString('hex')).toBe(old);
    await backend.close();
  });

  test('WEBCHAT_TOKEN_SECRET wins; a damaged key file is an error', async () => {
    const backend = kv();
    const data = backend.channelStore.scope('webchat');
    const withSecret = testConfig();
    expect(Buffer.from(await loadTokenKey(withSecret, data)).toString()).toBe(
      withSecret.webchat.tokenSecret,
    );
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'data', TOKEN_KEY_FILE), 'not a key');
    await expect(loadTokenKey(config(), data)).rejects.toThrow(/64 hex digits/);
    await backend.close();
  });
});

describe('rate limiter', () => {
  test('allows a burst, then refills evenly, per key', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ burst: 2, perMs: 60_000 }, clock);
    expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterS: 30 });
    expect(limiter.take('b')).toEqual({ ok: true });
    clock.advance(29_000);
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterS: 1 });
    clock.advance(1_000);
    expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.take('a').ok).toBe(false);
  });

  test('forgets idle keys beyond its size bound', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ burst: 1, perMs: 60_000 }, clock, 10);
    expect(limiter.take('first').ok).toBe(true);
    expect(limiter.take('first').ok).toBe(false);
    for (let i = 0; i < 20; i++) limiter.take(`k${i}`);
    // 'first' was the least recently used: dropped, so it starts with a full bucket again.
    expect(limiter.take('first').ok).toBe(true);
  });
});

describe('conversation users', () => {
  const createdAt = '2026-11-27T02:00:00.000Z';
  test('a vouched id is the citizen; any other conversation is a citizen of its own', () => {
    const vouched = { id: 'c1', userId: storedUserId('warga-3201', true), createdAt };
    expect(conversationUser(vouched)).toEqual({
      shownId: 'warga-3201',
      citizenId: 'warga-3201',
      vouched: true,
    });
    // A browser's label, and every conversation stored before vouching was marked (whose id a
    // browser may have chosen to pose as someone), identify nobody but their conversation.
    for (const userId of [storedUserId('dl_0123456789abcdef', false), 'warga-3201']) {
      expect(conversationUser({ id: 'c2', userId, createdAt })).toEqual({
        shownId: userId,
        citizenId: 'conversation/c2',
        vouched: false,
      });
    }
  });
});

describe('activity mapping', () => {
  const who = {
    conversationId: 'c1',
    userId: 'dl_u',
    userName: 'Sari',
    citizenId: 'conversation/c1',
  };
  const meta = { messageId: 'c1|0000001', receivedAt: new Date('2026-11-27T02:00:00Z') };
  const parse = (body: unknown) => {
    const r = parseUserActivity(body, 2000);
    if (!r.ok) throw new Error(JSON.stringify(r));
    return r.value;
  };

  test('text, locale and the user come through; the citizen is who the conversation says', () => {
    expect(
      toInbound(
        parse({ type: 'message', text: ' halo ', locale: 'en-US', from: { id: 'dl_victim' } }),
        who,
        meta,
      ),
    ).toEqual({
      channel: 'webchat',
      channelUserId: 'conversation/c1',
      conversationId: 'c1',
      messageId: 'c1|0000001',
      receivedAt: meta.receivedAt,
      userName: 'Sari',
      locale: 'en-US',
      text: 'halo',
    });
  });

  test('a postBack or a string value is the pressed choice', () => {
    const postBack = toInbound(
      parse({ type: 'message', text: 'menu:report', channelData: { postBack: true } }),
      who,
      meta,
    );
    expect(postBack.action).toBe('menu:report');
    expect(postBack.text).toBeUndefined();
    const value = toInbound(
      parse({ type: 'message', text: 'Laporkan masalah', value: 'menu:report' }),
      who,
      meta,
    );
    expect([value.action, value.text]).toEqual(['menu:report', 'Laporkan masalah']);
    expect(
      toInbound(parse({ type: 'message', value: { x: 1 } }), who, meta).action,
    ).toBeUndefined();
  });

  test('location from a GeoCoordinates entity or channelData.location, in range only', () => {
    const entity: UserActivity = parse({
      type: 'message',
      entities: [{ type: 'GeoCoordinates', latitude: -6.2, longitude: 106.8 }],
    });
    expect(toInbound(entity, who, meta).location).toEqual({ lat: -6.2, lon: 106.8 });
    const data = parse({ type: 'message', channelData: { location: { lat: -7.8, lon: 110.4 } } });
    expect(toInbound(data, who, meta).location).toEqual({ lat: -7.8, lon: 110.4 });
    const wrong = parse({
      type: 'message',
      entities: [{ type: 'GeoCoordinates', latitude: 95, longitude: 'x' }],
      channelData: { location: { lat: 'a', lon: 1 } },
    });
    expect(toInbound(wrong, who, meta).location).toBeUndefined();
  });

  test('bad activities are refused with a reason; long text separately', () => {
    expect(parseUserActivity({ text: 'x' }, 10)).toMatchObject({ ok: false });
    expect(parseUserActivity({ type: 'message', locale: 'not a locale!' }, 10).ok).toBe(false);
    expect(
      parseUserActivity({ type: 'message', attachments: [{ contentUrl: 'http://x' }] }, 10),
    ).toMatchObject({ ok: false, errors: [expect.stringMatching(/upload/)] });
    expect(parseUserActivity({ type: 'message', text: 'x'.repeat(11) }, 10)).toEqual({
      ok: false,
      tooLong: true,
    });
  });

  test('a reply with choices, a location request and a link', () => {
    const a = replyActivity(
      {
        text: 'Pilih',
        choices: [{ label: 'Ya', value: 'yes' }],
        requestLocation: true,
        link: { title: 'KTP', url: 'https://dukcapil.example/ktp' },
      },
      who,
      { timestamp: meta.receivedAt, replyToId: 'c1|0000001', locale: 'id-ID' },
    );
    expect(a).toMatchObject({
      type: 'message',
      from: { id: 'suara', name: 'Suara', role: 'bot' },
      conversation: { id: 'c1' },
      replyToId: 'c1|0000001',
      text: 'Pilih',
      locale: 'id-ID',
      suggestedActions: {
        actions: [{ type: 'postBack', title: 'Ya', value: 'yes' }],
      },
      channelData: {
        requestLocation: true,
        link: { title: 'KTP', url: 'https://dukcapil.example/ktp' },
      },
    });
    // Web Chat shows suggested actions only when `to` is absent or lists its own (random) user id.
    expect(a.suggestedActions).not.toHaveProperty('to');
    const plain = replyActivity({ text: 'Halo' }, who, { timestamp: meta.receivedAt });
    expect(plain.suggestedActions).toBeUndefined();
    expect(plain.channelData).toBeUndefined();
    expect(activityId('c1', 12)).toBe('c1|0000012');
  });
});

describe('origins', () => {
  const allowed = ['https://kota.go.id', 'http://intranet.local:8080'];
  test.each([
    [undefined, true],
    ['https://kota.go.id', true],
    ['https://kota.go.id:443', true],
    ['http://intranet.local:8080', true],
    ['http://localhost:5173', true],
    ['http://127.0.0.1:3000', true],
    ['https://chat.kota.go.id', true], // the service's own host
    ['http://kota.go.id', false],
    ['https://kota.go.id.evil.example', false],
    ['https://evil.example', false],
    ['null', false],
    ['file:///tmp/x.html', false],
  ])('%s → %s', (origin, ok) => {
    expect(originAllowed(origin, 'chat.kota.go.id', allowed)).toBe(ok);
  });
});

describe('address keys', () => {
  test('IPv4 as is (also IPv4-mapped), IPv6 by its /64 network', () => {
    expect(addressKey('203.0.113.5')).toBe('203.0.113.5');
    expect(addressKey('::ffff:203.0.113.5')).toBe('203.0.113.5');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('unknown')).toBe('unknown');
  });
});

describe('JSON nesting', () => {
  const within = (text: string, max = 3) => nestingWithin(Buffer.from(text), max);
  test('counts arrays and objects, not brackets in strings or after escaped quotes', () => {
    expect(within('{"a":[1,{"b":"]]"}]}')).toBe(true);
    expect(within('[[[[]]]]')).toBe(false);
    expect(within(String.raw`[[["[[[[", "\\", "\"[[[["]]]`)).toBe(true);
    expect(within(String.raw`[[["\"", [1]]]`)).toBe(false);
    expect(within('"😀[[[["')).toBe(true);
  });

  test('a million nested arrays take a counter, not a stack', () => {
    const n = 1_000_000;
    expect(nestingWithin(Buffer.from(`${'['.repeat(n)}${']'.repeat(n)}`), 32)).toBe(false);
    expect(nestingWithin(Buffer.from(`${'['.repeat(32)}${']'.repeat(32)}`), 32)).toBe(true);
  });
});

describe('photo type sniffing', () => {
  test('by signature, not by name', () => {
    expect(sniffPhotoType(Buffer.from([0xff, 0xd8, 0xff, 0xdb]))).toBe('image/jpeg');
    expect(sniffPhotoType(Buffer.from('\x89PNG\r\n\x1a\n....', 'latin1'))).toBe('image/png');
    expect(sniffPhotoType(Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1'))).toBe('image/webp');
    expect(sniffPhotoType(Buffer.from('RIFF\0\0\0\0WAVEfmt ', 'latin1'))).toBeNull();
    expect(sniffPhotoType(Buffer.from('GIF89a'))).toBeNull();
    expect(sniffPhotoType(Buffer.alloc(0))).toBeNull();
  });
});

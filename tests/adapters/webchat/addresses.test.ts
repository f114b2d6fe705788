/**
 * Many citizens behind one address (carrier-grade NAT, an office, a campus): generous per-address
 * budgets, per-conversation limits, `WEBCHAT_*` settings, and X-Forwarded-For believed only from
 * the proxies TRUST_PROXY names.
 */
import { type Config, loadConfig } from '../../../src/config/env';
import { testConfig } from '../../support/config';
import { manualClock } from '../../support/fixtures';
import { call, postText, StreamClient, startConversation, startWebchat } from './helpers';

type Service = Awaited<ReturnType<typeof startWebchat>>;

/** The config the environment `env` gives, on the test's store and files. */
function fromEnv(env: Record<string, string>): Partial<Config> {
  const r = loadConfig(env);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return {
    webchat: { ...testConfig().webchat, limits: r.config.webchat.limits },
    trustProxy: r.config.trustProxy,
  };
}

const generate = (service: Service, headers: Record<string, string> = {}) =>
  call(`${service.api}/tokens/generate`, { method: 'POST', headers });

describe('with the default limits', () => {
  let service: Service;
  const clock = manualClock(); // never advanced: everything happens within the same minute
  beforeAll(async () => {
    service = await startWebchat({ clock, config: fromEnv({}) });
  });
  afterAll(() => service.stop());

  test('200 citizens behind one address start conversations and write within one minute', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) {
      const g = await generate(service);
      statuses.push(g.status);
      const c = await call(`${service.api}/conversations`, {
        method: 'POST',
        token: String(g.body.token),
      });
      statuses.push(c.status);
      const s = { conversationId: String(c.body.conversationId), token: String(c.body.token) };
      statuses.push((await postText(service.api, { ...s, streamUrl: '' }, 'halo')).status);
    }
    expect(statuses.filter((s) => s === 429)).toEqual([]);
    expect(new Set(statuses)).toEqual(new Set([200, 201]));
  });
});

describe('limits from the environment', () => {
  let service: Service;
  const clock = manualClock();
  beforeAll(async () => {
    service = await startWebchat({
      clock,
      config: fromEnv({
        WEBCHAT_NEW_CONVERSATIONS_PER_IP_PER_MIN: '5',
        WEBCHAT_MESSAGES_PER_CONVERSATION_PER_MIN: '2',
        WEBCHAT_MESSAGES_PER_IP_PER_MIN: '3',
        WEBCHAT_SOCKETS_PER_IP: '1',
      }),
    });
  });
  afterAll(() => service.stop());

  test('a lower token, message and socket budget is enforced, with Retry-After', async () => {
    const a = await startConversation(service.api);
    const b = await startConversation(service.api);
    for (let i = 0; i < 3; i++) expect((await generate(service)).status).toBe(200);
    const sixth = await generate(service);
    expect(sixth.status).toBe(429);
    expect(sixth.body).toEqual({ error: { code: 'TooManyRequests', message: expect.any(String) } });
    expect(Number(sixth.headers.get('retry-after'))).toBe(12);

    expect((await postText(service.api, a, 'halo')).status).toBe(200);
    expect((await postText(service.api, a, 'halo')).status).toBe(200);
    expect((await postText(service.api, a, 'halo')).status).toBe(429); // per conversation
    expect((await postText(service.api, b, 'halo')).status).toBe(200);
    expect((await postText(service.api, b, 'halo')).status).toBe(429); // per address: 3
    clock.advance(60_000);
    expect((await generate(service)).status).toBe(200);
    expect((await postText(service.api, b, 'halo')).status).toBe(200);

    const first = new StreamClient(a.streamUrl);
    await first.opened;
    await expect(new StreamClient(b.streamUrl).opened).rejects.toThrow('HTTP 429');
    first.close();
    await first.closed;
  });
});

describe('X-Forwarded-For', () => {
  const clock = manualClock();
  const env = { WEBCHAT_NEW_CONVERSATIONS_PER_IP_PER_MIN: '3', WEBCHAT_SOCKETS_PER_IP: '1' };
  const forwarded = (n: number) => ({ 'X-Forwarded-For': `198.51.100.${n}` });

  test('is ignored without TRUST_PROXY, even from this host: one address, one budget', async () => {
    const service = await startWebchat({ clock, config: fromEnv(env) });
    try {
      const answers: number[] = [];
      for (let i = 1; i <= 4; i++) answers.push((await generate(service, forwarded(i))).status);
      expect(answers).toEqual([200, 200, 200, 429]);
      // Nor does X-Forwarded-Proto turn the stream URL into wss://.
      clock.advance(60_000);
      const g = await generate(service, { 'X-Forwarded-Proto': 'https' });
      const c = await call(`${service.api}/conversations`, {
        method: 'POST',
        token: String(g.body.token),
        headers: { 'X-Forwarded-Proto': 'https' },
      });
      expect(String(c.body.streamUrl)).toMatch(/^ws:\/\//);
      // Sockets: another forwarded address is still the same client.
      const s = await startConversation(service.api);
      const one = new StreamClient(s.streamUrl, forwarded(1));
      await one.opened;
      await expect(new StreamClient(s.streamUrl, forwarded(2)).opened).rejects.toThrow('HTTP 429');
      one.close();
      await one.closed;
    } finally {
      await service.stop();
    }
  });

  test('names the client when TRUST_PROXY trusts the proxy (here: loopback)', async () => {
    const service = await startWebchat({
      clock,
      config: fromEnv({ ...env, TRUST_PROXY: 'loopback' }),
    });
    try {
      clock.advance(60_000);
      for (let i = 1; i <= 4; i++) expect((await generate(service, forwarded(i))).status).toBe(200);
      // One forwarded client still has its own budget of 3.
      expect((await generate(service, forwarded(1))).status).toBe(200);
      expect((await generate(service, forwarded(1))).status).toBe(200);
      expect((await generate(service, forwarded(1))).status).toBe(429);
      const g = await generate(service, { ...forwarded(9), 'X-Forwarded-Proto': 'https' });
      const c = await call(`${service.api}/conversations`, {
        method: 'POST',
        token: String(g.body.token),
        headers: { 'X-Forwarded-Proto': 'https' },
      });
      expect(String(c.body.streamUrl)).toMatch(/^wss:\/\//);
      // Sockets of two forwarded clients count apart.
      const s = await startConversation(service.api, undefined);
      const url = s.streamUrl;
      const one = new StreamClient(url, forwarded(21));
      await one.opened;
      const two = new StreamClient(url, forwarded(22));
      await two.opened;
      await expect(new StreamClient(url, forwarded(21)).opened).rejects.toThrow('HTTP 429');
      one.close();
      two.close();
      await Promise.all([one.closed, two.closed]);
    } finally {
      await service.stop();
    }
  });
});

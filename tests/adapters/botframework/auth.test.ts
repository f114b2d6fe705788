import { messageIdOf } from '../../../adapters/botframework/inbound';
import { type Harness, startBotFramework } from './harness';
import { LocalJwks, newKey, signJwt } from './jwks';

const APP_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const published = newKey('key-1');
const jwks = new LocalJwks('test-tenant', [published]);
let h: Harness;

beforeAll(async () => {
  await jwks.start();
  h = await startBotFramework({
    appId: APP_ID,
    auth: { authority: jwks.authority, issuers: [jwks.issuer] },
  });
});
afterAll(async () => {
  await h.close();
  await jwks.close();
});

/** Claims of a token the Bot Connector would send for this app, valid for an hour. */
function claims(overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: jwks.issuer,
    aud: APP_ID,
    serviceurl: h.connector.url,
    iat: now - 60,
    nbf: now - 60,
    exp: now + 3600,
    ...overrides,
  };
}

/** Whether the activity had any effect: a handled message, a queued reply. */
async function processed(conversationId: string, activityId: string): Promise<boolean> {
  const seen = await h.service.backend.ledger.get(
    'botframework',
    messageIdOf(conversationId, activityId),
  );
  const queued = await h.service.backend.outbox.list({ channel: 'botframework', limit: 1000 });
  return seen !== null || queued.some((m) => m.recipient === conversationId);
}

describe('Bot Framework channel with an app id: the SDK checks every request', () => {
  test.each([
    ['no Authorization header', () => undefined],
    ['a token signed by an unknown key', () => signJwt(newKey('key-1'), claims())],
    ['a token whose key id is not published', () => signJwt(newKey('key-2'), claims())],
    [
      'a token for another app (audience)',
      () => signJwt(published, claims({ aud: 'another-app' })),
    ],
    [
      'an expired token',
      () => {
        const now = Math.floor(Date.now() / 1000);
        return signJwt(published, claims({ iat: now - 7200, nbf: now - 7200, exp: now - 3600 }));
      },
    ],
    ['not a JWT', () => 'not-a-jwt'],
  ])('%s → 401, nothing processed', async (_name, token) => {
    const conv = `a:refused-${Math.random()}`;
    const activity = h.activity(conv, { text: 'jalan rusak di depan rumah saya' });
    const res = await h.post(activity, token());
    expect(res.status).toBe(401);
    expect(await processed(conv, activity.id)).toBe(false);
  });

  test('a correctly signed token is accepted and the activity handled', async () => {
    const conv = 'a:accepted-1';
    const activity = h.activity(conv, { text: 'halo' });
    const res = await h.post(activity, signJwt(published, claims()));
    expect(res.status).toBe(200);
    expect(await processed(conv, activity.id)).toBe(true);
    expect(jwks.fetches).toBeGreaterThan(0);
  });

  test("an activity whose serviceUrl is not the token's → 400, nothing processed", async () => {
    const conv = 'a:other-service-url';
    const activity = h.activity(conv, { text: 'halo', serviceUrl: 'https://evil.example.com/' });
    const res = await h.post(activity, signJwt(published, claims()));
    expect(res.status).toBe(400);
    expect(await processed(conv, activity.id)).toBe(false);
  });
});

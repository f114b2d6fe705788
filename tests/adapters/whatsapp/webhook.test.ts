import { createHmac } from 'node:crypto';
import request from 'supertest';
import { WORK_CHANNEL } from '../../../adapters/whatsapp/processor';
import { APP_SECRET, bodyOf, type Harness, startHarness, VERIFY_TOKEN } from './harness';
import * as wa from './payloads';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** Waits a little (for background work that must NOT happen). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('GET /whatsapp/webhook: the verification handshake', () => {
  const verify = (query: Record<string, string>) =>
    request(h.service.url).get('/whatsapp/webhook').query(query);

  test('the right verify token is answered with the challenge, as plain text', async () => {
    const res = await verify({
      'hub.mode': 'subscribe',
      'hub.verify_token': VERIFY_TOKEN,
      'hub.challenge': '1158201444',
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toBe('1158201444');
  });

  test.each([
    [
      'a wrong token',
      { 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': '1' },
    ],
    ['no token', { 'hub.mode': 'subscribe', 'hub.challenge': '1' }],
    [
      'another mode',
      { 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1' },
    ],
    ['no challenge', { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN }],
  ])('%s: 403', async (_what, query) => {
    const res = await verify(query);
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('1');
  });
});

describe('POST /whatsapp/webhook: only calls signed with the app secret are processed', () => {
  const user = { waId: '6281234560001' };

  test.each([
    ['no signature', null],
    [
      'a signature with another secret',
      `sha256=${createHmac('sha256', 'other').update('x').digest('hex')}`,
    ],
    ['a malformed signature', 'sha1=abc'],
  ])('%s: 401, nothing kept, nothing sent', async (_what, signature) => {
    const id = wa.nextWamid();
    const res = await h.post(wa.text(user, h.clock(), 'halo', id), signature);
    expect(res.status).toBe(401);
    await settle();
    expect(await h.service.backend.ledger.get(WORK_CHANNEL, id)).toBeNull();
    expect(h.fake.sent(user.waId)).toEqual([]);
  });

  test('a body changed after it was signed: 401', async () => {
    const id = wa.nextWamid();
    const signedBody = JSON.stringify(wa.text(user, h.clock(), 'halo', id));
    const signature = `sha256=${createHmac('sha256', APP_SECRET).update(signedBody).digest('hex')}`;
    const res = await h.post(signedBody.replace('halo', 'hola'), signature);
    expect(res.status).toBe(401);
    await settle();
    expect(await h.service.backend.ledger.get(WORK_CHANNEL, id)).toBeNull();
    expect(h.fake.sent(user.waId)).toEqual([]);
  });

  test('Indonesian text with non-ASCII characters, signed over the escaped-unicode form as Meta does', async () => {
    const other = { waId: '6281234560002', name: 'Siti Nurhaliza' };
    const payload = wa.text(
      other,
      h.clock(),
      'Halo 👋 terima kasih… jalan rusak di Jl. Kenanga ’RT 03’',
    );
    const body = JSON.stringify(payload);
    expect(body).toMatch(/[\u0080-\uffff]/);
    // Meta's signature: the HMAC of the body with every non-ASCII character as \uXXXX.
    const escaped = body.replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    const signature = `sha256=${createHmac('sha256', APP_SECRET).update(escaped).digest('hex')}`;
    const before = h.fake.sent(other.waId).length;
    const res = await h.post(body, signature);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, accepted: 1 });
    await h.fake.waitFor(() => h.fake.sent(other.waId).length > before, 'an answer');
  });

  test('a body that is not JSON, signed: 200 ignored (Meta would resend it for a day)', async () => {
    const res = await h.post('{"object": "whatsapp_business_account", "entry": [');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, outcome: 'ignored' });
  });
});

describe('POST /whatsapp/webhook: delivery', () => {
  test('the same wamid delivered twice has one effect', async () => {
    const user = { waId: '6281234560003' };
    const id = wa.nextWamid();
    const call = wa.text(user, h.clock(), 'halo', id);
    const first = await h.post(call);
    expect(first.body).toMatchObject({ accepted: 1, duplicates: 0 });
    await h.outboxMessage(`reply:whatsapp:${id}`, (m) => m.status === 'sent');
    const answered = h.fake.sent(user.waId).length;
    expect(answered).toBeGreaterThan(0);

    const again = await h.post(call);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 1 });
    await settle();
    await h.service.dispatcher.runOnce();
    expect(h.fake.sent(user.waId)).toHaveLength(answered);
    // The core turn ran once: one reply set in the outbox for that message.
    const replies = (
      await h.service.backend.outbox.list({ channel: 'whatsapp', limit: 1000 })
    ).filter((m) => m.recipient === user.waId);
    expect(replies).toHaveLength(1);
  });

  test("one user's messages are handled in the order sent, answered in that order", async () => {
    const user = { waId: '6281234560004' };
    const at = h.clock();
    const call = wa.inbound(
      user,
      wa.messageFrom(user, at, { type: 'text', text: { body: 'halo' } }),
      wa.messageFrom(user, at, { type: 'text', text: { body: 'terima kasih' } }),
    );
    const res = await h.post(call);
    expect(res.body).toMatchObject({ accepted: 2 });
    await h.fake.waitFor(
      () => h.fake.sent(user.waId).some((m) => /Sama-sama/.test(bodyOf(m))),
      'the answer to the second message',
    );
    const bodies = h.fake.sent(user.waId).map(bodyOf);
    const greeting = bodies.findIndex((b) => /Halo! Saya Suara/.test(b));
    const thanks = bodies.findIndex((b) => /Sama-sama/.test(b));
    expect(greeting).toBeGreaterThanOrEqual(0);
    expect(greeting).toBeLessThan(thanks);
  });

  test('a status callback that is not `failed` changes nothing', async () => {
    const res = await h.post(wa.status('wamid.OUT1', { waId: '6281234560001' }, 'delivered'));
    expect(res.body).toMatchObject({ ok: true, accepted: 0, failedStatuses: 0 });
  });
});

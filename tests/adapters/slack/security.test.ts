import { slowPost } from '../../support/slow-post';
import {
  blockAction,
  type Harness,
  PUPR,
  sign,
  startSlackService,
  viewSubmission,
} from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startSlackService();
});
afterAll(async () => {
  await h.stop();
});

function form(payload: object): string {
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
const FORM = 'application/x-www-form-urlencoded';

describe('request signatures', () => {
  test('a correctly signed request is accepted (the control for the refusals below)', async () => {
    const c = await h.openCase();
    const body = form(
      blockAction({ channel: PUPR, trackingId: c.trackingId, actionId: 'suara:ack' }),
    );
    expect((await h.post(body, FORM)).status).toBe(200);
    expect((await h.service.backend.cases.get(c.trackingId))?.status).toBe('in_progress');
  });

  test('a bad signature → 401 and nothing done', async () => {
    const c = await h.openCase();
    const body = form(
      viewSubmission({
        callbackId: 'suara:reply',
        trackingId: c.trackingId,
        channel: PUPR,
        note: 'x',
      }),
    );
    const ts = Math.floor(Date.now() / 1000);
    const wrongSecret = await h.post(body, FORM, { signature: sign(body, ts, 'not-the-secret') });
    expect(wrongSecret.status).toBe(401);
    // Signed, then the body changed.
    const tampered = await h.post(body.replace('x', 'y'), FORM, { ts, signature: sign(body, ts) });
    expect(tampered.status).toBe(401);
    const missing = await fetch(`${h.service.url}/slack/events`, {
      method: 'POST',
      headers: { 'Content-Type': FORM },
      body,
    });
    expect(missing.status).toBe(401);
    expect(await h.service.backend.cases.events(c.trackingId)).toHaveLength(1);
  });

  test('a stale timestamp (over 5 minutes old) → 401 even with a valid signature', async () => {
    const c = await h.openCase();
    const body = form(
      blockAction({ channel: PUPR, trackingId: c.trackingId, actionId: 'suara:ack' }),
    );
    const ts = Math.floor(Date.now() / 1000) - 6 * 60;
    const res = await h.post(body, FORM, { ts, signature: sign(body, ts) });
    expect(res.status).toBe(401);
    expect((await h.service.backend.cases.get(c.trackingId))?.status).toBe('received');
  });

  test('signed but malformed payloads are refused or ignored without a crash', async () => {
    const c = await h.openCase();
    expect((await h.post('payload=%7Bnot%20json', FORM)).status).toBe(400);
    // A block action without the case's block id, and a modal whose metadata is not ours.
    const noBlock = {
      type: 'block_actions',
      team: { id: 'T1' },
      user: { id: 'U0STAFF', team_id: 'T1' },
      trigger_id: 't1',
      channel: { id: PUPR },
      actions: [{ action_id: 'suara:ack', value: c.trackingId }],
    };
    expect((await h.post(form(noBlock), FORM)).status).toBe(200);
    const badMeta = viewSubmission({
      callbackId: 'suara:reply',
      trackingId: c.trackingId,
      channel: PUPR,
      note: 'x',
    });
    badMeta.view.private_metadata = '{"id":"../etc"}';
    expect((await h.post(form(badMeta), FORM)).status).toBe(200);
    expect(await h.service.backend.cases.events(c.trackingId)).toHaveLength(1);
    expect((await fetch(`${h.service.url}/healthz`)).status).toBe(200);
  });
});

describe('request size and headers are checked before the body is read', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const url = () => `${h.service.url}/slack/events`;
  const FOUR_MB = 4 * 1024 * 1024;

  test('a body declared over 256 KB → 413 JSON at once, whatever its headers', async () => {
    const r = await slowPost(url(), {
      totalBytes: FOUR_MB,
      declareLength: true,
      headers: { 'X-Slack-Request-Timestamp': String(now()), 'X-Slack-Signature': 'v0=00' },
    });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(r.sentBytes).toBeLessThan(256 * 1024);
  });

  test('a chunked body over 256 KB → 413, answered as soon as the cap is passed', async () => {
    const r = await slowPost(url(), {
      totalBytes: FOUR_MB,
      declareLength: false,
      chunkBytes: 32 * 1024,
      headers: { 'X-Slack-Request-Timestamp': String(now()), 'X-Slack-Signature': 'v0=00' },
    });
    expect(r.status).toBe(413);
    expect(r.sentBytes).toBeLessThan(1024 * 1024);
    expect((await fetch(`${h.service.url}/healthz`)).status).toBe(200);
  });

  test('no signature, no timestamp or a stale one → 401 before the body is sent', async () => {
    const cases: Record<string, string>[] = [
      { 'X-Slack-Request-Timestamp': String(now()) },
      { 'X-Slack-Signature': 'v0=00' },
      { 'X-Slack-Request-Timestamp': String(now() - 6 * 60), 'X-Slack-Signature': 'v0=00' },
      { 'X-Slack-Request-Timestamp': 'soon', 'X-Slack-Signature': 'v0=00' },
    ];
    for (const headers of cases) {
      const r = await slowPost(url(), { totalBytes: 200 * 1024, declareLength: true, headers });
      expect(r.status).toBe(401);
      expect(r.sentBytes).toBeLessThan(200 * 1024);
    }
  });
});

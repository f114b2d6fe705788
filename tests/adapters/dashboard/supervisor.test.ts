/**
 * The supervisor view end to end: `/suara dashboard` in an agency's Slack channel answers with a
 * personal link; the link opens an 8-hour session scoped to that agency (once, within 10
 * minutes); the view shows the agency's statistics and its overdue and due-soon queue with
 * personal data masked; the queue exports as CSV; sign-out ends it.
 */
import request from 'supertest';
import { dashboardChannel } from '../../../adapters/dashboard';
import type { Case } from '../../../src/cases/types';
import { DASHBOARD_SCOPE, DashboardAccess } from '../../../src/staff/dashboard-access';
import { type Harness, PUPR, startSlackService, TRIAGE } from '../slack/harness';

const PUBLIC_URL = 'https://lapor.example.go.id';
const DAY = 86_400_000;

/** Parses CSV (RFC 4180: quoted fields, doubled quotes, CRLF rows). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('the supervisor view', () => {
  let h: Harness;
  let late: Case;
  let lateAnonymous: Case;
  let elsewhere: Case;

  beforeAll(async () => {
    h = await startSlackService({}, {}, undefined, [dashboardChannel], { publicUrl: PUBLIC_URL });
    late = await h.openCase({ text: 'Jalan berlubang', identity: 'named' });
    lateAnonymous = await h.openCase({ text: 'Saluran mampet', identity: 'anonymous' });
    elsewhere = await h.openCase({ category: 'health', text: 'Puskesmas tutup' });
    // A week later: all three are past their verification deadline.
    h.clock.advance(7 * DAY);
  });
  afterAll(() => h.stop());

  const app = () => request(h.service.url);

  /** Asks Slack for a link in `channel`; returns the token. */
  async function linkFrom(channel: string): Promise<string> {
    const res = await h.command(channel, 'dashboard');
    const body = JSON.parse(res.body) as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    const m = /https:\/\/lapor\.example\.go\.id\/dashboard\/masuk\?t=([\w-]+)/.exec(body.text);
    expect(m).not.toBeNull();
    return m?.[1] ?? '';
  }

  /** Signs in with a link token; returns the session cookie. */
  async function signIn(token: string): Promise<string> {
    const res = await app().post('/dashboard/masuk').type('form').send({ t: token });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/dashboard');
    const set = String(res.headers['set-cookie']);
    expect(set).toMatch(
      /^suara_dashboard=[\w-]+; Max-Age=28800; Path=\/dashboard; Expires=.*; HttpOnly; Secure; SameSite=Strict$/,
    );
    return set.split(';')[0] ?? '';
  }

  test("a link from an agency's channel opens a session that sees that agency only", async () => {
    const token = await linkFrom(PUPR);
    // Opening the link shows a button: a link preview fetching it signs nobody in.
    const landing = await app().get(`/dashboard/masuk?t=${token}`);
    expect(landing.status).toBe(200);
    expect(landing.text).toContain('method="post" action="/dashboard/masuk"');
    const cookie = await signIn(token);

    const page = await app().get('/dashboard').set('Cookie', cookie);
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain('Dinas Pekerjaan Umum');
    // The queue: both late PUPR cases, the named reporter's name, the anonymous one masked.
    expect(page.text).toContain(late.trackingId);
    expect(page.text).toContain(lateAnonymous.trackingId);
    expect(page.text).toContain('Anonim');
    expect(page.text).not.toContain(elsewhere.trackingId);
    expect(page.text).not.toContain('Saluran mampet');

    // Another agency's figures are refused; so is the view without a session.
    const foreign = await app().get('/dashboard?agency=dinas-kesehatan').set('Cookie', cookie);
    expect(foreign.status).toBe(403);
    expect((await app().get('/dashboard')).status).toBe(401);
    expect(
      (
        await app()
          .get('/dashboard')
          .set('Cookie', 'suara_dashboard=forged-session-id-0000000000000000000000000')
      ).status,
    ).toBe(401);
  });

  test('a link works once, and not after 10 minutes; a session ends after 8 hours', async () => {
    const token = await linkFrom(PUPR);
    const cookie = await signIn(token);
    const again = await app().post('/dashboard/masuk').type('form').send({ t: token });
    expect(again.status).toBe(403);
    expect(again.text).toContain('tidak berlaku');
    expect((await app().get(`/dashboard/masuk?t=${token}`)).status).toBe(403);

    const stale = await linkFrom(PUPR);
    h.clock.advance(11 * 60_000);
    expect((await app().post('/dashboard/masuk').type('form').send({ t: stale })).status).toBe(403);
    expect((await app().post('/dashboard/masuk').type('form').send({ t: 'x' })).status).toBe(403);

    expect((await app().get('/dashboard').set('Cookie', cookie)).status).toBe(200);
    h.clock.advance(8 * 3_600_000);
    expect((await app().get('/dashboard').set('Cookie', cookie)).status).toBe(401);
  });

  test('the triage channel sees every agency; the queue exports as CSV', async () => {
    const unrouted = await h.openCase({ category: 'other', text: 'Tidak jelas instansinya' });
    h.clock.advance(7 * DAY);
    const cookie = await signIn(await linkFrom(TRIAGE));
    const page = await app().get('/dashboard?lang=en').set('Cookie', cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain('All agencies');
    expect(page.text).toContain(elsewhere.trackingId);

    const csv = await app().get('/dashboard/antrean.csv?lang=en').set('Cookie', cookie);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const rows = parseCsv(csv.text.replace(/^\uFEFF/, ''));
    expect(rows[0]).toEqual([
      'Tracking id',
      'Category',
      'Agency',
      'Age',
      'Deadline',
      'State',
      'Reporter',
    ]);
    const ids = rows.slice(1).map((r) => r[0]);
    expect(ids).toEqual(
      expect.arrayContaining([late.trackingId, lateAnonymous.trackingId, elsewhere.trackingId]),
    );
    const anonymousRow = rows.find((r) => r[0] === lateAnonymous.trackingId);
    expect(anonymousRow?.[6]).toBe('Anonymous');
    expect(anonymousRow?.[5]).toBe('overdue');
    // The triage desk's own case is named like any agency's.
    expect(rows.find((r) => r[0] === unrouted.trackingId)?.[2]).toBe('Complaint verification desk');
    expect(Number(anonymousRow?.[3])).toBeGreaterThanOrEqual(7);
    // One agency of the triage's view, by filter: its rows only.
    const one = await app()
      .get('/dashboard/antrean.csv?agency=dinas-kesehatan')
      .set('Cookie', cookie);
    expect(
      parseCsv(one.text.replace(/^\uFEFF/, ''))
        .slice(1)
        .map((r) => r[0]),
    ).toEqual([elsewhere.trackingId]);
    // Without a session: nothing.
    expect((await app().get('/dashboard/antrean.csv')).status).toBe(401);
  });

  test('a session of two agencies sees their figures only, whatever it asks', async () => {
    const access = new DashboardAccess(
      h.service.backend.channelStore.scope(DASHBOARD_SCOPE),
      h.clock,
    );
    const cookie = await signIn(
      await access.issueLink({ userId: 'U2', agencyIds: ['dinas-pupr', 'dinas-perhubungan'] }),
    );
    for (const path of ['/dashboard', '/dashboard?agency=']) {
      const page = await app().get(path).set('Cookie', cookie);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<th scope="row">Dinas Pekerjaan Umum dan Penataan Ruang</th>');
      // The health case of another agency counts nowhere on this page.
      expect(page.text).not.toContain('<th scope="row">Dinas Kesehatan</th>');
      expect(page.text).not.toContain(elsewhere.trackingId);
    }
  });

  test('behind a proxy, a form posted from the public address is ours', async () => {
    const token = await linkFrom(PUPR);
    const res = await app()
      .post('/dashboard/masuk')
      .set('Origin', PUBLIC_URL)
      .type('form')
      .send({ t: token });
    expect(res.status).toBe(303);
    const forged = await app()
      .post('/dashboard/masuk')
      .set('Origin', 'https://evil.example')
      .type('form')
      .send({ t: await linkFrom(PUPR) });
    expect(forged.status).toBe(403);
  });

  test('a cell a spreadsheet would run as a formula is written as text', async () => {
    const tricky = await h.openCase({
      identity: 'named',
      reporter: {
        channel: 'citizen-test',
        channelUserId: 'x1',
        conversationId: 'x1',
        name: '=HYPERLINK("http://evil")',
      },
    });
    h.clock.advance(7 * DAY);
    const access = new DashboardAccess(
      h.service.backend.channelStore.scope(DASHBOARD_SCOPE),
      h.clock,
    );
    const cookie = await signIn(
      await access.issueLink({ userId: 'U1', agencyIds: [tricky.agencyId] }),
    );
    const csv = await app().get('/dashboard/antrean.csv').set('Cookie', cookie);
    const row = parseCsv(csv.text.replace(/^\uFEFF/, '')).find((r) => r[0] === tricky.trackingId);
    expect(row?.[6]).toBe(`'=HYPERLINK("http://evil")`);
  });

  test('sign out ends the session; a sign-out posted from another site does not', async () => {
    const cookie = await signIn(await linkFrom(PUPR));
    const forged = await app()
      .post('/dashboard/keluar')
      .set('Cookie', cookie)
      .set('Origin', 'https://evil.example');
    expect(forged.status).toBe(200);
    expect((await app().get('/dashboard').set('Cookie', cookie)).status).toBe(200);
    const out = await app().post('/dashboard/keluar').set('Cookie', cookie);
    expect(out.status).toBe(200);
    expect(String(out.headers['set-cookie'])).toMatch(
      /^suara_dashboard=; Path=\/dashboard; Expires=Thu, 01 Jan 1970/,
    );
    expect((await app().get('/dashboard').set('Cookie', cookie)).status).toBe(401);
  });

  test('without SUARA_PUBLIC_URL, Slack says why there is no link', async () => {
    const plain = await startSlackService();
    try {
      const res = await plain.command(PUPR, 'dashboard');
      expect(JSON.parse(res.body).text).toContain('SUARA_PUBLIC_URL');
    } finally {
      await plain.stop();
    }
  });
});

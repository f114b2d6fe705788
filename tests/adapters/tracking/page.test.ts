/**
 * The public tracking page over HTTP, on the real service: what a case's page shows (and never
 * shows), confidential cases, unknown ids, tolerant look-up, languages, headers and the rate
 * limit.
 */

import type { Case } from '../../../src/cases/types';
import { createdEvent, makeCase } from '../../support/fixtures';
import { PERSONAL, PERSONAL_FRAGMENTS, STAFF, START, startTracking } from './helpers';

type Tracking = Awaited<ReturnType<typeof startTracking>>;

const PUPR_ID = 'Dinas Pekerjaan Umum dan Penataan Ruang';
const PUPR_EN = 'Public Works and Spatial Planning Department';
const DISHUB = 'Dinas Perhubungan';

/** The deadline as a citizen in Jakarta reads it. */
function jakarta(iso: string, locale: 'id-ID' | 'en-GB'): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'Asia/Jakarta',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(iso));
}

function expectNothingPersonal(html: string): void {
  for (const fragment of PERSONAL_FRAGMENTS) expect(html).not.toContain(fragment);
}

/** The items of the page's timeline, as text without tags. */
function timelineItems(html: string): string[] {
  const list = /<ol class="timeline">([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) =>
    (m[1] ?? '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

describe('the tracking page of a case', () => {
  let t: Tracking;
  let c: Case;

  beforeAll(async () => {
    t = await startTracking({ limit: { burst: 1000, perMs: 60_000 } });
    c = await t.openCase();
    const id = c.trackingId;
    await t.service.cases.act(id, { type: 'verify', note: 'pelapor sudah 3x lapor' }, STAFF);
    await t.service.cases.act(
      id,
      { type: 'note', note: 'nomor HP pelapor salah', public: false },
      STAFF,
    );
    await t.service.cases.act(
      id,
      { type: 'note', note: 'Tim akan survei lokasi hari Senin <b>pagi</b>', public: true },
      STAFF,
    );
    await t.service.cases.act(id, { type: 'start' }, STAFF);
    // The citizen's own words in the history (a note of theirs) are never public.
    await t.service.cases.act(
      id,
      { type: 'note', note: `Saya ${PERSONAL.name}, hubungi ${PERSONAL.phone}`, public: true },
      { type: 'citizen', id: PERSONAL.channelUserId },
    );
  });

  afterAll(async () => {
    await t?.service.stop();
  });

  test('shows status, category, agency, deadline with its SLA state, and the public history', async () => {
    const res = await t.get(`/lacak/${c.trackingId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = res.body;
    expect(html).toContain('<html lang="id">');
    expect(html).toContain(`<h1>Laporan ${c.trackingId}</h1>`);
    expect(html).toContain('<dd class="status">Sedang ditindaklanjuti</dd>');
    expect(html).toContain('Jalan, jembatan, dan saluran air');
    expect(html).toContain(PUPR_ID);

    const current = await t.service.backend.cases.get(c.trackingId);
    const due = current?.deadlines.followUpBy ?? '';
    expect(due).not.toBe('');
    expect(html).toContain('Batas tindak lanjut');
    expect(html).toContain(`<time datetime="${due}">${jakarta(due, 'id-ID')}</time>`);
    expect(jakarta(due, 'id-ID')).toMatch(/WIB$/);
    expect(html).toContain('Sesuai jadwal');

    expect(timelineItems(html)).toEqual([
      expect.stringMatching(/^27 Nov 2026, 09\.00 WIB Laporan diterima$/),
      expect.stringMatching(/Laporan diverifikasi$/),
      expect.stringMatching(
        /Catatan petugas Tim akan survei lokasi hari Senin &lt;b&gt;pagi&lt;\/b&gt;$/,
      ),
      expect.stringMatching(/Mulai ditindaklanjuti$/),
    ]);
    expect(html).toMatch(/<time datetime="2026-11-27T02:00:00.000Z">/);
    // Internal notes, the citizen's words, and staff names stay out.
    expect(html).not.toContain('pelapor sudah 3x lapor');
    expect(html).not.toContain('nomor HP pelapor salah');
    expect(html).not.toContain('Petugas Budi');
    expectNothingPersonal(html);
  });

  test('answers with the security headers and a page without script or external assets', async () => {
    const res = await t.get(`/lacak/${c.trackingId}`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toMatch(/form-action 'self'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).not.toMatch(/<script|<link|<img|src=|https?:\/\//i);
    // Accessible structure: a main, one h1, a labelled input, an ordered list with times.
    expect(res.body).toContain('<main id="main"');
    expect(res.body.match(/<h1>/g)).toHaveLength(1);
    expect(res.body).toMatch(/<label for="id">Nomor laporan<\/label>/);
    expect(res.body).toMatch(/<input type="text" id="id" name="id"/);
    expect(res.body).toMatch(/:focus(-visible)?\{outline:3px solid/);
  });

  test('a transfer shows the new agency, and the SLA state moves with the clock', async () => {
    const other = await t.openCase();
    await t.service.cases.act(
      other.trackingId,
      { type: 'transfer', toAgencyId: 'dinas-perhubungan' },
      STAFF,
    );
    let html = (await t.get(`/lacak/${other.trackingId}`)).body;
    expect(html).toContain(`<dd>${DISHUB}</dd>`);
    expect(timelineItems(html)[1]).toMatch(/Dialihkan ke Dinas Perhubungan$/);
    expect(html).toContain('Batas verifikasi');
    expect(html).toContain('Sesuai jadwal');

    const due = (await t.service.backend.cases.get(other.trackingId))?.deadlines.verifyBy ?? '';
    t.clock.set(new Date(new Date(due).getTime() - 3600_000).toISOString());
    html = (await t.get(`/lacak/${other.trackingId}`)).body;
    expect(html).toContain('<span class="badge due_soon">Segera jatuh tempo</span>');
    t.clock.set(new Date(new Date(due).getTime() + 60_000).toISOString());
    html = (await t.get(`/lacak/${other.trackingId}`)).body;
    expect(html).toContain('<span class="badge overdue">Melewati batas waktu</span>');
    t.clock.set(START);
  });

  test('a resolved case shows when it closes by itself, without an SLA state', async () => {
    const done = await t.openCase();
    await t.service.cases.act(done.trackingId, { type: 'start' }, STAFF);
    await t.service.cases.act(done.trackingId, { type: 'resolve', note: 'Sudah ditambal' }, STAFF);
    const html = (await t.get(`/lacak/${done.trackingId}`)).body;
    expect(html).toContain('Selesai ditangani');
    expect(html).toContain('Ditutup otomatis jika pelapor tidak menanggapi sampai');
    expect(html).not.toContain('class="badge');
    expect(timelineItems(html).at(-1)).toMatch(
      /Dinyatakan selesai Catatan petugas: Sudah ditambal$/,
    );
    expectNothingPersonal(html);
  });

  test('a confidential case shows only its status', async () => {
    const secret = await t.openCase({ identity: 'confidential' });
    await t.service.cases.act(secret.trackingId, { type: 'verify' }, STAFF);
    await t.service.cases.act(
      secret.trackingId,
      { type: 'note', note: 'Catatan publik untuk kasus rahasia', public: true },
      STAFF,
    );
    const res = await t.get(`/lacak/${secret.trackingId}`);
    expect(res.status).toBe(200);
    expect(res.body).toContain(`<h1>Laporan ${secret.trackingId}</h1>`);
    expect(res.body).toContain('<dd class="status">Terverifikasi</dd>');
    expect(res.body).toContain('bersifat rahasia');
    expect(res.body).not.toContain(PUPR_ID);
    expect(res.body).not.toContain('Jalan, jembatan');
    expect(res.body).not.toContain('Catatan publik');
    expect(res.body).not.toContain('<ol');
    expect(res.body).not.toContain('<time');
    expect(res.body).not.toContain('Batas');
    expectNothingPersonal(res.body);
  });

  test('an unknown or malformed id answers 404 with a clear message and the form', async () => {
    const unknown = await t.get('/lacak/ADU-ZZZZZZ');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('<h1>Laporan tidak ditemukan</h1>');
    expect(unknown.body).toContain('Tidak ada laporan dengan nomor ADU-ZZZZZZ.');
    expect(unknown.body).toMatch(/<form method="get" action="\/lacak">/);
    expect(unknown.headers.get('cache-control')).toBe('no-store');

    const malformed = await t.get(`/lacak/${encodeURIComponent('<script>x</script>')}`);
    expect(malformed.status).toBe(404);
    expect(malformed.body).toContain('<h1>Nomor laporan tidak dikenali</h1>');
    expect(malformed.body).not.toContain('<script>');
    expect(malformed.body).toContain('value="&lt;script&gt;x&lt;/script&gt;"');

    const deeper = await t.get(`/lacak/${c.trackingId}/events`);
    expect(deeper.status).toBe(404);
    expect(deeper.body).toContain('<h1>Nomor laporan tidak dikenali</h1>');
  });

  test('tolerant look-up: other spellings redirect to the canonical page', async () => {
    // An id with a 0 and a 1, typed in lower case with O for 0 and I for 1.
    const known = makeCase({
      trackingId: 'ADU-01K3M9',
      reporter: { channel: 'x', channelUserId: 'y' },
    });
    await t.service.backend.commit({
      cases: [{ case: known, expectedVersion: null }],
      events: [createdEvent(known)],
    });
    const moved = await t.get('/lacak/adu-oik3m9');
    expect(moved.status).toBe(301);
    expect(moved.headers.get('location')).toBe('/lacak/ADU-01K3M9');
    const bare = await t.get('/lacak/adu01k3m9?lang=en');
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/lacak/ADU-01K3M9?lang=en');
    // Trailing punctuation copied from a chat message.
    const copied = await t.get(`/lacak/${encodeURIComponent('ADU-01K3M9.')}`);
    expect(copied.headers.get('location')).toBe('/lacak/ADU-01K3M9');
    expect((await t.get('/lacak/01K3M9x')).status).toBe(404);

    const form = await t.get(`/lacak?id=${encodeURIComponent(' adu 0lk3m9 ')}`);
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe('/lacak/ADU-01K3M9');
    const formEn = await t.get('/lacak?id=ADU-O1K3M9&lang=en');
    expect(formEn.headers.get('location')).toBe('/lacak/ADU-01K3M9?lang=en');
    // Followed, the redirects land on the case.
    const followed = await fetch(
      `${t.origin}/lacak?id=${encodeURIComponent(c.trackingId.toLowerCase())}`,
    );
    expect(followed.url).toBe(`${t.origin}/lacak/${c.trackingId}`);
    expect(await followed.text()).toContain('Sedang ditindaklanjuti');
    const known2 = await fetch(`${t.origin}/lacak/adu-oik3m9`);
    expect(known2.url).toBe(`${t.origin}/lacak/ADU-01K3M9`);
    expect(known2.status).toBe(200);
  });

  test('the form: empty and malformed input are explained, with the input marked invalid', async () => {
    const page = await t.get('/lacak');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<h1>Lacak laporan</h1>');
    expect(page.body).not.toContain('aria-invalid');

    const empty = await t.get('/lacak?id=');
    expect(empty.status).toBe(400);
    expect(empty.body).toContain('Tulis nomor laporan terlebih dahulu.');
    expect(empty.body).toContain('aria-invalid="true"');

    const bad = await t.get(`/lacak?id=${encodeURIComponent('"><b>hello')}`);
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('Itu bukan nomor laporan.');
    expect(bad.body).toContain('value="&quot;&gt;&lt;b&gt;hello"');
    expect(bad.body).not.toContain('<b>hello');
  });

  test('language: ?lang=en, then Accept-Language, Indonesian by default; a link switches', async () => {
    const en = await t.get(`/lacak/${c.trackingId}?lang=en`);
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain(`<h1>Report ${c.trackingId}</h1>`);
    expect(en.body).toContain('<dd class="status">In progress</dd>');
    expect(en.body).toContain(PUPR_EN);
    expect(en.body).toContain('Roads, bridges and drains');
    expect(en.body).toContain('Follow-up due');
    expect(en.body).toContain('On time');
    expect(en.body).toMatch(/Report received/);
    expect(en.body).toMatch(/GMT\+7/);
    expect(en.body).toContain('<input type="hidden" name="lang" value="en">');
    expect(en.body).toContain(`href="/lacak/${c.trackingId}?lang=id" hreflang="id" lang="id"`);
    expectNothingPersonal(en.body);

    const browser = await t.get(`/lacak/${c.trackingId}`, { 'Accept-Language': 'en-US,en;q=0.9' });
    expect(browser.body).toContain('<html lang="en">');
    expect(browser.headers.get('vary')).toMatch(/Accept-Language/);
    const forced = await t.get(`/lacak/${c.trackingId}?lang=id`, { 'Accept-Language': 'en' });
    expect(forced.body).toContain('<html lang="id">');
    const other = await t.get(`/lacak/${c.trackingId}`, { 'Accept-Language': 'fr-FR' });
    expect(other.body).toContain('<html lang="id">');
    expect(other.body).toContain(`href="/lacak/${c.trackingId}?lang=en" hreflang="en" lang="en"`);
  });
});

describe('the rate limit per client address', () => {
  let t: Tracking;

  beforeAll(async () => {
    // Behind a proxy on loopback, so the test can speak from several client addresses.
    t = await startTracking({ limit: { burst: 3, perMs: 60_000 } }, { trustProxy: ['loopback'] });
  });

  afterAll(async () => {
    await t?.service.stop();
  });

  test('guessing ids meets 429 with Retry-After and no data; other addresses go on', async () => {
    const c = await t.openCase();
    const from = (ip: string) => ({ 'X-Forwarded-For': ip });
    const statuses: number[] = [];
    let last: Awaited<ReturnType<Tracking['get']>> | undefined;
    for (let i = 0; i < 10; i++) {
      last = await t.get(`/lacak/ADU-ZZZZZ${i}`, from('203.0.113.7'));
      statuses.push(last.status);
      if (last.status === 429) break;
    }
    // Unknown ids count like any other look-up.
    expect(statuses).toEqual([404, 404, 404, 429]);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(last?.headers.get('cache-control')).toBe('no-store');
    expect(last?.body).toContain('Terlalu banyak');

    // A real id over the limit gets no data either.
    const blocked = await t.get(`/lacak/${c.trackingId}`, from('203.0.113.7'));
    expect(blocked.status).toBe(429);
    expect(blocked.body).not.toContain(c.trackingId);
    expect(blocked.body).not.toContain('Diterima');
    expect(blocked.body).not.toContain('Dinas');

    // Redirects of other spellings do not look anything up, and so do not count.
    const redirect = await t.get(`/lacak/${c.trackingId.toLowerCase()}`, from('203.0.113.7'));
    expect(redirect.status).toBe(301);

    // Another address has its own budget; the first gets one back after its refill time.
    expect((await t.get(`/lacak/${c.trackingId}`, from('198.51.100.20'))).status).toBe(200);
    t.clock.advance(20_000);
    expect((await t.get(`/lacak/${c.trackingId}`, from('203.0.113.7'))).status).toBe(200);
    expect((await t.get(`/lacak/${c.trackingId}`, from('203.0.113.7'))).status).toBe(429);
  });
});

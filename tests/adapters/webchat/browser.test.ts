/**
 * End to end in a real browser: headless Chromium (Debian package `chromium`) driven by
 * playwright-core opens the demo page served by the real service, uses the widget like a citizen
 * (mouse and keyboard only), and checks what a screen reader and an attacker would care about.
 */

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { webchatChannel } from '../../../adapters/webchat';
import { silentLogger } from '../../../src/logger';
import { type RunningService, startService } from '../../../src/service';
import { STAFF } from '../../core/helpers';
import { testConfig } from '../../support/config';
import { testNlu } from '../../support/nlu';
import { until } from '../../support/until';
import { FakeDirectLine } from './widget-fake-directline';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = join(__dirname, '..', '..', '..', 'scratch', 'webchat-e2e.png');
const WAIT = { timeout: 15_000 };
const COMPLAINT = 'jalan depan rumah saya berlubang besar sudah 2 bulan';
const XSS = '<img src=x onerror=window.__xss=1>';
const PNG_1PX =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

jest.setTimeout(60_000);

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  // CI installs it (`.ci/run`: apt-get install chromium); locally the test is skipped, loudly.
  console.warn(`browser.test.ts skipped: ${CHROMIUM} is missing (apt-get install chromium)`);
}
const describeBrowser = haveChromium ? describe : describe.skip;

/** Widget parts live in an open shadow root; Playwright's CSS selectors pierce it. */
const W = '#suara-webchat';

/** In-page scripts are strings: the project compiles without the DOM library. */
const FOCUSED = `(() => {
  const root = document.getElementById('suara-webchat').shadowRoot;
  const a = root.activeElement;
  if (a) return a.tagName.toLowerCase() + '.' + a.className + (a.closest('.panel') ? '@panel' : '');
  return 'page:' + (document.activeElement ? document.activeElement.tagName.toLowerCase() : 'none');
})()`;
const XSS_RAN = 'window.__xss';
const IMAGES_IN_WIDGET =
  "document.getElementById('suara-webchat').shadowRoot.querySelectorAll('img').length";

/** Class of the focused element inside the widget's shadow root, or the page's focused tag. */
function focused(page: Page): Promise<string> {
  return page.evaluate<string>(FOCUSED);
}

async function choose(page: Page, label: string): Promise<void> {
  const button = page
    .locator(`${W} .choices button:enabled`)
    .filter({ hasText: new RegExp(`^${label}$`) })
    .first();
  await button.waitFor(WAIT);
  await button.click();
}

async function say(page: Page, text: string): Promise<void> {
  const input = page.locator(`${W} textarea`);
  await input.fill(text);
  await input.press('Enter');
  await page.locator(`${W} .msg.me`).filter({ hasText: text }).last().waitFor(WAIT);
}

describeBrowser('web chat widget in Chromium', () => {
  let service: RunningService;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    service = await startService(testConfig(), {
      logger: silentLogger,
      host: '127.0.0.1',
      nlu: testNlu(),
      channels: [webchatChannel],
    });
    origin = `http://127.0.0.1:${service.port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('files a complaint, survives a reload, works by keyboard and renders HTML as text', async () => {
    const context = await browser.newContext({
      locale: 'id-ID',
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));

    await page.goto(`${origin}/`);
    await page.locator(`${W} button.launcher`).waitFor(WAIT);
    expect(await page.title()).toContain('Pemerintah Kota Contoh');

    // Keyboard only: Tab reaches the launcher, Enter opens, focus lands in the input.
    let tabs = 0;
    while ((await focused(page)) !== 'button.launcher' && tabs < 30) {
      await page.keyboard.press('Tab');
      tabs++;
    }
    expect(await focused(page)).toBe('button.launcher');
    const launcher = page.locator(`${W} button.launcher`);
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    expect(await launcher.getAttribute('aria-label')).toBeTruthy();
    await page.keyboard.press('Enter');
    const panel = page.locator(`${W} [role="dialog"]`);
    await panel.waitFor({ state: 'visible', ...WAIT });
    expect(await panel.getAttribute('aria-modal')).toBe('true');
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator(`${W} [role="log"]`).getAttribute('aria-live')).toBe('polite');
    expect(await focused(page)).toBe('textarea.@panel');

    // Tab and Shift+Tab cycle inside the open panel (focus trap).
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      expect(f).toMatch(/@panel$/);
      seen.add(f);
    }
    expect(seen.size).toBeGreaterThanOrEqual(4); // language, close, log, attach, input, send
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('Shift+Tab');
      expect(await focused(page)).toMatch(/@panel$/);
    }
    // Escape closes and gives focus back to the launcher.
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden', ...WAIT });
    expect(await focused(page)).toBe('button.launcher');
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('Enter');
    await panel.waitFor({ state: 'visible', ...WAIT });

    // File a complaint by typing and clicking choices (the dialog of README's `suara chat`).
    await say(page, COMPLAINT);
    await choose(page, 'Ya');
    expect(await focused(page)).toBe('textarea.@panel'); // the pressed button is disabled, focus stays
    await page
      .locator(`${W} .choices button:enabled`)
      .filter({ hasText: /lokasi/i })
      .waitFor(WAIT);
    await say(page, 'Jl. Merdeka 10, RT 02 RW 03');
    // The photo step: a real upload (multipart `file`), shown once as the citizen's bubble.
    await page.locator(`${W} input[type="file"]`).setInputFiles({
      name: 'lubang.png',
      mimeType: 'image/png',
      buffer: Buffer.from(PNG_1PX, 'base64'),
    });
    await page.locator(`${W} .msg.me`).filter({ hasText: 'lubang.png' }).waitFor(WAIT);
    await choose(page, 'Anonim');
    await choose(page, 'Lewati'); // contact
    await choose(page, 'Kirim');
    const confirmation = page.locator(`${W} .msg.bot`).filter({ hasText: /ADU-[A-Z0-9]{6}/ });
    await confirmation.waitFor(WAIT);
    const trackingId = /ADU-[A-Z0-9]{6}/.exec((await confirmation.textContent()) ?? '')?.[0];
    expect(trackingId).toMatch(/^ADU-[A-Z0-9]{6}$/);
    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    // A button press shows its title as the citizen's bubble, each message once.
    expect(await page.locator(`${W} .msg.me`).filter({ hasText: 'Anonim' }).count()).toBe(1);
    expect(await page.locator(`${W} .msg.me`).filter({ hasText: COMPLAINT }).count()).toBe(1);
    expect(await page.locator(`${W} .msg.me`).filter({ hasText: 'lubang.png' }).count()).toBe(1);

    // XSS: markup typed by a citizen is shown as text, never run.
    const botCount = await page.locator(`${W} .msg.bot`).count();
    await say(page, XSS);
    await page.locator(`${W} .msg.bot`).nth(botCount).waitFor(WAIT); // the bot answered it
    const xssBubble = page.locator(`${W} .msg.me`).filter({ hasText: XSS });
    expect(await xssBubble.count()).toBe(1);
    expect(await page.evaluate(XSS_RAN)).toBeUndefined();
    expect(await page.evaluate(IMAGES_IN_WIDGET)).toBe(0);

    // Reload: the conversation comes back (token kept in localStorage, history from the server).
    await page.reload();
    await panel.waitFor({ state: 'visible', ...WAIT });
    await page
      .locator(`${W} .msg.bot`)
      .filter({ hasText: trackingId ?? 'none' })
      .waitFor(WAIT);
    await page.locator(`${W} .msg.me`).filter({ hasText: XSS }).waitFor(WAIT);
    expect(await page.locator(`${W} .msg.me`).filter({ hasText: 'lubang.png' }).count()).toBe(1);
    expect(await page.locator(`${W} .msg.me`).filter({ hasText: COMPLAINT }).count()).toBe(1);
    expect(
      await page
        .locator(`${W} .msg.me`)
        .filter({ hasText: /^(Anda: )?Anonim$/ })
        .count(),
    ).toBe(1);
    expect(await page.evaluate(XSS_RAN)).toBeUndefined();
    // Still the same conversation: it answers.
    const before = await page.locator(`${W} .msg.bot`).count();
    await say(page, 'cek status');
    await page.locator(`${W} .msg.bot`).nth(before).waitFor(WAIT);

    // Staff verify the case: the notification reaches the open panel through the outbox.
    await service.cases.act(trackingId ?? 'none', { type: 'verify' }, STAFF);
    await service.dispatcher.runOnce();
    await page.locator(`${W} .msg.bot`).filter({ hasText: 'sudah diverifikasi' }).waitFor(WAIT);

    // Days later the kept token has expired: the resume token brings the same conversation back.
    type Saved = { key: string; value: Record<string, unknown> };
    const saved = (): Promise<Saved> =>
      page.evaluate(`(() => {
        const key = Object.keys(localStorage).find((k) => k.startsWith('suara.webchat:')) || '';
        return { key, value: JSON.parse(localStorage.getItem(key) || '{}') };
      })()`);
    const kept = await saved();
    expect(kept.value.resume).toEqual(expect.any(String));
    const expired = { ...kept.value, token: 'expired.token', expiresAt: 0 };
    await page.evaluate(
      `localStorage.setItem(${JSON.stringify(kept.key)}, ${JSON.stringify(JSON.stringify(expired))})`,
    );
    await page.reload();
    await panel.waitFor({ state: 'visible', ...WAIT });
    await page.locator(`${W} .msg.bot`).filter({ hasText: 'sudah diverifikasi' }).waitFor(WAIT);
    expect((await saved()).value.conversationId).toBe(kept.value.conversationId);
    expect((await saved()).value.token).not.toBe('expired.token');
    const answered = await page.locator(`${W} .msg.bot`).count();
    await say(page, 'menu');
    await page.locator(`${W} .msg.bot`).nth(answered).waitFor(WAIT);
    // And while the panel is closed, a red dot and a label tell there is something new.
    await page.keyboard.press('Escape');
    expect(await page.locator(`${W} .badge`).isVisible()).toBe(false);
    await service.cases.act(trackingId ?? 'none', { type: 'start' }, STAFF);
    await service.dispatcher.runOnce();
    await page.locator(`${W} .badge`).waitFor({ state: 'visible', ...WAIT });
    expect(await launcher.getAttribute('aria-label')).toMatch(/pesan baru/);

    // The stream was a WebSocket to the same host; nothing was fetched from anywhere else.
    expect(sockets.length).toBeGreaterThan(0);
    expect(sockets.filter((u) => !u.startsWith(origin.replace('http', 'ws')))).toEqual([]);
    expect(requests.filter((u) => !u.startsWith(origin))).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('falls back to polling without WebSocket and fills a phone screen', async () => {
    const context = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 375, height: 740 },
    });
    await context.addInitScript('delete window.WebSocket;'); // a network that blocks WebSockets
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    await page.locator(`${W} button.launcher`).click();
    const panel = page.locator(`${W} [role="dialog"]`);
    await panel.waitFor({ state: 'visible', ...WAIT });
    const box = await panel.boundingBox();
    expect(box).toEqual({ x: 0, y: 0, width: 375, height: 740 });
    // English UI from navigator.language, switchable to Indonesian.
    const lang = page.locator(`${W} button.lang`);
    expect(await page.locator(`${W} textarea`).getAttribute('placeholder')).toBe('Type a message…');
    await lang.click();
    expect(await page.locator(`${W} textarea`).getAttribute('placeholder')).toBe('Tulis pesan…');

    await say(page, 'halo');
    await page.locator(`${W} .msg.bot`).nth(1).waitFor(WAIT); // intro + the bot's reply
    expect(await page.locator(`${W} .choices button`).count()).toBeGreaterThan(0);

    // A poll refused for its token (as after a tab slept past expiry): the widget renews the
    // token and keeps the same conversation instead of starting an empty one.
    const conversationOf = () =>
      page.evaluate(
        `JSON.parse(localStorage.getItem(Object.keys(localStorage).find((k) => k.startsWith('suara.webchat:'))) || '{}').conversationId`,
      );
    const before = await conversationOf();
    const renewals: string[] = [];
    page.on('request', (r) => {
      if (/\/tokens\/(refresh|resume|generate)$/.test(r.url())) renewals.push(r.url());
    });
    let refusedOnce = false;
    await page.route('**/activities*', (route) => {
      if (route.request().method() === 'GET' && !refusedOnce) {
        refusedOnce = true;
        return route.fulfill({
          status: 403,
          contentType: 'application/json',
          body: '{"error":{"code":"Forbidden","message":"token expired"}}',
        });
      }
      return route.continue();
    });
    const answered = await page.locator(`${W} .msg.bot`).count();
    await say(page, 'menu');
    await page.locator(`${W} .msg.bot`).nth(answered).waitFor(WAIT);
    expect(refusedOnce).toBe(true);
    expect(renewals.some((u) => u.endsWith('/tokens/refresh'))).toBe(true);
    expect(renewals.some((u) => u.endsWith('/tokens/generate'))).toBe(false);
    expect(await conversationOf()).toBe(before);
    await context.close();
  });
});

describeBrowser('web chat widget against scripted bot messages', () => {
  let fake: FakeDirectLine;
  let browser: Browser;

  beforeAll(async () => {
    fake = new FakeDirectLine();
    await fake.start();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await fake?.stop();
  });

  it('links only http(s), shows typing, asks location with consent, uploads photos', async () => {
    const context = await browser.newContext({
      locale: 'id-ID',
      permissions: ['geolocation'],
      geolocation: { latitude: -6.2, longitude: 106.8 },
    });
    const page = await context.newPage();
    await page.goto(`${fake.url}/`);
    await page.locator(`${W} button.launcher`).click();
    await page.locator(`${W} [role="dialog"]`).waitFor({ state: 'visible', ...WAIT });
    await say(page, 'halo');
    const posted = () => fake.received.filter((r) => r.path === '/conversations/c1/activities');
    expect(fake.received[0]?.path).toBe('/tokens/generate');
    const userId = (fake.received[0]?.body as { user?: { id?: string } } | undefined)?.user?.id;
    expect(userId).toMatch(/^dl_[0-9a-f]{24}$/);

    const bot = { from: { id: 'suara', role: 'bot' } };
    fake.push({ type: 'typing', ...bot });
    await page.locator(`${W} .typing`).waitFor({ state: 'visible', ...WAIT });
    fake.push({
      type: 'message',
      ...bot,
      text: 'Info: https://example.go.id/info. <b>tebal</b> javascript:alert(1)',
      channelData: { link: { title: 'Jahat', url: 'javascript:alert(1)' } },
    });
    fake.push({
      type: 'message',
      ...bot,
      text: 'Di mana lokasinya?',
      channelData: {
        requestLocation: true,
        link: { title: 'Panduan', url: 'https://example.go.id/p' },
      },
    });
    await page.locator(`${W} .msg.bot`).filter({ hasText: 'Di mana lokasinya?' }).waitFor(WAIT);
    expect(await page.locator(`${W} .typing`).isVisible()).toBe(false);
    const links = await page
      .locator(`${W} .log a`)
      .evaluateAll((as) =>
        as.map((a) => [a.getAttribute('href'), a.textContent, a.getAttribute('rel')]),
      );
    expect(links).toEqual([
      ['https://example.go.id/info', 'https://example.go.id/info', 'noopener noreferrer'],
      ['https://example.go.id/p', 'Panduan', 'noopener noreferrer'],
    ]);
    const first = page.locator(`${W} .msg.bot`).filter({ hasText: 'tebal' });
    expect(await first.textContent()).toContain('<b>tebal</b> javascript:alert(1)');
    expect(await first.locator('b').count()).toBe(0);

    // Location: the reason is shown before the browser's own prompt; the coordinates go as an entity.
    await page
      .locator(`${W} .why`)
      .filter({ hasText: /hanya dipakai/ })
      .waitFor(WAIT);
    await choose(page, 'Bagikan lokasi');
    await page.locator(`${W} .msg.me`).filter({ hasText: 'Lokasi dibagikan' }).waitFor(WAIT);
    await until(() => posted().length === 2, 'the location activity');
    expect(posted()[1]?.body).toMatchObject({
      type: 'message',
      from: { id: userId },
      locale: 'id-ID',
      entities: [{ type: 'GeoCoordinates', latitude: -6.2, longitude: 106.8 }],
    });

    // Photos: too large is refused in the browser; a small one is uploaded as multipart `file`.
    const file = page.locator(`${W} input[type="file"]`);
    await file.setInputFiles({
      name: 'besar.png',
      mimeType: 'image/png',
      buffer: Buffer.alloc(5 * 1024 * 1024 + 1),
    });
    await page.locator(`${W} .note`).filter({ hasText: 'maksimal 5 MB' }).waitFor(WAIT);
    await file.setInputFiles({
      name: 'lubang.png',
      mimeType: 'image/png',
      buffer: Buffer.alloc(64, 1),
    });
    await page.locator(`${W} .msg.me`).filter({ hasText: 'lubang.png' }).waitFor(WAIT);
    await until(() => fake.received.some((r) => r.path.endsWith('/upload')), 'the upload');
    const upload = fake.received.find((r) => r.path.endsWith('/upload'));
    expect(upload?.query).toEqual({ userId });
    expect(upload?.auth).toBe('Bearer tok-1');
    expect(String(upload?.body)).toMatch(/name="file"; filename="lubang.png"/);
    // The upload's echo from the server is not shown twice.
    const seenAll = async () =>
      (await page.evaluate<string[]>('Object.values(localStorage)')).some(
        (v) => (JSON.parse(v) as { watermark?: unknown }).watermark === `${fake.activities.length}`,
      );
    await until(seenAll, 'the widget to read the upload echo');
    expect(await page.locator(`${W} .msg.me`).count()).toBe(3); // halo, location, photo

    // A status notification while the panel is closed: a badge and an announcing label.
    await page.locator(`${W} button.close`).click();
    fake.push({ type: 'message', ...bot, text: 'Laporan ADU-ABC123 sedang ditindaklanjuti.' });
    await page.locator(`${W} .badge`).waitFor({ state: 'visible', ...WAIT });
    expect(await page.locator(`${W} button.launcher`).getAttribute('aria-label')).toMatch(
      /pesan baru/,
    );

    // Reload: the token is refreshed and the same conversation continues.
    await page.reload();
    await page
      .locator(`${W} .msg.bot`)
      .filter({ hasText: 'ADU-ABC123' })
      .waitFor({ state: 'attached', ...WAIT });
    expect(fake.received.filter((r) => r.path === '/tokens/generate')).toHaveLength(1);
    expect(
      fake.received.some((r) => r.path === '/tokens/refresh' && r.auth === 'Bearer tok-1'),
    ).toBe(true);
    await context.close();
  });
});

/**
 * The statistics page in headless Chromium (Debian package `chromium`, playwright-core) against
 * the real service with a generated history: charts drawn, a table under each, filters that
 * change the URL and the numbers, the page's scripts and style allowed by its CSP.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { dashboardChannel } from '../../../adapters/dashboard';
import { silentLogger } from '../../../src/logger';
import { type RunningService, startService } from '../../../src/service';
import { DASHBOARD_SCOPE, DashboardAccess } from '../../../src/staff/dashboard-access';
import { generateHistory, HISTORY_START, HISTORY_WEEKS } from '../../stats/history';
import { testConfig } from '../../support/config';
import { manualClock } from '../../support/fixtures';
import { testNlu } from '../../support/nlu';

const CHROMIUM = '/usr/bin/chromium';
const SCRATCH = join(__dirname, '..', '..', '..', 'scratch');
const WAIT = { timeout: 15_000 };

jest.setTimeout(90_000);

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(
    `dashboard browser.test.ts skipped: ${CHROMIUM} is missing (apt-get install chromium)`,
  );
}
const describeBrowser = haveChromium ? describe : describe.skip;

/** Whether a canvas has any painted pixel (in-page script as a string: no DOM types here). */
const painted = (id: string) => `(() => {
  const c = document.getElementById(${JSON.stringify(id)});
  if (!c || !c.width || !c.height) return false;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
  return false;
})()`;

describeBrowser('the statistics page in Chromium', () => {
  let service: RunningService;
  let browser: Browser;
  let origin: string;
  let clock: ReturnType<typeof manualClock>;
  const problems: string[] = [];

  beforeAll(async () => {
    // The service's "now": a week after the generated history ends.
    clock = manualClock(
      new Date(HISTORY_START + (HISTORY_WEEKS + 1) * 7 * 86_400_000).toISOString(),
    );
    service = await startService(testConfig(), {
      logger: silentLogger,
      host: '127.0.0.1',
      nlu: testNlu(),
      clock,
      channels: [dashboardChannel],
    });
    origin = service.url.replace('localhost', '127.0.0.1');
    await generateHistory(service.backend, 400, 11);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  async function newPage(lang = 'id-ID'): Promise<Page> {
    const context = await browser.newContext({
      locale: lang,
      viewport: { width: 1200, height: 900 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    return page;
  }

  const tile = (page: Page, n: number) => page.locator('.tiles li .value').nth(n).textContent();

  it('draws every chart, with its table, and the filters change the URL and the numbers', async () => {
    const page = await newPage();
    await page.goto(`${origin}/statistik`);
    expect(await page.title()).toContain('Statistik pengaduan');
    for (const id of ['chart-weeks', 'chart-categories', 'chart-agencies']) {
      await page.waitForFunction(painted(id), undefined, WAIT);
      // Each chart names the table with its figures.
      const table = await page.locator(`#${id}`).getAttribute('aria-describedby');
      expect(await page.locator(`#${table} tbody tr`).count()).toBeGreaterThan(0);
    }
    expect(await page.locator('#table-weeks tbody tr').count()).toBe(26);
    const allCases = await tile(page, 0);
    expect(Number((allCases ?? '').replace(/\D/g, ''))).toBe(400);
    mkdirSync(SCRATCH, { recursive: true });
    await page.screenshot({ path: join(SCRATCH, 'statistik.png'), fullPage: true });
    // The first screen, for the README (docs/screenshots/ holds a copy).
    await page.screenshot({ path: join(SCRATCH, 'statistik-top.png') });

    // Filters by keyboard: a shorter range and one agency.
    await page.locator('#f-from').fill('2026-07-01');
    await page.locator('#f-to').fill('2026-08-31');
    await page.locator('#f-agency').selectOption('dinas-pupr');
    await page.locator('#f-agency').focus();
    await page.keyboard.press('Tab'); // to the Show button
    await Promise.all([page.waitForNavigation(WAIT), page.keyboard.press('Enter')]);
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toEqual({
      from: '2026-07-01',
      to: '2026-08-31',
      agency: 'dinas-pupr',
    });
    await page.waitForFunction(painted('chart-weeks'), undefined, WAIT);
    const narrowed = Number(((await tile(page, 0)) ?? '').replace(/\D/g, ''));
    expect(narrowed).toBeGreaterThan(0);
    expect(narrowed).toBeLessThan(400);
    // The week table covers the whole weeks of the range: 29 Jun – 6 Sep 2026.
    expect(await page.locator('#table-weeks tbody tr').count()).toBe(10);
    expect(await page.locator('#table-agencies tbody tr').count()).toBe(1);
    expect(await page.locator('.period').textContent()).toContain('Dinas Pekerjaan Umum');
    expect(problems).toEqual([]);
  });

  it('in English, with the filters kept across the language link', async () => {
    const page = await newPage();
    await page.goto(`${origin}/statistik?from=2026-07-01&to=2026-08-31`);
    await Promise.all([page.waitForNavigation(WAIT), page.locator('a[hreflang="en"]').click()]);
    expect(new URL(page.url()).searchParams.get('from')).toBe('2026-07-01');
    expect(await page.locator('h1').textContent()).toBe('Complaint statistics');
    await page.waitForFunction(painted('chart-categories'), undefined, WAIT);
    expect(await page.locator('#table-weeks thead').textContent()).toContain('Complaints');
    expect(problems).toEqual([]);
  });

  it('the supervisor view: signed in with a link, charts and the queue; a used link refused', async () => {
    const access = new DashboardAccess(service.backend.channelStore.scope(DASHBOARD_SCOPE), clock);
    const token = await access.issueLink({ userId: 'U1', agencyIds: ['dinas-pupr'] });
    const page = await newPage();
    await page.goto(`${origin}/dashboard/masuk?t=${token}`);
    await page.locator('main button[type="submit"]').focus();
    await Promise.all([page.waitForNavigation(WAIT), page.keyboard.press('Enter')]);
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    expect(await page.locator('h1').textContent()).toContain('Dinas Pekerjaan Umum');
    for (const id of ['chart-weeks', 'chart-categories', 'chart-agencies']) {
      await page.waitForFunction(painted(id), undefined, WAIT);
    }
    // Cases still open from the generated history are overdue by now.
    expect(await page.locator('#table-queue tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('#table-agencies tbody tr').count()).toBe(1);
    mkdirSync(SCRATCH, { recursive: true });
    await page.screenshot({ path: join(SCRATCH, 'dashboard.png'), fullPage: true });
    await page.screenshot({ path: join(SCRATCH, 'dashboard-top.png') });
    // The CSV link downloads the queue.
    const [download] = await Promise.all([
      page.waitForEvent('download', WAIT),
      page.locator('a[download]').click(),
    ]);
    expect(download.suggestedFilename()).toBe('antrean.csv');

    const again = await newPage();
    const res = await again.goto(`${origin}/dashboard/masuk?t=${token}`);
    expect(res?.status()).toBe(403);
    expect(problems.filter((p) => !/status of 403/.test(p))).toEqual([]);
  });

  it('a filter that cannot be used is explained, with a way back', async () => {
    const page = await newPage();
    const res = await page.goto(`${origin}/statistik?from=2026-09-01&to=2026-07-01`);
    expect(res?.status()).toBe(400);
    expect(await page.locator('[role="alert"]').textContent()).toContain('after');
    expect(await page.locator('main a').getAttribute('href')).toBe('/statistik');
  });
});

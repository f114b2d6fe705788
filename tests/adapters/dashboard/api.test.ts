import request from 'supertest';
import { dashboardChannel } from '../../../adapters/dashboard';
import { statsFilter } from '../../../adapters/dashboard/range';
import { silentLogger } from '../../../src/logger';
import { type RunningService, startService } from '../../../src/service';
import { testConfig } from '../../support/config';
import { manualClock } from '../../support/fixtures';
import { testNlu } from '../../support/nlu';
import { talk } from '../../support/talk';

/** Friday 27 Nov 2026, 09:00 WIB (week of Monday 23 Nov). */
const START = '2026-11-27T02:00:00.000Z';

describe('GET /api/v1/stats', () => {
  let service: RunningService;
  const clock = manualClock(START);
  beforeAll(async () => {
    service = await startService(testConfig(), {
      logger: silentLogger,
      host: '127.0.0.1',
      nlu: testNlu(),
      clock,
      channels: [dashboardChannel],
    });
  });
  afterAll(() => service.stop());

  const citizen = (n: number) => ({ type: 'citizen' as const, id: `c${n}` });
  const open = (n: number, category: 'roads_drainage' | 'health', identity = 'named' as const) =>
    service.cases.open(
      {
        kind: 'complaint',
        text: `Laporan ${n}`,
        language: 'id',
        category,
        reporter: { channel: 'test', channelUserId: `c${n}` },
        identity,
      },
      citizen(n),
    );

  test('aggregates only, with names in the language asked; confidential cases counted', async () => {
    const a = await open(1, 'roads_drainage');
    await open(2, 'roads_drainage', 'confidential' as 'named');
    await open(3, 'health');
    clock.advance(2 * 3_600_000);
    await service.cases.act(a.case.trackingId, { type: 'verify' }, { type: 'staff', id: 'U1' });

    const res = await request(service.url).get('/api/v1/stats?lang=en');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    expect(res.body.weeks).toHaveLength(26);
    expect(res.body.to).toBe('2026-11-29');
    expect(res.body.weeks.at(-1)).toEqual({
      week: '2026-11-23',
      complaints: 3,
      aspirations: 0,
      handoffs: 0,
      questions_answered: 0,
    });
    expect(res.body.categories).toEqual([
      { category: 'roads_drainage', name: expect.stringMatching(/road/i), cases: 2 },
      { category: 'health', name: expect.stringMatching(/health/i), cases: 1 },
    ]);
    const pupr = res.body.agencies.find((x: { agency_id: string }) => x.agency_id === 'dinas-pupr');
    expect(pupr).toMatchObject({ name: expect.stringMatching(/Public Works/i), cases: 2, open: 2 });
    // Two hours on a Friday: 2/24 of a working day, 0.1 in tenths.
    expect(pupr.median_response_days).toBe(0.1);
    expect(res.body.total).toMatchObject({
      cases: 3,
      open: 3,
      finished: 0,
      finished_on_time: null,
    });
    // Nothing of any one case: no tracking id, no text.
    const raw = JSON.stringify(res.body);
    expect(raw).not.toMatch(/ADU-|Laporan/);
  });

  test('one agency, a range widened to whole weeks', async () => {
    const res = await request(service.url).get(
      '/api/v1/stats?from=2026-11-25&to=2026-11-27&agency=dinas-kesehatan',
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      from: '2026-11-23',
      to: '2026-11-29',
      agency: { id: 'dinas-kesehatan', name: 'Dinas Kesehatan' },
      total: { cases: 1 },
    });
    expect(res.body.weeks).toEqual([
      { week: '2026-11-23', complaints: 1, aspirations: 0, handoffs: 0, questions_answered: null },
    ]);
  });

  test('the form\'s "all agencies" (agency=) is the same as no agency', async () => {
    const all = await request(service.url).get('/api/v1/stats');
    const blank = await request(service.url).get('/api/v1/stats?agency=');
    expect(blank.status).toBe(200);
    expect(blank.body).toEqual(all.body);
  });

  test.each([
    ['from=2026-13-01', /from/],
    ['from=2026-12-01&to=2026-11-01', /after/],
    ['from=2020-01-01&to=2026-11-01', /106 weeks/],
    ['agency=dinas-fiktif', /no agency/],
    ['agency=DROP%20TABLE', /agency/],
    ['limit=5', /limit/],
    ['lang=fr', /lang/],
  ])('%s → 400', async (query, message) => {
    const res = await request(service.url).get(`/api/v1/stats?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'invalid_request',
      message: expect.stringMatching(message),
    });
  });

  test('questions the knowledge base answered are counted once per message', async () => {
    const before = await service.backend.stats.read(
      statsFilter({ lang: 'id' }, 'Asia/Jakarta', clock()),
    );
    const counted = (sums: typeof before) =>
      sums.counters.reduce((n, c) => n + (c.name === 'questions_answered' ? c.n : 0), 0);
    const c = talk({ bot: service.bot, clock }, 'q1');
    await c.say('syarat bikin ktp apa aja').expect(/KTP/);
    await c.say('cuaca hari ini bagaimana'); // no answer: not counted
    // The same message delivered twice: one count.
    const again = {
      channel: 'test',
      channelUserId: 'q2',
      conversationId: 'q2',
      messageId: 'same-id',
      receivedAt: clock(),
      text: 'syarat bikin ktp apa aja',
    };
    await service.bot.handle(again);
    await service.bot.handle(again);
    const after = await service.backend.stats.read(
      statsFilter({ lang: 'id' }, 'Asia/Jakarta', clock()),
    );
    expect(counted(after) - counted(before)).toBe(2);
  });
});

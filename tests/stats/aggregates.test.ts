import { backfillStats } from '../../src/stats/backfill';
import { weekOf } from '../../src/stats/facts';
import type { StatsFilter } from '../../src/stats/port';
import { type StatsReport, statsReport } from '../../src/stats/report';
import type { Backend } from '../../src/store/backend';
import { SqliteBackend } from '../../src/store/sqlite/backend';
import { describeIfPostgres, openTestPgBackend } from '../support/postgres';
import { type CaseFactsByHand, factsByHand, figuresByHand } from './expected';
import {
  type CaseWithHistory,
  generateHistory,
  HISTORY_START,
  HISTORY_WEEKS,
  readBack,
} from './history';

const FIRST_WEEK = new Date(HISTORY_START + 7 * 3_600_000).toISOString().slice(0, 10);
const LAST_WEEK = weekOf(
  new Date(HISTORY_START + (HISTORY_WEEKS + 6) * 7 * 86_400_000).toISOString().slice(0, 10),
);

/** The report's figures in the JSON's names, for comparing with {@link figuresByHand}. */
function reported(f: StatsReport['total']) {
  return {
    cases: f.cases,
    open: f.open,
    finished: f.finished,
    finished_on_time: f.finishedOnTime,
    median_response_days: f.medianResponseDays,
    median_resolution_days: f.medianResolutionDays,
    rating: f.rating,
    reopened: f.reopened,
  };
}

/** The hand-made figures rounded as the report rounds them. */
function rounded(f: ReturnType<typeof figuresByHand>) {
  const r = (x: number | null, digits: number) =>
    x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits;
  return {
    ...f,
    finished_on_time: r(f.finished_on_time, 3),
    median_response_days: r(f.median_response_days, 2),
    median_resolution_days: r(f.median_resolution_days, 2),
    rating: { average: r(f.rating.average, 2), count: f.rating.count },
    reopened: r(f.reopened, 3),
  };
}

function suite(name: string, open: () => Promise<Backend>, count: number) {
  describe(name, () => {
    let backend: Backend;
    let all: CaseWithHistory[];
    let facts: CaseFactsByHand[];
    let holidays: ReadonlySet<string>;

    beforeAll(async () => {
      backend = await open();
      const history = await generateHistory(backend, count);
      holidays = history.calendar.holidays;
      all = await readBack(backend, history.recorded);
      facts = all.map((x) => factsByHand(x, holidays));
    }, 120_000);
    afterAll(() => backend.close());

    const report = async (filter: StatsFilter) =>
      statsReport(filter, await backend.stats.read(filter));

    test('the history is varied enough to test anything', () => {
      expect(facts).toHaveLength(count);
      const finished = facts.filter((f) => f.finishTenths !== undefined);
      expect(finished.length).toBeGreaterThan(count / 2);
      expect(finished.some((f) => f.onTime) && finished.some((f) => !f.onTime)).toBe(true);
      expect(facts.filter((f) => f.reopened).length).toBeGreaterThan(20);
      expect(facts.filter((f) => f.rating !== undefined).length).toBeGreaterThan(100);
      expect(new Set(facts.map((f) => f.agencyId)).size).toBeGreaterThan(5);
      expect(all.some((x) => x.events.some((e) => e.type === 'transfer'))).toBe(true);
      expect(all.some((x) => x.c.identity === 'confidential')).toBe(true);
    });

    test('every figure of all agencies equals the one computed by hand', async () => {
      const r = await report({ fromWeek: FIRST_WEEK, toWeek: LAST_WEEK });
      expect(reported(r.total)).toEqual(rounded(figuresByHand(facts)));
      for (const a of r.agencies) {
        const mine = facts.filter((f) => f.agencyId === a.agencyId);
        expect({ agency: a.agencyId, ...reported(a) }).toEqual({
          agency: a.agencyId,
          ...rounded(figuresByHand(mine)),
        });
      }
      expect(r.agencies.map((a) => a.agencyId).sort()).toEqual(
        [...new Set(facts.map((f) => f.agencyId))].sort(),
      );
    });

    test('weeks by kind, and categories, equal the counts by hand', async () => {
      const r = await report({ fromWeek: FIRST_WEEK, toWeek: LAST_WEEK });
      for (const w of r.weeks) {
        const of = (kind: string) =>
          facts.filter((f) => f.week === w.week && f.kind === kind).length;
        expect([w.week, w.byKind]).toEqual([
          w.week,
          { complaint: of('complaint'), aspiration: of('aspiration'), handoff: of('handoff') },
        ]);
      }
      expect(
        r.weeks.reduce(
          (n, w) => n + w.byKind.complaint + w.byKind.aspiration + w.byKind.handoff,
          0,
        ),
      ).toBe(count);
      for (const c of r.categories) {
        expect([c.category, c.cases]).toEqual([
          c.category,
          facts.filter((f) => f.category === c.category).length,
        ]);
      }
    });

    test('a range of weeks and one agency: only their cases', async () => {
      const fromWeek = weekOf(
        new Date(HISTORY_START + 7 * 86_400_000 * 5 + 7 * 3_600_000).toISOString().slice(0, 10),
      );
      const toWeek = weekOf(
        new Date(HISTORY_START + 7 * 86_400_000 * 12 + 7 * 3_600_000).toISOString().slice(0, 10),
      );
      const inRange = facts.filter((f) => f.week >= fromWeek && f.week <= toWeek);
      const r = await report({ fromWeek, toWeek });
      expect(r.weeks).toHaveLength(8);
      expect(reported(r.total)).toEqual(rounded(figuresByHand(inRange)));
      const agency = 'dinas-pupr';
      const one = await report({ fromWeek, toWeek, agencyIds: [agency] });
      expect(reported(one.total)).toEqual(
        rounded(figuresByHand(inRange.filter((f) => f.agencyId === agency))),
      );
      expect(one.agencies.map((a) => a.agencyId)).toEqual([agency]);
      expect(one.weeks.every((w) => w.questionsAnswered === null)).toBe(true);
    });

    test('older cases without statistics are filled in from their history', async () => {
      const before = await report({ fromWeek: FIRST_WEEK, toWeek: LAST_WEEK });
      // As a database from before statistics were kept: no case has them.
      if (backend.engine.kind === 'sqlite')
        backend.engine.db.exec('UPDATE cases SET stat_week = NULL');
      else await backend.engine.pool.query('UPDATE cases SET stat_week = NULL');
      const emptied = await report({ fromWeek: FIRST_WEEK, toWeek: LAST_WEEK });
      expect(emptied.total.cases).toBe(0);
      expect(emptied.total.medianResolutionDays).toBeNull();

      const calendar = { timeZone: 'Asia/Jakarta', holidays };
      expect(await backfillStats(backend, calendar, 97)).toBe(count);
      expect(await backfillStats(backend, calendar)).toBe(0);
      const after = await report({ fromWeek: FIRST_WEEK, toWeek: LAST_WEEK });
      // The deadlines before each event are not in the history: only the on-time share may differ.
      const { finishedOnTime: _a, ...was } = before.total;
      const { finishedOnTime: _b, ...now } = after.total;
      expect(now).toEqual(was);
      expect(after.weeks).toEqual(before.weeks);
    });
  });
}

suite('statistics on SQLite', async () => SqliteBackend.open({ path: ':memory:' }), 2500);
describeIfPostgres('statistics on PostgreSQL', () => {
  suite('a generated history', () => openTestPgBackend(), 2000);
});

import type { Case } from '../../src/cases/types';
import { statsDelta } from '../../src/stats/delta';
import { addSums, type CaseSums, noSums } from '../../src/stats/port';
import type { Backend } from '../../src/store/backend';
import type { ChangeSet } from '../../src/store/change-set';
import { SqliteBackend } from '../../src/store/sqlite/backend';
import { makeCase } from '../support/fixtures';
import { generateHistory } from './history';

/** The backend, with every case write's before and after handed to `seen` first. */
function observed(
  backend: SqliteBackend,
  seen: (before: Case | null, after: Case) => void,
): Backend {
  const commit = async (changes: ChangeSet) => {
    const writes = await Promise.all(
      (changes.cases ?? []).map(async (w) => ({
        before: w.expectedVersion === null ? null : await backend.cases.get(w.case.trackingId),
        after: w.case,
      })),
    );
    await backend.commit(changes);
    for (const w of writes) seen(w.before, w.after);
  };
  return Object.assign(Object.create(backend) as Backend, { commit });
}

describe('statsDelta: the summaries computed in code, for stores without triggers', () => {
  test('over a generated history, the sums of the deltas equal the SQL triggers’ tables', async () => {
    const backend = SqliteBackend.open({ path: ':memory:' });
    try {
      const cases = new Map<string, CaseSums>();
      const durations = new Map<string, number>();
      await generateHistory(
        observed(backend, (before, after) => {
          const d = statsDelta(before, after);
          for (const row of d.cases) {
            const key = [row.week, row.agencyId, row.category, row.kind].join('|');
            const sums = cases.get(key) ?? noSums();
            addSums(sums, row.inc);
            cases.set(key, sums);
          }
          for (const x of d.durations) {
            const key = [x.week, x.agencyId, x.metric, x.tenths].join('|');
            durations.set(key, (durations.get(key) ?? 0) + x.n);
          }
        }),
        1200,
        5,
      );
      const engine = backend.engine;
      if (engine.kind !== 'sqlite') throw new Error('SQLite expected');
      const sqlCases = engine.db
        .prepare('SELECT * FROM stats_cases WHERE cases <> 0')
        .all() as Record<string, string | number>[];
      const fromSql = new Map(
        sqlCases.map((r) => [
          [r.week, r.agency_id, r.category, r.kind].join('|'),
          {
            cases: r.cases,
            open: r.open,
            finished: r.finished,
            onTime: r.on_time,
            reopened: r.reopened,
            ratingSum: r.rating_sum,
            ratingCount: r.rating_n,
          },
        ]),
      );
      const nonZero = new Map([...cases].filter(([, s]) => s.cases !== 0));
      expect(nonZero.size).toBeGreaterThan(100);
      expect(nonZero).toEqual(fromSql);

      const sqlDurations = new Map<string, number>();
      for (const r of engine.db
        .prepare('SELECT week, agency_id, metric, counts FROM stats_durations')
        .all() as Record<string, string>[]) {
        for (const [tenths, n] of Object.entries(
          JSON.parse(String(r.counts)) as Record<string, number>,
        )) {
          if (n !== 0) sqlDurations.set([r.week, r.agency_id, r.metric, tenths].join('|'), n);
        }
      }
      expect(new Map([...durations].filter(([, n]) => n !== 0))).toEqual(sqlDurations);
    } finally {
      await backend.close();
    }
  }, 60_000);

  test('a transfer moves the whole contribution; a case without statistics adds nothing', () => {
    const before = makeCase({
      agencyId: 'dinas-pupr',
      rating: 5,
      stats: { week: '2026-11-23', open: true, reopened: false, responseTenths: 3 },
    });
    const after: Case = { ...before, agencyId: 'dinas-perhubungan' };
    const d = statsDelta(before, after);
    expect(d.cases.map((r) => [r.agencyId, r.inc.cases, r.inc.ratingSum])).toEqual([
      ['dinas-perhubungan', 1, 5],
      ['dinas-pupr', -1, -5],
    ]);
    expect(d.durations.map((x) => [x.agencyId, x.metric, x.tenths, x.n])).toEqual([
      ['dinas-perhubungan', 'response', 3, 1],
      ['dinas-pupr', 'response', 3, -1],
    ]);
    // A note changes nothing the statistics count.
    expect(statsDelta(before, { ...before, version: 2 })).toEqual({ cases: [], durations: [] });
    const { stats: _none, ...legacy } = before;
    expect(statsDelta(null, legacy)).toEqual({ cases: [], durations: [] });
  });
});

import { CaseService } from '../../src/cases/service';
import { SqliteBackend } from '../../src/store/sqlite/backend';
import { projectDirectory, projectPlanner, seededBytes } from '../cases/helpers';
import { manualClock } from '../support/fixtures';

describe('a case written before statistics were kept', () => {
  test('its next change takes its figures so far from its history', async () => {
    const backend = SqliteBackend.open({ path: ':memory:' });
    const clock = manualClock('2026-11-23T02:00:00.000Z'); // Monday 09:00 WIB
    const service = new CaseService({
      backend,
      directory: projectDirectory(),
      planner: projectPlanner(),
      clock,
      randomBytes: seededBytes(3),
    });
    try {
      const { case: c } = await service.open(
        {
          kind: 'complaint',
          text: 'Jalan berlubang',
          language: 'id',
          category: 'roads_drainage',
          reporter: { channel: 'test', channelUserId: 'u1' },
          identity: 'named',
        },
        { type: 'citizen', id: 'u1' },
      );
      clock.advance(12 * 3_600_000); // half a working day later
      const verified = await service.act(
        c.trackingId,
        { type: 'verify' },
        { type: 'staff', id: 'S1' },
      );
      // As an older version wrote it: no statistics.
      const { stats: _dropped, ...legacy } = verified.case;
      await backend.commit({ cases: [{ case: legacy, expectedVersion: legacy.version }] });
      expect((await backend.cases.get(c.trackingId))?.stats).toBeUndefined();

      clock.advance(24 * 3_600_000);
      const resolved = await service.act(
        c.trackingId,
        { type: 'resolve', note: 'Sudah ditambal' },
        { type: 'staff', id: 'S1' },
      );
      // The first response is the verification from the history, not this resolution.
      expect(resolved.case.stats).toEqual({
        week: '2026-11-23',
        open: false,
        firstResponseAt: verified.event.at,
        responseTenths: 5,
        finishedAt: resolved.event.at,
        finishTenths: 15,
        onTime: true,
        reopened: false,
      });
      const sums = await backend.stats.read({ fromWeek: '2026-11-23', toWeek: '2026-11-23' });
      expect(sums.durations).toEqual(
        expect.arrayContaining([
          { agencyId: c.agencyId, metric: 'response', tenths: 5, n: 1 },
          { agencyId: c.agencyId, metric: 'finish', tenths: 15, n: 1 },
        ]),
      );
    } finally {
      await backend.close();
    }
  });
});

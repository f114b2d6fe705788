import type { DeadlinePlanner } from '../../src/cases/deadlines';
import { parseDirectory } from '../../src/cases/directory';
import { CaseService } from '../../src/cases/service';
import { SqliteBackend } from '../../src/store/sqlite/backend';
import { manualClock } from '../support/fixtures';

const directory = (() => {
  const r = parseDirectory({
    triage: { id: 'triage', name: { id: 'Tim Verifikasi', en: 'Verification desk' } },
    agencies: [
      {
        id: 'dinas-pupr',
        name: { id: 'PUPR', en: 'Public Works' },
        categories: ['roads_drainage'],
      },
    ],
  });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.value;
})();

const planner: DeadlinePlanner = {
  calendar: { timeZone: 'Asia/Jakarta', holidays: new Set(['2026-12-24', '2026-12-25']) },
  rules: {
    defaults: { verify: 3, followUp: 5, autoClose: 10 },
    categories: {},
    autoCloseNote: { id: 'Ditutup otomatis.', en: 'Closed automatically.' },
  },
};

describe('CaseService.autoClose', () => {
  test('closes a resolved case once its auto-close time has passed, as the system, with a public note', async () => {
    const backend = SqliteBackend.open({ path: ':memory:' });
    // Monday 2026-12-14, 10:00 WIB
    const clock = manualClock('2026-12-14T03:00:00.000Z');
    let n = 0;
    const cases = new CaseService({
      backend,
      directory,
      planner,
      clock,
      randomBytes: (size) => new Uint8Array(size).fill(n++),
    });
    const staff = { type: 'staff' as const, id: 'U1' };
    const file = (text: string, language: 'id' | 'en', user: string) =>
      cases.open(
        {
          kind: 'complaint',
          text,
          language,
          category: 'roads_drainage',
          reporter: { channel: 'telegram', channelUserId: user },
          identity: 'named',
        },
        { type: 'citizen', id: user },
      );
    const opened = await file('Jalan berlubang di Jl. Sudirman', 'id', '7');
    const other = await file('The drain is blocked', 'en', '8');
    const id = opened.case.trackingId;
    await cases.act(id, { type: 'start' }, staff);
    const resolved = await cases.act(id, { type: 'resolve', note: 'Sudah ditambal.' }, staff);
    // 10 working days after Mon 14 Dec, skipping weekends and 24–25 Dec: Wed 30 Dec, end of day WIB.
    expect(resolved.case.deadlines.autoCloseAt).toBe('2026-12-30T16:59:59.999Z');

    clock.set('2026-12-30T16:59:59.999Z');
    expect(await cases.autoClose()).toEqual([]);
    clock.set('2026-12-30T17:00:00.000Z');
    expect(await cases.autoClose()).toEqual([id]);
    expect(await cases.autoClose()).toEqual([]);

    const closed = await backend.cases.get(id);
    expect(closed?.status).toBe('closed');
    const last = (await backend.cases.events(id)).at(-1);
    expect(last).toMatchObject({
      type: 'close',
      actor: { type: 'system', id: 'auto-close' },
      note: 'Ditutup otomatis.',
      public: true,
    });
    expect((await backend.cases.get(other.case.trackingId))?.status).toBe('received');
    await backend.close();
  });
});

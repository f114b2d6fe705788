import { CaseService } from '../../src/cases/service';
import type { Case } from '../../src/cases/types';
import type { StaffIdentity } from '../../src/staff/identity';
import { SqliteBackend } from '../../src/store/sqlite/backend';
import { calendarWith, projectDirectory, projectPlanner, seededBytes } from '../cases/helpers';
import { manualClock } from '../support/fixtures';

/** A Dinas PUPR officer. */
export const sari: StaffIdentity = { id: 'U024BE7LH', name: 'sari', agencyIds: ['dinas-pupr'] };
/** A PDAM officer. */
export const budi: StaffIdentity = { id: 'U0PDAM01', agencyIds: ['pdam'] };
/** The triage desk (verifikator): its own queue only. */
export const verifier: StaffIdentity = { id: 'U0TRIAGE', agencyIds: ['triage'] };

/** Jakarta, with 25 Dec 2026 a holiday. */
export const calendar = calendarWith('2026-12-25');

export const directory = projectDirectory;

/** A real in-memory SQLite backend, the case service on it, and a clock the test moves. */
export function openStore() {
  const clock = manualClock();
  const backend = SqliteBackend.open({ path: ':memory:', clock });
  const cases = new CaseService({
    backend,
    directory: directory(),
    planner: projectPlanner(calendar),
    clock,
    randomBytes: seededBytes(7),
  });
  const save = (...list: Case[]) =>
    backend.commit({ cases: list.map((c) => ({ case: c, expectedVersion: null })) });
  return { backend, cases, clock, save };
}

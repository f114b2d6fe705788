import { parseDeadlineRules } from '../../src/cases/deadline-rules';
import type { DeadlinePlanner } from '../../src/cases/deadlines';
import { type AgencyDirectory, parseDirectory } from '../../src/cases/directory';
import { CaseService } from '../../src/cases/service';
import type { Case } from '../../src/cases/types';
import type { StaffIdentity } from '../../src/staff/identity';
import { SqliteBackend } from '../../src/store/sqlite/backend';
import { calendarWith, loadIntentsYaml, seededBytes } from '../cases/helpers';
import { manualClock } from '../support/fixtures';

/** A Dinas PUPR officer. */
export const sari: StaffIdentity = { id: 'U024BE7LH', name: 'sari', agencyIds: ['dinas-pupr'] };
/** A PDAM officer. */
export const budi: StaffIdentity = { id: 'U0PDAM01', agencyIds: ['pdam'] };
/** The triage desk (verifikator): its own queue only. */
export const verifier: StaffIdentity = { id: 'U0TRIAGE', agencyIds: ['triage'] };

/** Jakarta, with 25 Dec 2026 a holiday. */
export const calendar = calendarWith('2026-12-25');

export function directory(): AgencyDirectory {
  const r = parseDirectory(loadIntentsYaml('agencies.yaml'));
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.value;
}

function planner(): DeadlinePlanner {
  const r = parseDeadlineRules(loadIntentsYaml('deadlines.yaml'));
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return { calendar, rules: r.value.rules };
}

/** A real in-memory SQLite backend, the case service on it, and a clock the test moves. */
export function openStore() {
  const clock = manualClock();
  const backend = SqliteBackend.open({ path: ':memory:', clock });
  const cases = new CaseService({
    backend,
    directory: directory(),
    planner: planner(),
    clock,
    randomBytes: seededBytes(7),
  });
  const save = (...list: Case[]) =>
    backend.commit({ cases: list.map((c) => ({ case: c, expectedVersion: null })) });
  return { backend, cases, clock, save };
}

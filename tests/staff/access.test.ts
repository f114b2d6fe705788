import { CodedError } from '../../src/errors';
import { caseToAct, mayAct, mayView } from '../../src/staff/access';
import type { StaffIdentity } from '../../src/staff/identity';
import { makeCase } from '../support/fixtures';
import { budi, sari, verifier } from './helpers';

const road = makeCase({ trackingId: 'ADU-AAAAAA', agencyId: 'dinas-pupr' });
const water = makeCase({ trackingId: 'ADU-BBBBBB', agencyId: 'pdam', category: 'water_utility' });
const unsure = makeCase({ trackingId: 'ADU-CCCCCC', agencyId: 'triage', category: 'other' });

function refusal(run: () => unknown): CodedError {
  try {
    run();
  } catch (err) {
    if (err instanceof CodedError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('who may view and act on a case', () => {
  test("staff of the case's agency may view and act on it", () => {
    expect(mayView(sari, road)).toBe(true);
    expect(mayAct(sari, road)).toBe(true);
    expect(mayView(budi, water)).toBe(true);
    expect(mayAct(budi, water)).toBe(true);
  });

  test("another agency's staff may neither view nor act", () => {
    expect(mayView(sari, water)).toBe(false);
    expect(mayAct(sari, water)).toBe(false);
    expect(mayView(budi, road)).toBe(false);
    expect(mayAct(budi, road)).toBe(false);
  });

  test('the triage desk works its own queue, not the agencies', () => {
    expect(mayView(verifier, unsure)).toBe(true);
    expect(mayAct(verifier, unsure)).toBe(true);
    expect(mayAct(verifier, road)).toBe(false);
    expect(mayAct(sari, unsure)).toBe(false);
  });

  test('an identity of several agencies works each; one of none works nothing', () => {
    const both: StaffIdentity = { id: 'U1', agencyIds: ['dinas-pupr', 'pdam'] };
    const none: StaffIdentity = { id: 'U2', agencyIds: [] };
    expect([road, water, unsure].map((c) => mayAct(both, c))).toEqual([true, true, false]);
    expect([road, water, unsure].map((c) => mayView(none, c))).toEqual([false, false, false]);
  });
});

describe('caseToAct', () => {
  test('gives back the case the identity may act on', () => {
    expect(caseToAct(sari, road, road.trackingId)).toBe(road);
  });

  test('refuses a missing case with not_found', () => {
    const err = refusal(() => caseToAct(sari, null, 'ADU-ZZZZZZ'));
    expect(err.code).toBe('not_found');
    expect(err.message).toContain('ADU-ZZZZZZ');
  });

  test("refuses another agency's case with forbidden, naming the agency that has it", () => {
    const err = refusal(() => caseToAct(sari, water, water.trackingId));
    expect(err.code).toBe('forbidden');
    expect(err.details).toEqual({ agencyId: 'pdam' });
  });
});

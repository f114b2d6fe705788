import type { CaseRepository } from '../cases/repository';
import type { CaseService } from '../cases/service';
import { type CaseAction, transition } from '../cases/state-machine';
import type { Case } from '../cases/types';
import { CodedError } from '../errors';
import { caseToAct } from './access';
import { type StaffIdentity, staffActor } from './identity';

/**
 * The case actions one staff action takes on a case in its current status. Resolve on a case
 * still `received` first starts it (the life cycle resolves only cases being worked on); every
 * other action is itself. Pure.
 *
 * @example
 * staffSteps({ status: 'received' }, { type: 'resolve', note: 'Sudah ditambal' })
 * // [{ type: 'start' }, { type: 'resolve', note: 'Sudah ditambal' }]
 */
export function staffSteps(c: Pick<Case, 'status'>, action: CaseAction): CaseAction[] {
  if (action.type === 'resolve' && c.status === 'received') return [{ type: 'start' }, action];
  return [action];
}

/**
 * Checks a staff action before anything is written, and returns the case and the action's steps
 * ({@link staffSteps}). Refusals are CodedErrors: `not_found` (no case), `forbidden` (the case is
 * with another agency), or the life cycle's own codes for the first step it refuses
 * (`invalid_transition`, `note_required`, `note_too_long`, `same_agency`, `actor_not_allowed`…),
 * so a resolve that cannot succeed never leaves the case half-started. Pure.
 *
 * @example
 * planStaffAction(identity, c, c.trackingId, { type: 'reject', note: '' }); // throws note_required
 * planStaffAction(identity, c, c.trackingId, { type: 'start' }).steps; // [{ type: 'start' }]
 */
export function planStaffAction(
  identity: StaffIdentity,
  c: Case | null,
  trackingId: string,
  action: CaseAction,
): { case: Case; steps: CaseAction[] } {
  const found = caseToAct(identity, c, trackingId);
  let current = found;
  const steps = staffSteps(current, action);
  const actor = staffActor(identity);
  // Only whether each step is allowed matters here; the time of the dry run is the case's own.
  const at = new Date(current.updatedAt);
  for (const step of steps) {
    const r = transition(current, step, actor, at);
    if (!r.ok) throw new CodedError(r.error.code, r.error.message);
    current = r.case;
  }
  return { case: found, steps };
}

/** What applying staff actions needs: the case service to act, the repository to read. */
export interface StaffWorkDeps {
  cases: Pick<CaseService, 'act'>;
  repository: Pick<CaseRepository, 'get'>;
}

/**
 * Applies a staff action to a case as `identity` and returns the case after it. The history
 * records the staff actor (`{ type: 'staff', id, name }`) on every step. The action is checked
 * first ({@link planStaffAction}); each step is then written only if the case is still with one of
 * the identity's agencies at that version (`forbidden` otherwise). Besides the refusals of
 * planStaffAction, the case service's own errors pass through (`unknown_agency`, `conflict`…).
 *
 * @example
 * const after = await actAsStaff({ cases: ctx.cases, repository: ctx.backend.cases }, sari, 'ADU-7K3M9Q',
 *   { type: 'resolve', note: 'Lubang sudah ditambal.' });
 */
export async function actAsStaff(
  deps: StaffWorkDeps,
  identity: StaffIdentity,
  trackingId: string,
  action: CaseAction,
): Promise<Case> {
  const planned = planStaffAction(
    identity,
    await deps.repository.get(trackingId),
    trackingId,
    action,
  );
  const actor = staffActor(identity);
  const stillOurs = (current: Case) => {
    caseToAct(identity, current, trackingId);
  };
  let after = planned.case;
  for (const step of planned.steps) {
    after = (await deps.cases.act(trackingId, step, actor, {}, stillOurs)).case;
  }
  return after;
}

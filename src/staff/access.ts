import type { Case } from '../cases/types';
import { CodedError } from '../errors';
import type { StaffIdentity } from './identity';

/**
 * Whether a staff identity may see a case: it must be with one of the identity's agencies.
 * Callers answer a case they may not see like a missing one, so nothing about it leaks. Pure.
 *
 * @example
 * mayView({ id: 'U1', agencyIds: ['dinas-pupr'] }, makeCase({ agencyId: 'pdam' })) // false
 */
export function mayView(
  identity: Pick<StaffIdentity, 'agencyIds'>,
  c: Pick<Case, 'agencyId'>,
): boolean {
  return identity.agencyIds.includes(c.agencyId);
}

/**
 * Whether a staff identity may act on a case (change it, write on it): it must be with one of the
 * identity's agencies. Pure.
 *
 * @example
 * mayAct({ id: 'U1', agencyIds: ['dinas-pupr'] }, makeCase({ agencyId: 'dinas-pupr' })) // true
 */
export function mayAct(
  identity: Pick<StaffIdentity, 'agencyIds'>,
  c: Pick<Case, 'agencyId'>,
): boolean {
  return identity.agencyIds.includes(c.agencyId);
}

/**
 * The case a staff identity is about to act on, or a refusal: CodedError `not_found` when there
 * is no case, `forbidden` (details: `agencyId`, the agency that has it) when it is with an agency
 * outside the identity's. Pure.
 *
 * @example
 * const c = caseToAct(identity, await repository.get(id), id); // throws when refused
 */
export function caseToAct(
  identity: Pick<StaffIdentity, 'agencyIds'>,
  c: Case | null,
  trackingId: string,
): Case {
  if (!c) throw new CodedError('not_found', `no case ${trackingId}`);
  if (!mayAct(identity, c)) {
    throw new CodedError('forbidden', `case ${c.trackingId} is with another agency`, {
      agencyId: c.agencyId,
    });
  }
  return c;
}

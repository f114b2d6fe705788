import type { CaseRepository } from '../cases/repository';
import type { Language } from '../taxonomy';
import { mayView } from './access';
import type { StaffIdentity } from './identity';
import { type StaffCaseView, staffCaseView } from './view';

/**
 * One case as the identity may see it ({@link staffCaseView}, mask labels in `lang`), or null
 * when there is no such case or it is with an agency outside the identity's: another agency's
 * case is answered like a missing one, so nothing about it leaks.
 *
 * @example
 * const v = await findStaffCase(backend.cases, sari, 'ADU-7K3M9Q', 'id');
 * if (!v) return notFound();
 */
export async function findStaffCase(
  repository: Pick<CaseRepository, 'get'>,
  identity: Pick<StaffIdentity, 'agencyIds'>,
  trackingId: string,
  lang: Language,
): Promise<StaffCaseView | null> {
  const c = await repository.get(trackingId);
  return c && mayView(identity, c) ? staffCaseView(c, lang) : null;
}

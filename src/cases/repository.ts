import type { Case, CaseEvent } from './types';

/**
 * Reads of single cases and their history. Writes go through the backend's change-set
 * {@link import('../store/change-set').ChangeSet commit}, so a case, its event and the messages it
 * causes are written together or not at all. Lists and counts are the read model's
 * ({@link import('./queries').CaseQueries}).
 *
 * @example
 * const c = await cases.get('ADU-7K3M9Q');
 * const history = c ? await cases.events(c.trackingId) : [];
 */
export interface CaseRepository {
  get(trackingId: string): Promise<Case | null>;
  exists(trackingId: string): Promise<boolean>;
  /** The history of a case, oldest first. */
  events(trackingId: string): Promise<CaseEvent[]>;
}

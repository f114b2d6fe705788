import type { Actor } from '../cases/types';

/**
 * A person working cases, as the staff rules see them: who they are and the agencies whose cases
 * they may work. How a staff channel builds it (from the desk a message came from, a login, a
 * token) is that channel's business; the rules only read it.
 *
 * @example
 * const sari: StaffIdentity = { id: 'U024BE7LH', name: 'sari', agencyIds: ['dinas-pupr'] };
 */
export interface StaffIdentity {
  /** Stable id of the person in the system that authenticated them; recorded in case history. */
  id: string;
  /** A display name, recorded with the id when known. */
  name?: string;
  /** The agencies (the triage desk's id included) whose cases this person may work. */
  agencyIds: readonly string[];
}

/**
 * The actor a staff identity is recorded as in a case's history.
 *
 * @example
 * staffActor({ id: 'U024BE7LH', name: 'sari', agencyIds: ['dinas-pupr'] })
 * // { type: 'staff', id: 'U024BE7LH', name: 'sari' }
 */
export function staffActor(identity: StaffIdentity): Actor {
  return { type: 'staff', id: identity.id, ...(identity.name ? { name: identity.name } : {}) };
}

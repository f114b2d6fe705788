import type { Case, CaseEvent, CaseEventType, CaseStatus } from './types';

/** One step of a case as anyone who knows its tracking id may see it. */
export interface PublicTimelineEntry {
  at: string;
  type: CaseEventType;
  /** The status after the step. */
  status: CaseStatus;
  /** The agency that has the case after a transfer. */
  agencyId?: string;
  /** What staff wrote for the public (never a citizen's words, never an internal note). */
  note?: string;
}

/**
 * A note staff or the system wrote for the citizen, fit to show publicly: public, and not the
 * citizen's own words (which may hold their name, number or address).
 */
function publicNote(e: CaseEvent): string | undefined {
  return e.public && e.actor.type !== 'citizen' && e.note ? e.note : undefined;
}

/**
 * The public history of a case, oldest first: status changes, transfers (to which agency) and
 * staff's public notes; internal notes, the citizen's own messages and ratings left out. A
 * confidential (`rahasia`) case has no public history at all: only its status is shown. Pure.
 *
 * @example
 * publicTimeline(c, await repository.events(c.trackingId)).map((e) => e.status)
 * // ['received', 'verified', 'in_progress']
 */
export function publicTimeline(
  c: Pick<Case, 'identity'>,
  events: readonly CaseEvent[],
): PublicTimelineEntry[] {
  if (c.identity === 'confidential') return [];
  const entries: PublicTimelineEntry[] = [];
  for (const e of events) {
    const note = publicNote(e);
    const moved = e.fromStatus !== e.toStatus || e.type === 'created';
    const transferred = e.type === 'transfer' && e.toAgencyId !== undefined;
    if (!moved && !transferred && note === undefined) continue;
    entries.push({
      at: e.at,
      type: e.type,
      status: e.toStatus,
      ...(transferred ? { agencyId: e.toAgencyId } : {}),
      ...(note !== undefined ? { note } : {}),
    });
  }
  return entries;
}

/**
 * The latest note staff wrote for the public (Open311's `status_notes`), or undefined; none for
 * a confidential case. Pure.
 */
export function lastPublicNote(
  c: Pick<Case, 'identity'>,
  events: readonly CaseEvent[],
): string | undefined {
  if (c.identity === 'confidential') return undefined;
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    const note = event ? publicNote(event) : undefined;
    if (note !== undefined) return note;
  }
  return undefined;
}

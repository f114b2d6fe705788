import type { WorkingCalendar } from '../../src/cases/calendar';
import {
  type DeadlineKind,
  nextDeadline,
  type SlaState,
  slaState,
} from '../../src/cases/deadlines';
import { type AgencyDirectory, findAgency } from '../../src/cases/directory';
import { publicTimeline } from '../../src/cases/public-view';
import type { Case, CaseEvent, CaseEventType, CaseStatus } from '../../src/cases/types';
import type { Texts } from '../../src/core/i18n';
import type { Language } from '../../src/taxonomy';

/**
 * What the public tracking page may show of a case, and nothing else: the renderer never sees
 * the case itself, so no reporter field, no citizen text and no location can reach the HTML.
 */
export interface PublicCase {
  trackingId: string;
  status: CaseStatus;
  /** Null for a confidential (`rahasia`) case: only its status is shown. */
  details: PublicDetails | null;
}

export interface PublicDetails {
  /** The category's name in the page language. */
  category: string;
  /** The agency that has the case now, named in the page language. */
  agency: string;
  /**
   * The deadline that runs now, or null. `sla` is null for the automatic closing (the
   * reporter's turn, not the agency's deadline).
   */
  deadline: { kind: DeadlineKind; due: string; sla: SlaState | null } | null;
  /** Oldest first: status changes, transfers (to which agency) and staff's public notes. */
  timeline: PublicStep[];
}

export interface PublicStep {
  at: string;
  type: CaseEventType;
  status: CaseStatus;
  /** The agency a transfer moved the case to, named in the page language. */
  agency?: string;
  note?: string;
}

/** What {@link publicCase} reads besides the case. */
export interface PublicCaseDeps {
  directory: AgencyDirectory;
  calendar: WorkingCalendar;
  /** The bot's texts, for category names. */
  texts: Texts;
  now: Date;
  lang: Language;
}

/**
 * The public view of a case for the tracking page (pure). A confidential case gives its status
 * only; any other its category, agency, running deadline with its SLA state, and public timeline.
 *
 * @example
 * const view = publicCase(c, await backend.cases.events(c.trackingId), { directory, calendar, texts, now, lang: 'id' });
 * view.details?.timeline.map((s) => s.type) // ['created', 'verify', 'start']
 */
export function publicCase(
  c: Case,
  events: readonly CaseEvent[],
  deps: PublicCaseDeps,
): PublicCase {
  const view = { trackingId: c.trackingId, status: c.status };
  if (c.identity === 'confidential') return { ...view, details: null };
  const agencyName = (id: string) => findAgency(deps.directory, id)?.name[deps.lang] ?? id;
  const next = nextDeadline(c);
  return {
    ...view,
    details: {
      category: deps.texts.t(deps.lang, `categories.${c.category}`),
      agency: agencyName(c.agencyId),
      deadline: next && {
        ...next,
        sla: next.kind === 'auto_close' ? null : slaState(deps.calendar, next.due, deps.now),
      },
      timeline: publicTimeline(c, events).map((e) => ({
        at: e.at,
        type: e.type,
        status: e.status,
        ...(e.agencyId !== undefined ? { agency: agencyName(e.agencyId) } : {}),
        ...(e.note !== undefined ? { note: e.note } : {}),
      })),
    },
  };
}

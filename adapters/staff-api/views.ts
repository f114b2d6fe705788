import type { WorkingCalendar } from '../../src/cases/calendar';
import {
  type DeadlineKind,
  nextDeadline,
  type SlaState,
  slaState,
} from '../../src/cases/deadlines';
import type {
  Attachment,
  Case,
  CaseEvent,
  CaseEventType,
  CaseKind,
  CaseStatus,
  IdentityMode,
  Priority,
} from '../../src/cases/types';
import { staffCaseView, staffEventView } from '../../src/staff/view';
import type { Category, Language } from '../../src/taxonomy';

/**
 * The JSON of the staff API: snake_case, every field always present (null when unknown), built
 * field by field from the staff views (`src/staff/view.ts`), which decide what staff may see:
 * personal data masked on anonymous and confidential reports, no reporter there, never a
 * citizen's user or conversation id. Described by `components.schemas` of the OpenAPI document.
 */

/** The agency deadline that runs now and whether it is met (null: none runs). */
export interface SlaJson {
  deadline: Exclude<DeadlineKind, 'auto_close'>;
  due: string;
  state: SlaState;
}

/** A case as the staff API shows it (`components.schemas.Case`). */
export interface CaseJson {
  tracking_id: string;
  kind: CaseKind;
  category: Category;
  agency_id: string;
  priority: Priority;
  status: CaseStatus;
  /** The status a `needs_info` case returns to when the citizen answers. */
  resume_status: CaseStatus | null;
  identity: IdentityMode;
  language: Language;
  text: string;
  location: { text: string | null; lat: number | null; lon: number | null } | null;
  /** The files the citizen sent; each stays on the citizen's channel until opened at `href`. */
  attachments: { kind: Attachment['kind']; mime_type: string | null; href: string }[];
  reporter: {
    channel: string;
    name: string | null;
    phone: string | null;
    email: string | null;
  } | null;
  deadlines: {
    verify_by: string | null;
    follow_up_by: string | null;
    auto_close_at: string | null;
  };
  sla: SlaJson | null;
  rating: number | null;
  created_at: string;
  updated_at: string;
  version: number;
}

/** One history event as the staff API shows it (`components.schemas.CaseEvent`). */
export interface CaseEventJson {
  seq: number;
  type: CaseEventType;
  /** A citizen is only `{ type: 'citizen' }`: never their id or name. */
  actor: { type: 'citizen' | 'staff' | 'system'; id: string | null; name: string | null };
  at: string;
  note: string | null;
  public: boolean;
  from_status: CaseStatus | null;
  to_status: CaseStatus;
  from_agency_id: string | null;
  to_agency_id: string | null;
  rating: number | null;
}

/** A case and its history (oldest first). */
export interface CaseDetailJson {
  case: CaseJson;
  history: CaseEventJson[];
}

/** One page of cases; `next` is the cursor of the following page, null on the last. */
export interface CasePageJson {
  cases: CaseJson[];
  next: string | null;
}

/** What the views need to tell a deadline's SLA state: the working calendar and the time. */
export interface SlaClock {
  calendar: WorkingCalendar;
  now: Date;
}

/**
 * The SLA state of the agency deadline running now (verify while received, follow-up while
 * worked on), or null when none runs (waiting for the citizen, resolved, finished). The same
 * deadline as the read model's `sla` filter (`agencyDeadline`). Pure.
 */
export function slaJson(c: Pick<Case, 'status' | 'deadlines'>, clock: SlaClock): SlaJson | null {
  const next = nextDeadline(c);
  if (!next || next.kind === 'auto_close') return null;
  return {
    deadline: next.kind,
    due: next.due,
    state: slaState(clock.calendar, next.due, clock.now),
  };
}

/**
 * A case as the staff API shows it, mask labels in `lang`. Pure.
 *
 * @example
 * caseJson(anonymousCase, 'en', { calendar, now }).reporter // null
 */
export function caseJson(c: Case, lang: Language, clock: SlaClock): CaseJson {
  const v = staffCaseView(c, lang);
  return {
    tracking_id: v.trackingId,
    kind: v.kind,
    category: v.category,
    agency_id: v.agencyId,
    priority: v.priority,
    status: v.status,
    resume_status: v.resumeStatus ?? null,
    identity: v.identity,
    language: v.language,
    text: v.text,
    location: v.location
      ? { text: v.location.text ?? null, lat: v.location.lat ?? null, lon: v.location.lon ?? null }
      : null,
    attachments: v.attachments.map((a, i) => ({
      kind: a.kind,
      mime_type: a.mimeType ?? null,
      href: `/api/v1/cases/${v.trackingId}/attachments/${i + 1}`,
    })),
    reporter: v.reporter
      ? {
          channel: v.reporter.channel,
          name: v.reporter.name ?? null,
          phone: v.reporter.phone ?? null,
          email: v.reporter.email ?? null,
        }
      : null,
    deadlines: {
      verify_by: v.deadlines.verifyBy ?? null,
      follow_up_by: v.deadlines.followUpBy ?? null,
      auto_close_at: v.deadlines.autoCloseAt ?? null,
    },
    sla: slaJson(v, clock),
    rating: v.rating ?? null,
    created_at: v.createdAt,
    updated_at: v.updatedAt,
    version: v.version,
  };
}

/** One history event as the staff API shows it (a citizen's note masked as the case text). Pure. */
export function caseEventJson(c: Pick<Case, 'identity'>, e: CaseEvent, lang: Language) {
  const v = staffEventView(c, e, lang);
  const event: CaseEventJson = {
    seq: v.seq,
    type: v.type,
    actor:
      v.actor.type === 'citizen'
        ? { type: 'citizen', id: null, name: null }
        : { type: v.actor.type, id: v.actor.id, name: v.actor.name ?? null },
    at: v.at,
    note: v.note ?? null,
    public: v.public,
    from_status: v.fromStatus,
    to_status: v.toStatus,
    from_agency_id: v.fromAgencyId ?? null,
    to_agency_id: v.toAgencyId ?? null,
    rating: v.rating ?? null,
  };
  return event;
}

/** A case and the events of its history up to its version, as the staff API shows them. Pure. */
export function caseDetailJson(
  c: Case,
  history: readonly CaseEvent[],
  lang: Language,
  clock: SlaClock,
): CaseDetailJson {
  return {
    case: caseJson(c, lang, clock),
    history: history.filter((e) => e.seq <= c.version).map((e) => caseEventJson(c, e, lang)),
  };
}

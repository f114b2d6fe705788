import type {
  Actor,
  Attachment,
  Case,
  CaseDeadlines,
  CaseEvent,
  CaseKind,
  CaseLocation,
  CaseStatus,
  IdentityMode,
  Priority,
} from '../cases/types';
import type { Category, Language } from '../taxonomy';
import { maskPii } from './mask';
import { MASK_LABELS } from './mask-labels';

/**
 * Set on every view {@link staffCaseView} and {@link staffEventView} build, so a raw case or event
 * cannot be passed where a view is expected (a symbol key: not part of the view's JSON).
 */
const STAFF_VIEW: unique symbol = Symbol('staff view');

/** The reporter as staff may see them: only on named reports. */
export interface StaffReporterView {
  /** The channel the citizen wrote on (their contact point is never shown). */
  channel: string;
  name?: string;
  phone?: string;
  email?: string;
}

/**
 * A case as staff may see it. Built field by field from the case, so a field added to `Case`
 * later is not shown to staff until it is added here on purpose.
 */
export interface StaffCaseView {
  readonly [STAFF_VIEW]: true;
  trackingId: string;
  kind: CaseKind;
  category: Category;
  agencyId: string;
  priority: Priority;
  status: CaseStatus;
  resumeStatus?: CaseStatus;
  identity: IdentityMode;
  language: Language;
  /** The citizen's words: NIK, phone numbers and e-mail addresses masked unless named. */
  text: string;
  /** Where: its text masked as `text`, coordinates as given. */
  location?: CaseLocation;
  attachments: Attachment[];
  /** Who reported it: null on anonymous and confidential reports. */
  reporter: StaffReporterView | null;
  deadlines: CaseDeadlines;
  rating?: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** Who did something, as staff may see it: a citizen is "the reporter", never an id or name. */
export type StaffActorView =
  | { type: 'citizen' }
  | { type: 'staff' | 'system'; id: string; name?: string };

/**
 * One history event as staff may see it: the event's own fields, its actor as staff may see it,
 * and its note (a citizen's words) masked as the case text.
 */
export interface StaffEventView extends Omit<CaseEvent, 'actor'> {
  readonly [STAFF_VIEW]: true;
  actor: StaffActorView;
}

/**
 * The citizen's words as staff may see them: personal data masked (labels in `lang`) unless the
 * report is named. Pure.
 *
 * @example
 * citizenText(makeCase({ identity: 'anonymous' }), 'hp 0812-3456-7890', 'en') // 'hp [phone hidden]'
 */
export function citizenText(c: Pick<Case, 'identity'>, text: string, lang: Language): string {
  return c.identity === 'named' ? text : maskPii(text, MASK_LABELS[lang]);
}

/**
 * A case as staff may see it, mask labels in the staff's language `lang`: on anonymous and
 * confidential reports the citizen's text and location text have NIK, phone numbers and e-mail
 * addresses masked and there is no reporter at all (no name, phone, e-mail, channel or user id);
 * on named reports the text is as written and the reporter's name, phone, e-mail and channel are
 * shown (never their user or conversation id). This is the only place masking is decided. Pure.
 *
 * @example
 * const v = staffCaseView(makeCase({ identity: 'confidential', text: 'NIK 3201012345670001' }), 'id');
 * v.text     // 'NIK [NIK disamarkan]'
 * v.reporter // null
 */
export function staffCaseView(c: Case, lang: Language): StaffCaseView {
  const view: StaffCaseView = {
    [STAFF_VIEW]: true,
    trackingId: c.trackingId,
    kind: c.kind,
    category: c.category,
    agencyId: c.agencyId,
    priority: c.priority,
    status: c.status,
    identity: c.identity,
    language: c.language,
    text: citizenText(c, c.text, lang),
    attachments: c.attachments.map((a) => ({ ...a })),
    reporter: c.identity === 'named' ? reporterView(c) : null,
    deadlines: { ...c.deadlines },
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    version: c.version,
  };
  if (c.resumeStatus) view.resumeStatus = c.resumeStatus;
  if (c.rating !== undefined) view.rating = c.rating;
  if (c.location) {
    const { text, lat, lon } = c.location;
    view.location = {
      ...(text !== undefined ? { text: citizenText(c, text, lang) } : {}),
      ...(lat !== undefined ? { lat } : {}),
      ...(lon !== undefined ? { lon } : {}),
    };
  }
  return view;
}

function reporterView(c: Case): StaffReporterView {
  const { channel, name, phone, email } = c.reporter;
  return {
    channel,
    ...(name ? { name } : {}),
    ...(phone ? { phone } : {}),
    ...(email ? { email } : {}),
  };
}

/**
 * One history event of a case as staff may see it: a citizen actor without id or name, and a
 * citizen's note masked as the case text (staff and system notes as written). Pure.
 *
 * @example
 * staffEventView(anonymousCase, infoReceivedEvent, 'en').note // 'my number is [phone hidden]'
 */
export function staffEventView(
  c: Pick<Case, 'identity'>,
  e: CaseEvent,
  lang: Language,
): StaffEventView {
  const citizen = e.actor.type === 'citizen';
  const view: StaffEventView = {
    [STAFF_VIEW]: true,
    trackingId: e.trackingId,
    seq: e.seq,
    type: e.type,
    actor: actorView(e.actor),
    at: e.at,
    public: e.public,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
  };
  if (e.note !== undefined) view.note = citizen ? citizenText(c, e.note, lang) : e.note;
  if (e.fromAgencyId !== undefined) view.fromAgencyId = e.fromAgencyId;
  if (e.toAgencyId !== undefined) view.toAgencyId = e.toAgencyId;
  if (e.rating !== undefined) view.rating = e.rating;
  return view;
}

function actorView({ type, id, name }: Actor): StaffActorView {
  if (type === 'citizen') return { type };
  return { type, id, ...(name ? { name } : {}) };
}

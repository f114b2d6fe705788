import {
  type Actor,
  type Attachment,
  CASE_STATUSES,
  type Case,
  type CaseEvent,
  type CaseEventType,
  type CaseStatus,
} from './types';

/** What someone asks to do to a case. */
export type CaseAction =
  | { type: 'verify'; note?: string; public?: boolean }
  | { type: 'start'; note?: string; public?: boolean }
  | { type: 'request_info'; note: string }
  | { type: 'info_received'; note?: string; public?: boolean; attachments?: Attachment[] }
  | { type: 'resolve'; note: string }
  | { type: 'reject'; note: string }
  | { type: 'close'; rating?: number; note?: string; public?: boolean }
  | { type: 'reopen'; note?: string; public?: boolean }
  | { type: 'transfer'; toAgencyId: string; note?: string; public?: boolean }
  | { type: 'note'; note: string; public: boolean };

export type TransitionErrorCode =
  | 'invalid_transition'
  | 'note_required'
  | 'note_too_long'
  | 'invalid_rating'
  | 'same_agency'
  | 'actor_not_allowed';

export interface TransitionError {
  code: TransitionErrorCode;
  message: string;
}

export type TransitionResult =
  | { ok: true; case: Case; event: CaseEvent }
  | { ok: false; error: TransitionError };

type ActionType = CaseAction['type'];

interface Rule {
  /** States the action is allowed from. */
  from: readonly CaseStatus[];
  /** The resulting state; `undefined` keeps the current one. */
  to?: CaseStatus;
  /** Actor types allowed to do it. */
  actors: readonly Actor['type'][];
  noteRequired: boolean;
  /** Whether the note is public unless the action says otherwise. */
  publicByDefault: boolean;
}

const ANY: readonly CaseStatus[] = CASE_STATUSES;
// A case being worked on; once resolved it is the citizen's turn, so it can no longer move.
const OPEN: readonly CaseStatus[] = ANY.filter(
  (s) => s !== 'closed' && s !== 'rejected' && s !== 'resolved',
);
const STAFF: readonly Actor['type'][] = ['staff', 'system'];
const EVERYONE: readonly Actor['type'][] = ['citizen', 'staff', 'system'];

/**
 * The case life cycle (SP4N-LAPOR!): received → verified → in_progress → resolved → closed, with
 * needs_info (waiting for the citizen), rejected, and reopened (the citizen says it is not fixed).
 * A transfer to another agency and a note keep the state.
 */
export const RULES: Readonly<Record<ActionType, Rule>> = {
  verify: {
    from: ['received'],
    to: 'verified',
    actors: STAFF,
    noteRequired: false,
    publicByDefault: false,
  },
  start: {
    from: ['received', 'verified', 'reopened'],
    to: 'in_progress',
    actors: STAFF,
    noteRequired: false,
    publicByDefault: false,
  },
  request_info: {
    from: ['received', 'verified', 'in_progress', 'reopened'],
    to: 'needs_info',
    actors: STAFF,
    noteRequired: true,
    publicByDefault: true,
  },
  // `to` comes from the case's resumeStatus.
  info_received: {
    from: ['needs_info'],
    actors: EVERYONE,
    noteRequired: false,
    publicByDefault: false,
  },
  resolve: {
    from: ['verified', 'in_progress', 'reopened'],
    to: 'resolved',
    actors: STAFF,
    noteRequired: true,
    publicByDefault: true,
  },
  reject: {
    from: ['received', 'verified', 'in_progress', 'needs_info', 'reopened'],
    to: 'rejected',
    actors: STAFF,
    noteRequired: true,
    publicByDefault: true,
  },
  close: {
    from: ['resolved'],
    to: 'closed',
    actors: EVERYONE,
    noteRequired: false,
    publicByDefault: true,
  },
  reopen: {
    from: ['resolved'],
    to: 'reopened',
    actors: EVERYONE,
    noteRequired: false,
    publicByDefault: true,
  },
  transfer: { from: OPEN, actors: STAFF, noteRequired: false, publicByDefault: false },
  note: { from: ANY, actors: EVERYONE, noteRequired: true, publicByDefault: false },
};

export const MAX_NOTE_LENGTH = 4000;

/** The actions allowed from `status` (for showing buttons, for example). */
export function allowedActions(status: CaseStatus): ActionType[] {
  return (Object.keys(RULES) as ActionType[]).filter((t) => RULES[t].from.includes(status));
}

/**
 * Applies `action` to `current`. Pure: returns the new case (version + 1, `updatedAt` = now) and
 * the history event to append, or a coded error when the action is not allowed.
 * Deadlines are not touched here; see `planDeadlines`.
 *
 * @example
 * const r = transition(c, { type: 'resolve', note: 'Lubang sudah ditambal.' }, staff, now);
 * if (!r.ok) console.log(r.error.code); // e.g. 'invalid_transition'
 */
export function transition(
  current: Case,
  action: CaseAction,
  actor: Actor,
  now: Date,
): TransitionResult {
  const rule = RULES[action.type];
  if (!rule.from.includes(current.status)) {
    return fail(
      'invalid_transition',
      `cannot ${action.type} a case that is ${current.status} (allowed from: ${rule.from.join(', ')})`,
    );
  }
  if (!rule.actors.includes(actor.type)) {
    return fail('actor_not_allowed', `a ${actor.type} cannot ${action.type} a case`);
  }
  const note = action.note?.trim() || undefined;
  if (rule.noteRequired && !note) return fail('note_required', `${action.type} needs a note`);
  if (note && note.length > MAX_NOTE_LENGTH) {
    return fail('note_too_long', `a note has at most ${MAX_NOTE_LENGTH} characters`);
  }

  const at = now.toISOString();
  const next: Case = { ...current, updatedAt: at, version: current.version + 1 };
  const event: CaseEvent = {
    trackingId: current.trackingId,
    seq: next.version,
    type: action.type as CaseEventType,
    actor,
    at,
    public:
      'public' in action && action.public !== undefined ? action.public : rule.publicByDefault,
    fromStatus: current.status,
    toStatus: current.status,
  };
  if (note) event.note = note;

  switch (action.type) {
    case 'request_info':
      next.resumeStatus = current.status;
      break;
    case 'info_received':
      next.status = current.resumeStatus ?? 'in_progress';
      delete next.resumeStatus;
      if (action.attachments?.length)
        next.attachments = [...current.attachments, ...action.attachments];
      break;
    case 'close':
      if (action.rating !== undefined) {
        if (!Number.isInteger(action.rating) || action.rating < 1 || action.rating > 5) {
          return fail('invalid_rating', 'a rating is a whole number from 1 to 5');
        }
        next.rating = action.rating;
        event.rating = action.rating;
      }
      break;
    case 'transfer':
      if (action.toAgencyId === current.agencyId) {
        return fail('same_agency', `the case is already with ${current.agencyId}`);
      }
      next.agencyId = action.toAgencyId;
      event.fromAgencyId = current.agencyId;
      event.toAgencyId = action.toAgencyId;
      break;
  }
  if (rule.to) next.status = rule.to;
  if (current.status === 'needs_info' && next.status !== 'needs_info') delete next.resumeStatus;
  event.toStatus = next.status;
  return { ok: true, case: next, event };
}

function fail(code: TransitionErrorCode, message: string): TransitionResult {
  return { ok: false, error: { code, message } };
}

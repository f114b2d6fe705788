import type { Category, Language } from '../taxonomy';
import type {
  Actor,
  Attachment,
  Case,
  CaseEvent,
  CaseKind,
  CaseLocation,
  IdentityMode,
  Priority,
  Reporter,
} from './types';

/** What intake collects for a new case. */
export interface NewCaseInput {
  kind: CaseKind;
  text: string;
  language: Language;
  category: Category;
  priority?: Priority;
  location?: CaseLocation;
  attachments?: Attachment[];
  reporter: Reporter;
  identity: IdentityMode;
  /** An internal note on the `created` event (who entered the report, and how it came in). */
  note?: string;
}

/**
 * Builds a new case in state `received`, version 1, with its `created` history event.
 * Pure: the caller supplies the tracking id, the routed agency and the time.
 */
export function newCase(
  input: NewCaseInput,
  trackingId: string,
  agencyId: string,
  actor: Actor,
  now: Date,
): { case: Case; event: CaseEvent } {
  const at = now.toISOString();
  const c: Case = {
    trackingId,
    kind: input.kind,
    text: input.text.trim(),
    language: input.language,
    category: input.category,
    agencyId,
    priority: input.priority ?? 'normal',
    attachments: input.attachments ?? [],
    reporter: input.reporter,
    identity: input.identity,
    status: 'received',
    deadlines: {},
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  if (input.location) c.location = input.location;
  const event: CaseEvent = {
    trackingId,
    seq: 1,
    type: 'created',
    actor,
    at,
    public: false,
    fromStatus: null,
    toStatus: 'received',
    toAgencyId: agencyId,
  };
  if (input.note) event.note = input.note;
  return { case: c, event };
}

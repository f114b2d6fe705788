import type { CaseStats } from '../stats/facts';
import type { Category, Language } from '../taxonomy';

export const CASE_KINDS = ['complaint', 'aspiration', 'handoff'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export const CASE_STATUSES = [
  'received',
  'verified',
  'in_progress',
  'needs_info',
  'resolved',
  'closed',
  'rejected',
  'reopened',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export type Priority = 'normal' | 'urgent';

/**
 * SP4N-LAPOR! identity modes. `named`: the reporter is known to the agency. `anonymous`: the
 * reporter's identity is never shown to anyone handling the case. `confidential` (rahasia): the
 * report is never published and the reporter's identity is withheld from the agency too; only
 * the service keeps it, to tell the citizen about progress.
 */
export const IDENTITY_MODES = ['named', 'anonymous', 'confidential'] as const;
export type IdentityMode = (typeof IDENTITY_MODES)[number];

/** Where the problem is: free text, coordinates, or both. */
export interface CaseLocation {
  text?: string;
  lat?: number;
  lon?: number;
}

/** A file the citizen sent, as the channel's own reference (e.g. a Telegram file_id). */
export interface Attachment {
  kind: 'photo' | 'document';
  ref: string;
  mimeType?: string;
}

/**
 * The reporter channel of a report an officer entered for a citizen who came by phone, to the
 * counter or by letter: there is no conversation to tell them on (the officer gave them the
 * tracking id), so no citizen notification is queued for it.
 */
export const OFFLINE_CHANNEL = 'offline';

/**
 * The reporter channel of a report filed by another system through Open311 GeoReport v2: the
 * client app polls the request's status itself, so no citizen notification is queued for it.
 */
export const OPEN311_CHANNEL = 'open311';

/** Reporter channels nobody is told on: the citizen hears of progress another way. */
export const UNNOTIFIED_CHANNELS: ReadonlySet<string> = new Set([OFFLINE_CHANNEL, OPEN311_CHANNEL]);

/** How a report entered by an officer came in. */
export const OFFLINE_SOURCES = ['phone', 'counter', 'letter', 'other'] as const;
export type OfflineSource = (typeof OFFLINE_SOURCES)[number];

/** Who filed the case and where they can be told about it. */
export interface Reporter {
  channel: string;
  channelUserId: string;
  /** The conversation replies go to (defaults to the user id on one-to-one channels). */
  conversationId?: string;
  name?: string;
  phone?: string;
  email?: string;
  /**
   * What the reporter's channel needs besides the conversation id to write to them later (a
   * conversation reference: a service URL and tenant, whether a template is needed…), as the
   * channel gave it on their message. Opaque to the core; copied into their notifications.
   */
  ref?: Record<string, string>;
  /** How a report entered by an officer came in ({@link OFFLINE_CHANNEL} reporters). */
  via?: OfflineSource;
}

/** Deadlines as ISO instants (end of a working day in the service's time zone). */
export interface CaseDeadlines {
  verifyBy?: string;
  followUpBy?: string;
  autoCloseAt?: string;
}

/** A tracked complaint, aspiration or hand-off to a human officer. */
export interface Case {
  trackingId: string;
  kind: CaseKind;
  text: string;
  language: Language;
  category: Category;
  agencyId: string;
  priority: Priority;
  location?: CaseLocation;
  attachments: Attachment[];
  reporter: Reporter;
  identity: IdentityMode;
  status: CaseStatus;
  /** The status a `needs_info` case returns to when the citizen answers. */
  resumeStatus?: CaseStatus;
  deadlines: CaseDeadlines;
  /** The citizen's 1–5 rating given when closing. */
  rating?: number;
  createdAt: string;
  updatedAt: string;
  /** Incremented on every accepted event; used for optimistic concurrency in stores. */
  version: number;
  /** What the case adds to the statistics (kept by the case service; see src/stats/facts.ts). */
  stats?: CaseStats;
}

/** Who did something: a citizen, a staff member (their id on the staff channel they used) or the system itself. */
export interface Actor {
  type: 'citizen' | 'staff' | 'system';
  id: string;
  name?: string;
}

/** One accepted change, appended to the case history. */
export interface CaseEvent {
  trackingId: string;
  /** 1 for creation, then +1 per event; equals the case version after the event. */
  seq: number;
  type: CaseEventType;
  actor: Actor;
  at: string;
  note?: string;
  /** Whether the note may be shown to the citizen. */
  public: boolean;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus;
  fromAgencyId?: string;
  toAgencyId?: string;
  rating?: number;
}

/** Every kind of case event, in the order a case usually meets them. */
export const CASE_EVENT_TYPES = [
  'created',
  'verify',
  'start',
  'request_info',
  'info_received',
  'resolve',
  'reject',
  'close',
  'reopen',
  'transfer',
  'note',
] as const;
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number];

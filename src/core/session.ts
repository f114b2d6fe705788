import type { Attachment, CaseKind, CaseLocation, IdentityMode } from '../cases/types';
import type { Category, Language } from '../taxonomy';

export type IntakeStep =
  | 'description'
  | 'category'
  | 'pick_category'
  | 'location'
  | 'photo'
  | 'identity'
  | 'contact'
  | 'confirm'
  | 'edit';

/** What the intake dialog has collected so far. */
export interface Draft {
  kind: Extract<CaseKind, 'complaint' | 'aspiration'>;
  text: string;
  category?: Category;
  categoryConfidence?: number;
  candidates?: Category[];
  location?: CaseLocation;
  attachments: Attachment[];
  identity?: IdentityMode;
  phone?: string;
  email?: string;
  contactAsked?: boolean;
  urgent: boolean;
}

/** The dialog a conversation is in, if any. */
export type DialogState =
  | { kind: 'intake'; step: IntakeStep; draft: Draft; editing?: boolean }
  | { kind: 'kb_feedback'; articleId: string }
  | { kind: 'await_question' }
  | { kind: 'await_status' }
  | { kind: 'rating'; trackingId: string };

/** Per-conversation state kept in the store between turns. */
export interface SessionData {
  lang?: Language;
  dialog?: DialogState;
  /** The citizen's last question to the knowledge base, for an officer if they hand off. */
  lastQuestion?: string;
}

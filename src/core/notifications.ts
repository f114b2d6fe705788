import { z } from 'zod';
import { CASE_EVENT_TYPES, type CaseEventType, type Reporter } from '../cases/types';
import type { NewOutboxMessage, OutboxMessage } from '../outbox/port';
import type { SendResult } from '../outbox/sender';
import { LANGUAGES, type Language } from '../taxonomy';
import type { Choice, Reply } from './types';

/**
 * Typed notifications: what the service tells a citizen or a staff desk, and to whom, as one
 * discriminated union ({@link Notification}) with a typed addressee ({@link Recipient}). Producers
 * build outbox messages with {@link notify}; every channel's sender reads them back with
 * {@link readNotification} (one schema, which also reads the payloads older versions queued) and
 * renders the kinds it supports. The core names no channel: a recipient's `ref` carries whatever
 * a channel needs to reach a conversation, opaque to everyone else.
 */

/** The outbox channel of staff-desk notifications (whichever staff channel delivers them). */
export const STAFF_CHANNEL = 'staff';

/**
 * A citizen's conversation on a channel. `ref` is the channel's conversation reference, kept
 * from the citizen's message (a service URL and tenant, whether a template is needed…).
 *
 * @example
 * const to: ConversationRecipient = {
 *   kind: 'conversation', channel: 'telegram', conversationId: '42', userId: '42',
 * };
 */
export interface ConversationRecipient {
  kind: 'conversation';
  /** The outbox channel that delivers it (`telegram`, `webchat`…). */
  channel: string;
  conversationId: string;
  /** The citizen's user id on the channel, when it differs from the conversation or matters. */
  userId?: string;
  ref?: Record<string, string>;
}

/**
 * The staff desk of an agency (delivered on {@link STAFF_CHANNEL}).
 *
 * @example
 * const to: DeskRecipient = { kind: 'desk', agencyId: 'dinas-pupr' };
 */
export interface DeskRecipient {
  kind: 'desk';
  agencyId: string;
}

/**
 * Who a notification is for.
 *
 * @example
 * const to: Recipient = { kind: 'desk', agencyId: 'dinas-pupr' };
 */
export type Recipient = ConversationRecipient | DeskRecipient;

/**
 * The bot's replies to a citizen's message (`replyTo`, the channel's message id), or a message
 * of a channel's own (help, an apology).
 *
 * @example
 * const n: RepliesNotification = { kind: 'replies', replies: [{ text: 'Halo!' }], lang: 'id' };
 */
export interface RepliesNotification {
  kind: 'replies';
  replies: Reply[];
  replyTo?: string;
  lang?: Language;
}

/**
 * What every notice to a citizen about their case holds: the facts (for a channel that must
 * send a template of its own) and the text the core wrote from them, in the citizen's language.
 */
interface CaseNotice {
  trackingId: string;
  /** The case event it tells about. */
  seq: number;
  lang: Language;
  /** The name of the agency that has the case, in `lang`. */
  agency: string;
  text: string;
}

/** Status changes the citizen is told about with a {@link CaseStatusNotification}. */
export const STATUS_NOTICE_EVENTS = [
  'verify',
  'start',
  'request_info',
  'reject',
  'close',
  'reopen',
] as const satisfies readonly CaseEventType[];
export type StatusNoticeEvent = (typeof STATUS_NOTICE_EVENTS)[number];

/**
 * Staff or the system changed the status of the citizen's case. `note` is what the officer
 * wrote to the citizen with it (a question, a reason), when there is one.
 *
 * @example
 * const n: CaseStatusNotification = {
 *   kind: 'case_status', trackingId: 'ADU-7K3M9Q', seq: 2, lang: 'id', event: 'verify',
 *   agency: 'Dinas PUPR', text: 'Laporan ADU-7K3M9Q sudah diverifikasi.',
 * };
 */
export interface CaseStatusNotification extends CaseNotice {
  kind: 'case_status';
  event: StatusNoticeEvent;
  note?: string;
}

/**
 * An officer's public note to the citizen (a reply in a hand-off, an update).
 *
 * @example
 * const n: OfficerReplyNotification = {
 *   kind: 'officer_reply', trackingId: 'ADU-7K3M9Q', seq: 3, lang: 'id', agency: 'Dinas PUPR',
 *   note: 'Besok kami cek.', text: 'Pesan petugas untuk laporan ADU-7K3M9Q: Besok kami cek.',
 * };
 */
export interface OfficerReplyNotification extends CaseNotice {
  kind: 'officer_reply';
  note: string;
}

/**
 * The case was resolved: the citizen is asked whether the problem is gone (`choices`, whose
 * values come back as the citizen's action).
 *
 * @example
 * const n: ResolvedAskNotification = {
 *   kind: 'resolved_ask', trackingId: 'ADU-7K3M9Q', seq: 4, lang: 'en', agency: 'Public Works',
 *   text: 'Report ADU-7K3M9Q was resolved.\nIs the problem fixed?',
 *   choices: [{ label: 'Fixed', value: 'resolved:done:ADU-7K3M9Q' }],
 * };
 */
export interface ResolvedAskNotification extends CaseNotice {
  kind: 'resolved_ask';
  note?: string;
  choices: Choice[];
}

/** What a staff notification is about. */
export const STAFF_EVENTS = [
  'case_opened',
  'case_changed',
  'case_transferred',
  'citizen_message',
] as const;
export type StaffEvent = (typeof STAFF_EVENTS)[number];

/**
 * A case event for the desk of the agency that has the case. It only names the event: the desk
 * reads the case and its history when it delivers, so it shows the latest state.
 *
 * @example
 * const n: StaffEventNotification = {
 *   kind: 'case_opened', trackingId: 'ADU-7K3M9Q', seq: 1, type: 'created',
 * };
 */
export interface StaffEventNotification {
  kind: StaffEvent;
  trackingId: string;
  seq: number;
  type: CaseEventType;
}

/** A case in a digest, and how late it is. */
export interface DigestItem {
  trackingId: string;
  state: 'overdue' | 'due_soon';
}

/**
 * An agency's daily digest of cases due soon or overdue (`date`: the local day, YYYY-MM-DD).
 *
 * @example
 * const n: DigestNotification = {
 *   kind: 'digest', agencyId: 'dinas-pupr', date: '2026-12-02',
 *   items: [{ trackingId: 'ADU-7K3M9Q', state: 'overdue' }],
 * };
 */
export interface DigestNotification {
  kind: 'digest';
  agencyId: string;
  date: string;
  items: DigestItem[];
}

/**
 * Everything the outbox delivers. Citizen kinds: `replies`, `case_status`, `officer_reply`,
 * `resolved_ask`. Staff kinds: the {@link StaffEvent}s and `digest`.
 *
 * @example
 * function isForCitizens(n: Notification): boolean {
 *   return citizenMessageOf(n) !== null;
 * }
 */
export type Notification =
  | RepliesNotification
  | CaseStatusNotification
  | OfficerReplyNotification
  | ResolvedAskNotification
  | StaffEventNotification
  | DigestNotification;

export type NotificationKind = Notification['kind'];

const choiceSchema = z.object({ label: z.string(), value: z.string() });

const replySchema = z.object({
  text: z.string(),
  choices: z.array(choiceSchema).optional(),
  requestLocation: z.boolean().optional(),
  link: z.object({ title: z.string(), url: z.string() }).optional(),
});

const trackingIdSchema = z.string().min(1);
const seqSchema = z.number().int().positive();
const langSchema = z.enum(LANGUAGES);
const caseNotice = {
  trackingId: trackingIdSchema,
  seq: seqSchema,
  lang: langSchema,
  agency: z.string(),
  text: z.string(),
};

/** The runtime schema of {@link Notification} (a stored payload without its `to`). */
const notificationSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('replies'),
    replies: z.array(replySchema).min(1),
    replyTo: z.string().optional(),
    lang: langSchema.optional(),
  }),
  z.object({
    kind: z.literal('case_status'),
    ...caseNotice,
    event: z.enum(STATUS_NOTICE_EVENTS),
    note: z.string().optional(),
  }),
  z.object({ kind: z.literal('officer_reply'), ...caseNotice, note: z.string() }),
  z.object({
    kind: z.literal('resolved_ask'),
    ...caseNotice,
    note: z.string().optional(),
    choices: z.array(choiceSchema).min(1),
  }),
  z.object({
    kind: z.enum(STAFF_EVENTS),
    trackingId: trackingIdSchema,
    seq: seqSchema,
    type: z.enum(CASE_EVENT_TYPES),
  }),
  z.object({
    kind: z.literal('digest'),
    agencyId: z.string().min(1),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    items: z.array(
      z.object({ trackingId: trackingIdSchema, state: z.enum(['overdue', 'due_soon']) }),
    ),
  }),
]) satisfies z.ZodType<Notification>;

const recipientSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('conversation'),
    channel: z.string().min(1),
    conversationId: z.string().min(1),
    userId: z.string().optional(),
    ref: z.record(z.string(), z.string()).optional(),
  }),
  z.object({ kind: z.literal('desk'), agencyId: z.string().min(1) }),
]) satisfies z.ZodType<Recipient>;

/** The parts of an outbox message a notification is read from. */
export type StoredNotification = Pick<
  OutboxMessage,
  'channel' | 'recipient' | 'payload' | 'trackingId'
>;

/**
 * The one schema of a stored notification: an outbox message's payload, read with its address,
 * into `{ to, notification }`. Payloads {@link notify} wrote are `{ ...notification, to }`.
 * Payloads queued by older versions (no `kind`) still read, so messages queued before an
 * upgrade deliver: `{ text, choices? }` and `{ replies, replyTo?, lang? }` as `replies`;
 * `{ event, seq, type }` as that staff event of the message's case; `{ event: 'digest', date,
 * items }` as the digest of the recipient agency. Without a `to`, the recipient is the message's
 * address (the desk of agency `recipient` on {@link STAFF_CHANNEL}, else that conversation).
 *
 * @example
 * storedNotificationSchema.parse({ channel: 'telegram', recipient: '42', payload: { text: 'Hi' } })
 * // { to: { kind: 'conversation', channel: 'telegram', conversationId: '42' },
 * //   notification: { kind: 'replies', replies: [{ text: 'Hi' }] } }
 */
export const storedNotificationSchema = z.preprocess(
  upgrade,
  z.object({ to: recipientSchema, notification: notificationSchema }),
);

/** A stored message as the candidate `{ to, notification }` the schema then checks. */
function upgrade(input: unknown): unknown {
  if (!isRecord(input) || !isRecord(input.payload)) return input;
  const { channel, recipient, trackingId } = input;
  const { to, ...payload } = input.payload;
  const address =
    channel === STAFF_CHANNEL
      ? { kind: 'desk', agencyId: recipient }
      : { kind: 'conversation', channel, conversationId: recipient };
  return { to: to ?? address, notification: upgradePayload(payload, { recipient, trackingId }) };
}

/** An old payload shape (without `kind`) as the notification it meant; others as they are. */
function upgradePayload(
  p: Record<string, unknown>,
  address: { recipient: unknown; trackingId: unknown },
): unknown {
  if ('kind' in p) return p;
  if ('replies' in p) return { kind: 'replies', ...p };
  if (p.event === 'digest') {
    return { kind: 'digest', agencyId: address.recipient, date: p.date, items: p.items };
  }
  if ('event' in p) {
    return { kind: p.event, trackingId: address.trackingId, seq: p.seq, type: p.type };
  }
  const reply = Object.fromEntries(
    ['text', 'choices', 'requestLocation', 'link'].filter((k) => k in p).map((k) => [k, p[k]]),
  );
  return { kind: 'replies', replies: [reply] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A notification read from an outbox message, or why it cannot be. */
export type ReadNotification =
  | { ok: true; to: Recipient; notification: Notification }
  | { ok: false; error: string };

/**
 * Reads the notification an outbox message carries, with {@link storedNotificationSchema}
 * (every sender uses it). A payload that is no notification gives a `bad payload` error naming
 * the first wrong field.
 *
 * @example
 * readNotification({ channel: 'staff', recipient: 'dinas-pupr', trackingId: 'ADU-7K3M9Q',
 *   payload: { event: 'case_opened', seq: 1, type: 'created' } })
 * // { ok: true, to: { kind: 'desk', agencyId: 'dinas-pupr' },
 * //   notification: { kind: 'case_opened', trackingId: 'ADU-7K3M9Q', seq: 1, type: 'created' } }
 */
export function readNotification(message: StoredNotification): ReadNotification {
  const parsed = storedNotificationSchema.safeParse(message);
  if (parsed.success) return { ok: true, ...parsed.data };
  const issue = parsed.error.issues[0];
  // Paths are the payload's: `notification` is the payload itself, `to` one of its fields.
  const path = (issue?.path ?? []).filter((p, i) => !(i === 0 && p === 'notification'));
  return { ok: false, error: `bad payload: ${path.join('.') || '(root)'} ${issue?.message}` };
}

/**
 * The outbox message that delivers `notification` to `to`: on the recipient's channel (desks on
 * {@link STAFF_CHANNEL}), addressed to its conversation or agency, with the payload
 * `{ ...notification, to }` that {@link readNotification} reads. The only way producers build
 * one, so no payload is made by hand. A notification about a case is tracked by its id unless
 * `trackingId` says otherwise.
 *
 * @example
 * notify(
 *   { kind: 'desk', agencyId: 'dinas-pupr' },
 *   { kind: 'case_opened', trackingId: 'ADU-7K3M9Q', seq: 1, type: 'created' },
 *   { idempotencyKey: 'staff:ADU-7K3M9Q#1', orderingKey: 'case:ADU-7K3M9Q' },
 * )
 * // { idempotencyKey: 'staff:ADU-7K3M9Q#1', channel: 'staff', recipient: 'dinas-pupr',
 * //   trackingId: 'ADU-7K3M9Q', orderingKey: 'case:ADU-7K3M9Q', payload: { kind: 'case_opened', … } }
 */
export function notify(
  to: Recipient,
  notification: Notification,
  options: { idempotencyKey: string; trackingId?: string; notBefore?: Date; orderingKey?: string },
): NewOutboxMessage {
  const trackingId =
    options.trackingId ?? ('trackingId' in notification ? notification.trackingId : undefined);
  return {
    idempotencyKey: options.idempotencyKey,
    channel: to.kind === 'desk' ? STAFF_CHANNEL : to.channel,
    recipient: to.kind === 'desk' ? to.agencyId : to.conversationId,
    payload: { ...notification, to },
    ...(trackingId !== undefined ? { trackingId } : {}),
    ...(options.notBefore ? { notBefore: options.notBefore } : {}),
    ...(options.orderingKey !== undefined ? { orderingKey: options.orderingKey } : {}),
  };
}

/**
 * Where a case's reporter is told about it: their conversation on their channel, with the
 * channel's conversation reference they came with.
 *
 * @example
 * reporterRecipient({ channel: 'telegram', channelUserId: '42' })
 * // { kind: 'conversation', channel: 'telegram', conversationId: '42', userId: '42' }
 */
export function reporterRecipient(reporter: Reporter): ConversationRecipient {
  return {
    kind: 'conversation',
    channel: reporter.channel,
    conversationId: reporter.conversationId ?? reporter.channelUserId,
    userId: reporter.channelUserId,
    ...(reporter.ref ? { ref: { ...reporter.ref } } : {}),
  };
}

/** What a channel shows a citizen for a notification: bot messages, in order. */
export interface CitizenMessage {
  replies: Reply[];
  /** The citizen's message these answer (the channel's message id). */
  replyTo?: string;
  lang?: Language;
}

/**
 * A citizen kind as the bot messages a chat channel shows (its text, and the resolved case's
 * buttons); null for the kinds meant for staff desks.
 *
 * @example
 * citizenMessageOf({ kind: 'replies', replies: [{ text: 'Halo!' }], lang: 'id' })
 * // { replies: [{ text: 'Halo!' }], lang: 'id' }
 */
export function citizenMessageOf(n: Notification): CitizenMessage | null {
  switch (n.kind) {
    case 'replies':
      return {
        replies: n.replies,
        ...(n.replyTo !== undefined ? { replyTo: n.replyTo } : {}),
        ...(n.lang ? { lang: n.lang } : {}),
      };
    case 'case_status':
    case 'officer_reply':
      return { replies: [{ text: n.text }], lang: n.lang };
    case 'resolved_ask':
      return { replies: [{ text: n.text, choices: n.choices }], lang: n.lang };
    case 'case_opened':
    case 'case_changed':
    case 'case_transferred':
    case 'citizen_message':
    case 'digest':
      return null;
  }
}

/**
 * The result of a send a channel cannot render: undeliverable, never retried.
 *
 * @example
 * if (!rendered) return unsupported('telegram', notification);
 * // { status: 'undeliverable', error: 'telegram does not deliver "digest" notifications' }
 */
export function unsupported(channel: string, notification: Notification): SendResult {
  return {
    status: 'undeliverable',
    error: `${channel} does not deliver "${notification.kind}" notifications`,
  };
}

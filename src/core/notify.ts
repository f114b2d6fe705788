import type { AgencyDirectory } from '../cases/directory';
import { findAgency } from '../cases/directory';
import type { CaseChange } from '../cases/service';
import { type CaseEventType, UNNOTIFIED_CHANNELS } from '../cases/types';
import type { NewOutboxMessage } from '../outbox/port';
import type { TrackingUrl } from './context';
import type { Texts } from './i18n';
import {
  type Notification,
  notify,
  reporterRecipient,
  STAFF_CHANNEL,
  type StaffEvent,
  type StatusNoticeEvent,
} from './notifications';

/** Event types the citizen is told about, and their text key. */
const PUBLIC_CHANGES: Record<StatusNoticeEvent | 'resolve' | 'note', string> = {
  verify: 'notify.verified',
  start: 'notify.in_progress',
  request_info: 'notify.needs_info',
  resolve: 'notify.resolved',
  reject: 'notify.rejected',
  close: 'notify.closed',
  reopen: 'notify.reopened',
  // Only public notes (staff replying to the citizen); internal notes are never sent.
  note: 'notify.note',
};

function isPublicChange(type: CaseEventType): type is keyof typeof PUBLIC_CHANGES {
  return Object.hasOwn(PUBLIC_CHANGES, type);
}

/** Event types a hand-off's citizen hears about: each carries the officer's words. */
const HANDOFF_CHANGES: ReadonlySet<string> = new Set(['note', 'request_info', 'resolve', 'reject']);

/**
 * Outbox messages for the reporter when staff or the system change a case publicly, in the
 * reporter's language, for the channel and conversation they used (with the channel's
 * conversation reference they came with). What the citizen did themselves is answered in the
 * conversation instead. One message per event (idempotency key): a `case_status` for a status
 * change, an `officer_reply` for a public note, a `resolved_ask` when the case is resolved.
 * With `options.trackingUrl`, the text of a report's notice ends with a link to its public
 * tracking page (not a hand-off's: that is a conversation with an officer).
 *
 * @example
 * const toCitizen = citizenNotifications(texts, directory);
 * const [m] = toCitizen({ before, after, event }); // after a public `verify`
 * // m.payload: { kind: 'case_status', event: 'verify', text: 'Laporan ADU-… sudah diverifikasi…', … }
 */
export function citizenNotifications(
  texts: Texts,
  directory: AgencyDirectory,
  options: { trackingUrl?: TrackingUrl | undefined } = {},
) {
  return ({ after, event }: CaseChange): NewOutboxMessage[] => {
    const type = event.type;
    if (!isPublicChange(type) || event.actor.type === 'citizen') return [];
    // Entered by an officer for someone who came by phone or to the counter, or filed by another
    // system through Open311 (which polls the status): nobody to tell here.
    if (UNNOTIFIED_CHANNELS.has(after.reporter.channel)) return [];
    const note = event.public && event.note ? event.note : undefined;
    if (type === 'note' && note === undefined) return [];
    // A hand-off is a conversation with an officer: the citizen gets what the officer wrote to
    // them (replies, questions, the closing answer or reason), not bare status changes.
    if (after.kind === 'handoff' && !HANDOFF_CHANGES.has(type)) return [];
    const lang = after.language;
    const agency = findAgency(directory, after.agencyId)?.name[lang] ?? after.agencyId;
    const trackingId = after.trackingId;
    const vars = { id: trackingId, agency, note: note ?? '' };
    const url = after.kind === 'handoff' ? undefined : options.trackingUrl?.(trackingId, lang);
    const said = texts.t(lang, PUBLIC_CHANGES[type], vars).trim();
    const text = url ? `${said}\n${texts.t(lang, 'tracking.link', { url })}` : said;
    const about = { trackingId, seq: event.seq, lang, agency, ...(note ? { note } : {}) };
    let notification: Notification;
    if (type === 'note') {
      notification = { kind: 'officer_reply', ...about, note: note ?? '', text };
    } else if (type === 'resolve') {
      notification = {
        kind: 'resolved_ask',
        ...about,
        text: `${text}\n${texts.t(lang, 'resolved.ask')}`,
        choices: [
          { label: texts.t(lang, 'resolved.done'), value: `resolved:done:${trackingId}` },
          { label: texts.t(lang, 'resolved.not_done'), value: `resolved:not_done:${trackingId}` },
        ],
      };
    } else {
      notification = { kind: 'case_status', ...about, event: type, text };
    }
    return [
      notify(reporterRecipient(after.reporter), notification, {
        idempotencyKey: `citizen:${trackingId}#${event.seq}`,
      }),
    ];
  };
}

export { STAFF_CHANNEL, type StaffEvent };

function staffEvent(type: CaseEventType, actor: 'citizen' | 'staff' | 'system'): StaffEvent {
  if (type === 'created') return 'case_opened';
  if (type === 'transfer') return 'case_transferred';
  if (actor === 'citizen' && (type === 'info_received' || type === 'note'))
    return 'citizen_message';
  return 'case_changed';
}

/**
 * Outbox messages for the staff desk of the agency that has the case after the change: one per
 * event (created, every transition, transfers, notes, the citizen's answers), addressed to the
 * agency's desk. The notification only names the event (a {@link StaffEventNotification}); the
 * desk adapter reads the case and its history when it delivers, so it shows the latest state.
 * The core never names the desk's technology.
 *
 * @example
 * const [m] = staffNotifications()({ before: null, after, event }); // a new case
 * // m: { channel: 'staff', recipient: after.agencyId, orderingKey: `case:${after.trackingId}`,
 * //      payload: { kind: 'case_opened', trackingId: after.trackingId, seq: 1, type: 'created', to } }
 */
export function staffNotifications() {
  return ({ after, event }: CaseChange): NewOutboxMessage[] => [
    notify(
      { kind: 'desk', agencyId: after.agencyId },
      {
        kind: staffEvent(event.type, event.actor.type),
        trackingId: after.trackingId,
        seq: event.seq,
        type: event.type,
      },
      {
        idempotencyKey: `staff:${after.trackingId}#${event.seq}`,
        // One case at a time: its message is posted before its thread lines, never twice at once.
        orderingKey: `case:${after.trackingId}`,
      },
    ),
  ];
}

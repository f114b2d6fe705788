import type { AgencyDirectory } from '../cases/directory';
import { findAgency } from '../cases/directory';
import type { CaseChange } from '../cases/service';
import type { CaseEventType } from '../cases/types';
import type { NewOutboxMessage } from '../outbox/port';
import type { Texts } from './i18n';

/** Event types the citizen is told about, and their text key. */
const PUBLIC_CHANGES: Record<string, string> = {
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

/** Event types a hand-off's citizen hears about: each carries the officer's words. */
const HANDOFF_CHANGES: ReadonlySet<string> = new Set(['note', 'request_info', 'resolve', 'reject']);

/**
 * Outbox messages for the reporter when staff or the system change a case publicly, in the
 * reporter's language, for the channel and conversation they used. What the citizen did
 * themselves is answered in the conversation instead. One message per event (idempotency key).
 */
export function citizenNotifications(texts: Texts, directory: AgencyDirectory) {
  return ({ after, event }: CaseChange): NewOutboxMessage[] => {
    const key = PUBLIC_CHANGES[event.type];
    if (!key || event.actor.type === 'citizen') return [];
    const isNote = event.type === 'note';
    if (isNote && !(event.public && event.note)) return [];
    // A hand-off is a conversation with an officer: the citizen gets what the officer wrote to
    // them (replies, questions, the closing answer or reason), not bare status changes.
    if (after.kind === 'handoff' && !HANDOFF_CHANGES.has(event.type)) return [];
    const lang = after.language;
    const agency = findAgency(directory, after.agencyId)?.name[lang] ?? after.agencyId;
    const vars = { id: after.trackingId, agency, note: event.public ? (event.note ?? '') : '' };
    const text = texts.t(lang, key, vars);
    const payload: Record<string, unknown> = { text: text.trim() };
    if (event.type === 'resolve') {
      payload.text = `${payload.text}\n${texts.t(lang, 'resolved.ask')}`;
      payload.choices = [
        { label: texts.t(lang, 'resolved.done'), value: `resolved:done:${after.trackingId}` },
        {
          label: texts.t(lang, 'resolved.not_done'),
          value: `resolved:not_done:${after.trackingId}`,
        },
      ];
    }
    return [
      {
        idempotencyKey: `citizen:${after.trackingId}#${event.seq}`,
        channel: after.reporter.channel,
        recipient: after.reporter.conversationId ?? after.reporter.channelUserId,
        payload,
        trackingId: after.trackingId,
      },
    ];
  };
}

/** The outbox channel of staff-desk notifications (a Slack workspace, for example). */
export const STAFF_CHANNEL = 'staff';

/** What a staff notification is about. */
export type StaffEvent = 'case_opened' | 'case_changed' | 'case_transferred' | 'citizen_message';

function staffEvent(type: CaseEventType, actor: 'citizen' | 'staff' | 'system'): StaffEvent {
  if (type === 'created') return 'case_opened';
  if (type === 'transfer') return 'case_transferred';
  if (actor === 'citizen' && (type === 'info_received' || type === 'note'))
    return 'citizen_message';
  return 'case_changed';
}

/**
 * Outbox messages for the staff desk of the agency that has the case after the change: one per
 * event (created, every transition, transfers, notes, the citizen's answers), on the `staff`
 * channel with the agency id as recipient. The payload only names the event (`{ event, seq,
 * type }`); the desk adapter reads the case and its history when it delivers, so it shows the
 * latest state. The core never names the desk's technology.
 */
export function staffNotifications() {
  return ({ after, event }: CaseChange): NewOutboxMessage[] => [
    {
      idempotencyKey: `staff:${after.trackingId}#${event.seq}`,
      channel: STAFF_CHANNEL,
      recipient: after.agencyId,
      // One case at a time: its message is posted before its thread lines, never twice at once.
      orderingKey: `case:${after.trackingId}`,
      payload: {
        event: staffEvent(event.type, event.actor.type),
        seq: event.seq,
        type: event.type,
      },
      trackingId: after.trackingId,
    },
  ];
}

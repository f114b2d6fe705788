import type { AgencyDirectory } from '../cases/directory';
import { findAgency } from '../cases/directory';
import type { CaseChange } from '../cases/service';
import type { NewOutboxMessage } from '../store/port';
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
};

/**
 * Outbox messages for the reporter when staff or the system change a case publicly, in the
 * reporter's language, for the channel and conversation they used. What the citizen did
 * themselves is answered in the conversation instead. One message per event (idempotency key).
 */
export function citizenNotifications(texts: Texts, directory: AgencyDirectory) {
  return ({ after, event }: CaseChange): NewOutboxMessage[] => {
    const key = PUBLIC_CHANGES[event.type];
    if (!key || event.actor.type === 'citizen' || after.kind === 'handoff') return [];
    const lang = after.language;
    const agency = findAgency(directory, after.agencyId)?.name[lang] ?? after.agencyId;
    const text = texts.t(lang, key, {
      id: after.trackingId,
      agency,
      note: event.public ? (event.note ?? '') : '',
    });
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

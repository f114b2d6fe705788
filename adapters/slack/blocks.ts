import type { types } from '@slack/bolt';
import type { WorkingCalendar } from '../../src/cases/calendar';
import { nextDeadline, slaState } from '../../src/cases/deadlines';
import type { Case } from '../../src/cases/types';
import type { StaffCaseView, StaffEventView } from '../../src/staff/view';
import type { Desk } from './desk';
import { escapeMrkdwn, mrkdwn, quoted } from './format';

type Block = types.KnownBlock;
type ActionElement = types.Button | types.StaticSelect;

/** Action ids of the case message; the case's tracking id is in the actions block id. */
export const ACTIONS = {
  ack: 'suara:ack',
  needInfo: 'suara:need_info',
  resolve: 'suara:resolve',
  transfer: 'suara:transfer',
  reject: 'suara:reject',
  reply: 'suara:reply',
  route: 'suara:route',
} as const;

/** The block id of a case's actions: `suara:case:<trackingId>`. */
export const CASE_BLOCK_PREFIX = 'suara:case:';

const SLA_ICON = {
  on_time: ':large_green_circle:',
  due_soon: ':warning:',
  overdue: ':red_circle:',
};

/** The buttons staff may use on a case in its current state. */
function actionElements(c: StaffCaseView, desk: Desk): ActionElement[] {
  const b = desk.t.button;
  const button = (action_id: string, label: string, style?: 'primary' | 'danger') => ({
    type: 'button' as const,
    action_id,
    text: { type: 'plain_text' as const, text: label },
    value: c.trackingId,
    ...(style ? { style } : {}),
  });
  const s = c.status;
  const open = !['resolved', 'closed', 'rejected'].includes(s);
  const elements: ActionElement[] = [];
  // Acknowledge = start (allowed straight from received: the agency takes it up).
  if (['received', 'verified', 'reopened'].includes(s))
    elements.push(button(ACTIONS.ack, b.ack, 'primary'));
  if (['received', 'verified', 'in_progress', 'reopened'].includes(s))
    elements.push(button(ACTIONS.needInfo, b.needInfo));
  // From received, Resolve acknowledges first (start, then resolve).
  if (['received', 'verified', 'in_progress', 'reopened'].includes(s))
    elements.push(button(ACTIONS.resolve, b.resolve));
  if (open && c.agencyId === desk.directory.triage.id) {
    elements.push({
      type: 'static_select',
      action_id: ACTIONS.route,
      placeholder: { type: 'plain_text', text: b.route },
      // Slack allows 100 options in a select.
      options: desk.directory.agencies.slice(0, 100).map((a) => ({
        text: { type: 'plain_text' as const, text: a.name[desk.lang].slice(0, 75) },
        value: a.id,
      })),
    });
  } else if (open) {
    elements.push(button(ACTIONS.transfer, b.transfer));
  }
  if (open) elements.push(button(ACTIONS.reject, b.reject, 'danger'));
  if (s !== 'closed' && s !== 'rejected') elements.push(button(ACTIONS.reply, b.reply));
  return elements;
}

function reporterLine(c: StaffCaseView, desk: Desk): string {
  const r = c.reporter;
  if (!r)
    return c.identity === 'confidential' ? desk.t.reporter.confidential : desk.t.reporter.anonymous;
  const parts = [r.name ?? desk.t.reporter.unnamed, r.phone, r.email].filter(Boolean).join(' · ');
  return `${escapeMrkdwn(parts, 300)} (${escapeMrkdwn(r.channel, 40)})`;
}

function locationLine(c: StaffCaseView, desk: Desk): string | null {
  const l = c.location;
  if (!l) return null;
  const parts: string[] = [];
  // Quoted line by line: a multi-line location cannot add fields of its own.
  if (l.text) parts.push(quoted(l.text, 1500));
  if (l.lat !== undefined && l.lon !== undefined) {
    const url = `https://www.openstreetmap.org/?mlat=${l.lat}&mlon=${l.lon}#map=18/${l.lat}/${l.lon}`;
    parts.push(`<${url}|:round_pushpin: ${desk.t.map} ${l.lat.toFixed(5)}, ${l.lon.toFixed(5)}>`);
  }
  return parts.length > 0 ? parts.join('\n') : null;
}

/** The fields of a case a list line and the deadline line show (nothing about the reporter). */
type CaseHead = Pick<Case, 'trackingId' | 'kind' | 'category' | 'status' | 'deadlines'>;

function deadlineLine(c: CaseHead, desk: Desk, calendar: WorkingCalendar, now: Date): string {
  const next = nextDeadline(c);
  if (!next) return desk.t.noDeadline;
  const sla = slaState(calendar, next.due, now);
  return `${SLA_ICON[sla]} ${desk.t.deadline[next.kind]}: ${desk.time(next.due)} (${desk.t.sla[sla]})`;
}

/** One-line summary used as the notification text of a case message. */
export function caseSummary(c: CaseHead, desk: Desk): string {
  return `${c.trackingId} · ${desk.t.kind[c.kind]} · ${desk.category(c.category)} · ${desk.t.status[c.status]}`;
}

/**
 * The Block Kit message of a case as staff may see it (the staff view: text masked and reporter
 * left out as the staff rules decide): tracking id, kind, category, priority, status, deadline,
 * location (with a map link), reporter or why it is not shown, the text, and the buttons allowed
 * in its state. `movedTo`: the case left this channel (no buttons, a note where it went).
 * `withActions: false` for read-only views.
 */
export function caseBlocks(
  c: StaffCaseView,
  desk: Desk,
  calendar: WorkingCalendar,
  now: Date,
  options: { withActions?: boolean; movedTo?: string } = {},
): Block[] {
  const t = desk.t;
  const fields = [
    `*${t.field.status}*\n${t.status[c.status]}`,
    `*${t.field.category}*\n${desk.category(c.category)}`,
    `*${t.field.priority}*\n${t.priority[c.priority]}`,
    `*${t.field.agency}*\n${escapeMrkdwn(desk.agencyName(c.agencyId), 200)}`,
    `*${t.field.deadline}*\n${deadlineLine(c, desk, calendar, now)}`,
    `*${t.field.reporter}*\n${reporterLine(c, desk)}`,
  ];
  const blocks: Block[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: `${c.trackingId} · ${t.kind[c.kind]}` },
    },
    { type: 'section', fields: fields.map(mrkdwn) },
    {
      type: 'section',
      text: mrkdwn(quoted(c.text)),
    },
  ];
  const location = locationLine(c, desk);
  if (location)
    blocks.push({
      type: 'section',
      text: mrkdwn(`*${t.field.location}*\n${location}`),
    });
  const context = [t.updated(desk.time(c.updatedAt))];
  if (c.attachments.length > 0)
    context.unshift(`:paperclip: ${t.field.attachments}: ${t.attachments(c.attachments.length)}`);
  if (options.movedTo) context.unshift(t.movedTo(escapeMrkdwn(options.movedTo, 200)));
  blocks.push({
    type: 'context',
    elements: context.map(mrkdwn),
  });
  const elements = options.withActions === false || options.movedTo ? [] : actionElements(c, desk);
  if (elements.length > 0)
    blocks.push({ type: 'actions', block_id: `${CASE_BLOCK_PREFIX}${c.trackingId}`, elements });
  return blocks;
}

/** Who did something, for a thread line: a Slack mention for staff. */
function actorName(e: StaffEventView, desk: Desk): string {
  const a = e.actor;
  if (a.type === 'staff')
    return /^[UW][A-Z0-9]+$/.test(a.id) ? `<@${a.id}>` : escapeMrkdwn(a.name ?? a.id, 80);
  return a.type === 'citizen' ? desk.t.actor.citizen : desk.t.actor.system;
}

/**
 * The thread reply that records one event of a case as staff may see it (the staff view): who,
 * what, when, and its note.
 */
export function eventLine(c: Pick<Case, 'agencyId'>, e: StaffEventView, desk: Desk): string {
  const t = desk.t;
  let what: string;
  if (e.type === 'transfer')
    what = t.event.transfer(
      escapeMrkdwn(desk.agencyName(e.fromAgencyId ?? ''), 200),
      escapeMrkdwn(desk.agencyName(e.toAgencyId ?? c.agencyId), 200),
    );
  else if (e.type === 'note') what = e.public ? t.event.publicNote : t.event.internalNote;
  else what = t.event[e.type];
  if (e.rating !== undefined) what = `${what} (${t.event.rating(e.rating)})`;
  const head =
    e.type === 'created'
      ? `*${what}* · ${desk.time(e.at)}`
      : `${actorName(e, desk)} ${what} · ${desk.time(e.at)}`;
  if (!e.note) return head;
  return `${head}\n${quoted(e.note)}`;
}

/** One line of a case in a list (slash command, digest): id, status, category, deadline. */
export function caseListLine(
  c: CaseHead,
  desk: Desk,
  calendar: WorkingCalendar,
  now: Date,
): string {
  return `• *${c.trackingId}* · ${desk.t.status[c.status]} · ${desk.category(c.category)} · ${deadlineLine(c, desk, calendar, now)}`;
}

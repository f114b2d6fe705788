import type { webApi } from '@slack/bolt';
import type { Case } from '../../src/cases/types';
import type { ChannelContext } from '../../src/channel';
import {
  type DigestNotification,
  readNotification,
  type StaffEventNotification,
  unsupported,
} from '../../src/core/notifications';
import type { OutboxSender, SendResult } from '../../src/outbox/sender';
import { staffCaseView, staffEventView } from '../../src/staff/view';
import { caseBlocks, caseListLine, caseSummary, eventLine } from './blocks';
import type { CaseMessageRef, CaseMessages } from './case-messages';
import type { Desk } from './desk';
import { mrkdwn } from './format';
import { errorFields, sendResultOf, slackErrorCode } from './web';

/** What the staff sender needs. */
export interface StaffSenderDeps {
  ctx: ChannelContext;
  web: webApi.WebClient;
  desk: Desk;
  messages: CaseMessages;
}

/** Cases listed per section of a digest (a section holds 3000 characters). */
const DIGEST_LINES = 15;

/** Messages that are gone or cannot be edited: post a fresh one instead. */
const MESSAGE_GONE = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

/**
 * Delivers `staff` outbox messages to Slack. A case event posts the case message in the channel
 * of the agency that has the case (chat.postMessage, remembered in the adapter's channel store), or updates it
 * (chat.update), and adds a thread reply recording who did what and when. When the case moved
 * to another agency's channel, the old message is marked as transferred (no buttons) and a new
 * one is posted there. A digest posts the day's due-soon and overdue cases.
 * It always renders the case as it is now, so late or retried events never show a stale state.
 * Notifications meant for citizens are undeliverable here.
 *
 * @example
 * const senders = { [STAFF_CHANNEL]: staffSender({ ctx, web, desk, messages }) };
 */
export function staffSender(deps: StaffSenderDeps): OutboxSender {
  return {
    async send(message) {
      const read = readNotification(message);
      if (!read.ok) return { status: 'undeliverable', error: read.error };
      const n = read.notification;
      try {
        switch (n.kind) {
          case 'case_opened':
          case 'case_changed':
          case 'case_transferred':
          case 'citizen_message':
            return await syncCase(deps, n);
          case 'digest':
            return await postDigest(deps, n);
          case 'replies':
          case 'case_status':
          case 'officer_reply':
          case 'resolved_ask':
            return unsupported('the Slack desk', n);
        }
      } catch (err) {
        return sendResultOf(err);
      }
    },
  };
}

async function syncCase(
  d: StaffSenderDeps,
  { trackingId, seq }: StaffEventNotification,
): Promise<SendResult> {
  const { ctx, web, desk } = d;
  const c = await ctx.backend.cases.get(trackingId);
  if (!c) return { status: 'undeliverable', error: `no case ${trackingId}` };
  const channel = desk.channelFor(c.agencyId);
  if (!channel) return { status: 'undeliverable', error: `no Slack channel for ${c.agencyId}` };
  const event = (await ctx.backend.cases.events(c.trackingId)).find((e) => e.seq === seq);
  const now = ctx.clock();
  const calendar = ctx.domain.planner.calendar;
  const view = staffCaseView(c, desk.lang);
  // The case message shows the creation itself; a note on it (who filed it for the citizen and
  // how, an Open311 client's attribute answers and media link) goes to the thread.
  const line =
    event && (event.type !== 'created' || event.note)
      ? eventLine(c, staffEventView(c, event, desk.lang), desk)
      : null;
  const render = (movedTo?: string) => ({
    text: caseSummary(c, desk),
    blocks: caseBlocks(view, desk, calendar, now, movedTo ? { movedTo } : {}),
  });

  let ref: CaseMessageRef | undefined = (await d.messages.get(c.trackingId)) ?? undefined;
  if (ref && ref.channel !== channel) {
    // The case left this channel: say where it went, without buttons, and record who moved it.
    // Best effort: an old channel the bot lost must not keep the case from its new one.
    const old = ref;
    try {
      const marked = await update(web, old, render(desk.agencyName(c.agencyId)));
      if (marked && line)
        await web.chat.postMessage({ channel: old.channel, thread_ts: old.ts, text: line });
    } catch (err) {
      if (sendResultOf(err).status !== 'undeliverable') throw err;
      ctx.logger.warn(
        { ...errorFields(err), channel: old.channel },
        'could not mark a transferred case in Slack',
      );
    }
    ref = undefined;
  }
  if (ref && !(await update(web, ref, render()))) ref = undefined;
  if (!ref) ref = await post(d, c, channel, render());
  if (line) await web.chat.postMessage({ channel: ref.channel, thread_ts: ref.ts, text: line });
  return { status: 'sent' };
}

/** Posts the case message and remembers where it is. */
async function post(
  { web, messages }: StaffSenderDeps,
  c: Case,
  channel: string,
  body: { text: string; blocks: ReturnType<typeof caseBlocks> },
): Promise<CaseMessageRef> {
  const r = await web.chat.postMessage({ channel, ...body, unfurl_links: false });
  if (!r.ts) throw new Error('chat.postMessage answered without a ts');
  const ref = { channel: r.channel ?? channel, ts: r.ts };
  await messages.set(c.trackingId, ref);
  return ref;
}

/** Updates a case message; false when it is gone (deleted) and must be posted again. */
async function update(
  web: webApi.WebClient,
  ref: CaseMessageRef,
  body: { text: string; blocks: ReturnType<typeof caseBlocks> },
): Promise<boolean> {
  try {
    await web.chat.update({ channel: ref.channel, ts: ref.ts, ...body });
    return true;
  } catch (err) {
    const code = slackErrorCode(err);
    if (code && MESSAGE_GONE.has(code)) return false;
    throw err;
  }
}

async function postDigest(
  { ctx, web, desk }: StaffSenderDeps,
  digest: DigestNotification,
): Promise<SendResult> {
  const channel = desk.channelFor(digest.agencyId);
  if (!channel)
    return { status: 'undeliverable', error: `no Slack channel for ${digest.agencyId}` };
  const now = ctx.clock();
  const calendar = ctx.domain.planner.calendar;
  const sections: string[] = [];
  for (const state of ['overdue', 'due_soon'] as const) {
    const lines: string[] = [];
    const items = digest.items.filter((i) => i.state === state);
    for (const item of items.slice(0, DIGEST_LINES)) {
      const c = await ctx.backend.cases.get(item.trackingId);
      if (c) lines.push(caseListLine(c, desk, calendar, now));
    }
    if (items.length > DIGEST_LINES) lines.push(desk.t.command.more(items.length - DIGEST_LINES));
    if (lines.length > 0) {
      const title = state === 'overdue' ? desk.t.digest.overdue : desk.t.digest.dueSoon;
      sections.push(`*${title}*\n${lines.join('\n')}`);
    }
  }
  const title = `${desk.t.digest.title(digest.date)} — ${desk.agencyName(digest.agencyId)}`;
  await web.chat.postMessage({
    channel,
    text: title,
    blocks: [
      { type: 'section', text: mrkdwn(`*${title}*`) },
      ...sections.map((text) => ({
        type: 'section' as const,
        text: mrkdwn(text.slice(0, 2900)),
      })),
    ],
  });
  return { status: 'sent' };
}

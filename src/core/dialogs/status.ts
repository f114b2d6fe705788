import { nextDeadline } from '../../cases/deadlines';
import { extractTrackingIds, normalizeTrackingId } from '../../cases/tracking-id';
import type { Case } from '../../cases/types';
import type { TurnContext } from '../context';

const MAX_LISTED = 5;

function isOwn(ctx: TurnContext, c: Case): boolean {
  return (
    c.reporter.channel === ctx.msg.channel && c.reporter.channelUserId === ctx.msg.channelUserId
  );
}

/** Answers about the tracking ids in the message, or asks for one. */
export async function statusCheck(ctx: TurnContext): Promise<void> {
  const ids = extractTrackingIds(ctx.text);
  const typed = normalizeTrackingId(ctx.text);
  if (typed && !ids.includes(typed)) ids.push(typed);
  if (ids.length === 0) {
    ctx.session.dialog = { kind: 'await_status' };
    ctx.say('status.ask_id', {}, { choices: [ctx.choice('status.mine', 'status:mine')] });
    return;
  }
  delete ctx.session.dialog;
  for (const id of ids.slice(0, MAX_LISTED)) await showCase(ctx, id);
}

async function showCase(ctx: TurnContext, id: string): Promise<void> {
  const c = await ctx.deps.backend.cases.get(id);
  if (!c) {
    ctx.say('status.not_found', { id });
    return;
  }
  const status = ctx.t(`status.${c.status}`);
  // Someone else's report: its status only, never its text, place or reporter.
  if (!isOwn(ctx, c)) {
    ctx.say('status.other_person', { id, status });
    return;
  }
  const events = await ctx.deps.backend.cases.events(id);
  const lastPublic = [...events].reverse().find((e) => e.public && e.note);
  const due = nextDeadline(c);
  ctx.say('status.own', {
    id,
    status,
    agency: ctx.agencyName(c.agencyId),
    note: lastPublic?.note ? ctx.t('status.note', { note: lastPublic.note }) : '',
    deadline: due ? `\n${ctx.t(`deadline.${due.kind}`, { date: ctx.date(due.due) })}` : '',
  });
}

/** "My reports": the citizen's cases on this channel, newest first. */
export async function myReports(ctx: TurnContext): Promise<void> {
  delete ctx.session.dialog;
  const { cases } = await ctx.deps.backend.queries.list(
    { reporter: { channel: ctx.msg.channel, channelUserId: ctx.msg.channelUserId } },
    { limit: MAX_LISTED },
  );
  if (cases.length === 0) {
    ctx.say('status.none_mine');
    return;
  }
  const list = cases
    .map((c) =>
      ctx.t('status.list_item', {
        id: c.trackingId,
        status: ctx.t(`status.${c.status}`),
        date: ctx.date(c.createdAt),
      }),
    )
    .join('\n');
  ctx.say('status.list_mine', { list });
}

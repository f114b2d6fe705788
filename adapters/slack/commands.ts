import type { App, types } from '@slack/bolt';
import { normalizeTrackingId } from '../../src/cases/tracking-id';
import { CASE_STATUSES, type CaseStatus } from '../../src/cases/types';
import {
  DASHBOARD_SCOPE,
  DASHBOARD_SIGN_IN_PATH,
  DashboardAccess,
} from '../../src/staff/dashboard-access';
import { findStaffCase } from '../../src/staff/find';
import type { StaffIdentity } from '../../src/staff/identity';
import { staffQueue } from '../../src/staff/queue';
import { staffStats } from '../../src/staff/stats';
import { caseBlocks, caseListLine } from './blocks';
import { openIntake } from './counter-intake';
import { type InteractionDeps, staffIdentity } from './interaction';
import { commandPayload } from './payloads';
import { errorFields } from './web';

/** Cases `list` shows; the rest are counted. */
const LIST_MAX = 20;

interface Answer {
  text: string;
  blocks?: types.KnownBlock[];
}

/**
 * Registers the slash command (`SLACK_COMMAND`, default `/suara`): `list [status]`,
 * `show ADU-XXXXXX`, `stats` and `dashboard` (a sign-in link), answered ephemerally by the staff rules for the user working
 * the agencies bound to the channel.
 */
export function registerCommand(app: App, deps: InteractionDeps, command: string): void {
  app.command(command, async ({ ack, body }) => {
    const parsed = commandPayload.safeParse(body);
    // `lapor`: the counter-intake modal, opened with the command's trigger (valid 3 s).
    if (parsed.success && /^lapor$/i.test(parsed.data.text.trim())) {
      const { channel_id: channel, user_id: user, trigger_id: trigger } = parsed.data;
      const bound = staffIdentity(deps.desk, channel, { id: user }).agencyIds.length > 0;
      if (!bound) {
        await ack({ response_type: 'ephemeral', text: deps.desk.t.refused.unbound });
        return;
      }
      const opened = trigger ? await openIntake(deps, trigger, channel) : false;
      await ack(
        opened ? undefined : { response_type: 'ephemeral', text: deps.desk.t.refused.failed },
      );
      return;
    }
    let answer: Answer;
    try {
      answer = parsed.success
        ? await answerCommand(
            deps,
            command,
            parsed.data.channel_id,
            parsed.data.user_id,
            parsed.data.text,
          )
        : { text: deps.desk.t.command.help(command) };
    } catch (err) {
      deps.ctx.logger.error({ ...errorFields(err) }, 'Slack command failed');
      answer = { text: deps.desk.t.refused.failed };
    }
    await ack({ response_type: 'ephemeral', ...answer });
  });
}

/** The answer to `<command> <text>` typed in `channel` by `user`. */
export async function answerCommand(
  deps: InteractionDeps,
  command: string,
  channel: string,
  user: string,
  text: string,
): Promise<Answer> {
  const { desk } = deps;
  const identity = staffIdentity(desk, channel, { id: user });
  if (identity.agencyIds.length === 0) return { text: desk.t.refused.unbound };
  const [sub = '', ...rest] = text.trim().split(/\s+/);
  const arg = rest.join(' ');
  switch (sub.toLowerCase()) {
    case 'list':
      return list(deps, identity, arg);
    case 'show':
      return show(deps, identity, command, arg);
    case 'stats':
      return stats(deps, identity);
    case 'dashboard':
      return dashboardLink(deps, identity);
    default:
      return { text: desk.t.command.help(command) };
  }
}

/** The names of the identity's agencies, for headings. */
function names(deps: InteractionDeps, identity: StaffIdentity): string {
  return identity.agencyIds.map((id) => deps.desk.agencyName(id)).join(', ');
}

async function list(deps: InteractionDeps, identity: StaffIdentity, arg: string): Promise<Answer> {
  const t = deps.desk.t.command;
  let status: CaseStatus | undefined;
  if (arg) {
    const wanted = arg.toLowerCase();
    status = CASE_STATUSES.find(
      (s) => s === wanted || deps.desk.t.status[s].toLowerCase() === wanted,
    );
    if (!status) return { text: t.unknownStatus(arg.slice(0, 40)) };
  }
  const queue = await staffQueue(deps.ctx.backend.queries, identity, deps.desk.lang, {
    limit: LIST_MAX,
    ...(status ? { status: [status] } : {}),
  });
  const who = names(deps, identity);
  if (queue.total === 0) return { text: t.listEmpty(who) };
  const now = deps.ctx.clock();
  const calendar = deps.ctx.domain.planner.calendar;
  const lines = queue.cases.map((c) => caseListLine(c, deps.desk, calendar, now));
  if (queue.total > queue.cases.length) lines.push(t.more(queue.total - queue.cases.length));
  return { text: `${t.list(queue.total, who)}\n${lines.join('\n')}` };
}

async function show(
  deps: InteractionDeps,
  identity: StaffIdentity,
  command: string,
  arg: string,
): Promise<Answer> {
  const { desk } = deps;
  const id = normalizeTrackingId(arg);
  if (!id) return { text: desk.t.command.showUsage(command) };
  // Another agency's case is answered like a missing one (the staff rules say so).
  const view = await findStaffCase(deps.ctx.backend.cases, identity, id, desk.lang);
  if (!view) return { text: desk.t.refused.notFound(id) };
  const blocks = caseBlocks(view, desk, deps.ctx.domain.planner.calendar, deps.ctx.clock(), {
    withActions: false,
  });
  return { text: `${view.trackingId} · ${desk.t.status[view.status]}`, blocks };
}

/**
 * A personal sign-in link to the supervisor view (`/dashboard`), for the agencies of this
 * channel; the triage channel's link sees every agency.
 */
async function dashboardLink(deps: InteractionDeps, identity: StaffIdentity): Promise<Answer> {
  const t = deps.desk.t.command;
  const base = deps.ctx.config.publicUrl;
  if (!base) return { text: t.dashboardNoUrl };
  const triage = deps.ctx.domain.directory.triage.id;
  const all = identity.agencyIds.includes(triage);
  const access = new DashboardAccess(
    deps.ctx.backend.channelStore.scope(DASHBOARD_SCOPE),
    deps.ctx.clock,
  );
  const token = await access.issueLink({
    userId: identity.id,
    ...(identity.name ? { name: identity.name } : {}),
    agencyIds: all ? null : [...identity.agencyIds],
  });
  return {
    text: t.dashboard(`${base}${DASHBOARD_SIGN_IN_PATH}?t=${token}`, names(deps, identity)),
  };
}

async function stats(deps: InteractionDeps, identity: StaffIdentity): Promise<Answer> {
  const t = deps.desk.t;
  const { byStatus, sla } = await staffStats(
    deps.ctx.backend.queries,
    identity,
    deps.ctx.domain.planner.calendar,
    deps.ctx.clock(),
  );
  const lines = CASE_STATUSES.flatMap((s) => {
    const n = byStatus[s];
    return n ? [t.command.statsLine(t.status[s], n)] : [];
  });
  return {
    text: [
      t.command.stats(names(deps, identity)),
      ...lines,
      t.command.statsSla(sla.overdue, sla.due_soon),
    ].join('\n'),
  };
}

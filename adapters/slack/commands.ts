import type { App, types } from '@slack/bolt';
import { nextDeadline, slaState } from '../../src/cases/deadlines';
import type { Agency } from '../../src/cases/directory';
import { normalizeTrackingId } from '../../src/cases/tracking-id';
import { CASE_STATUSES, type Case, type CaseStatus } from '../../src/cases/types';
import { caseBlocks, caseListLine } from './blocks';
import type { InteractionDeps } from './interaction';
import { commandPayload } from './payloads';
import { errorFields } from './web';

/** Statuses `list` shows without an argument: the cases still in the agency's hands. */
const OPEN: CaseStatus[] = ['received', 'verified', 'in_progress', 'needs_info', 'reopened'];
const LIST_MAX = 20;

interface Answer {
  text: string;
  blocks?: types.KnownBlock[];
}

/**
 * Registers the slash command (`SLACK_COMMAND`, default `/suara`): `list [status]`,
 * `show ADU-XXXXXX` and `stats`, answered ephemerally for the agencies bound to the channel.
 */
export function registerCommand(app: App, deps: InteractionDeps, command: string): void {
  app.command(command, async ({ ack, body }) => {
    const parsed = commandPayload.safeParse(body);
    let answer: Answer;
    try {
      answer = parsed.success
        ? await answerCommand(deps, command, parsed.data.channel_id, parsed.data.text)
        : { text: deps.desk.t.command.help(command) };
    } catch (err) {
      deps.ctx.logger.error({ ...errorFields(err) }, 'Slack command failed');
      answer = { text: deps.desk.t.refused.failed };
    }
    await ack({ response_type: 'ephemeral', ...answer });
  });
}

/** The answer to `<command> <text>` typed in `channel`. */
export async function answerCommand(
  deps: InteractionDeps,
  command: string,
  channel: string,
  text: string,
): Promise<Answer> {
  const { desk } = deps;
  const agencies = desk.agenciesIn(channel);
  if (agencies.length === 0) return { text: desk.t.refused.unbound };
  const [sub = '', ...rest] = text.trim().split(/\s+/);
  const arg = rest.join(' ');
  switch (sub.toLowerCase()) {
    case 'list':
      return list(deps, agencies, arg);
    case 'show':
      return show(deps, agencies, command, arg);
    case 'stats':
      return stats(deps, agencies);
    default:
      return { text: desk.t.command.help(command) };
  }
}

function names(deps: InteractionDeps, agencies: Agency[]): string {
  return agencies.map((a) => deps.desk.agencyName(a.id)).join(', ');
}

async function casesOf(deps: InteractionDeps, agencies: Agency[], status?: CaseStatus[]) {
  const all: Case[] = [];
  const query = { agencyIds: agencies.map((a) => a.id), ...(status ? { status } : {}) };
  let after: string | null | undefined;
  do {
    const page = await deps.ctx.backend.queries.list(query, after ? { after } : {});
    all.push(...page.cases);
    after = page.next;
  } while (after);
  return all;
}

async function list(deps: InteractionDeps, agencies: Agency[], arg: string): Promise<Answer> {
  const t = deps.desk.t.command;
  let statuses = OPEN;
  if (arg) {
    const wanted = arg.toLowerCase();
    const status = CASE_STATUSES.find(
      (s) => s === wanted || deps.desk.t.status[s].toLowerCase() === wanted,
    );
    if (!status) return { text: t.unknownStatus(arg.slice(0, 40)) };
    statuses = [status];
  }
  const found = await casesOf(deps, agencies, statuses);
  const who = names(deps, agencies);
  if (found.length === 0) return { text: t.listEmpty(who) };
  const now = deps.ctx.clock();
  const calendar = deps.ctx.domain.planner.calendar;
  const lines = found.slice(0, LIST_MAX).map((c) => caseListLine(c, deps.desk, calendar, now));
  if (found.length > LIST_MAX) lines.push(t.more(found.length - LIST_MAX));
  return { text: `${t.list(found.length, who)}\n${lines.join('\n')}` };
}

async function show(
  deps: InteractionDeps,
  agencies: Agency[],
  command: string,
  arg: string,
): Promise<Answer> {
  const { desk } = deps;
  const id = normalizeTrackingId(arg);
  if (!id) return { text: desk.t.command.showUsage(command) };
  const c = await deps.ctx.backend.cases.get(id);
  // Another agency's case is answered like a missing one: nothing about it leaks.
  if (!c || !agencies.some((a) => a.id === c.agencyId))
    return { text: desk.t.refused.notFound(id) };
  const blocks = caseBlocks(c, desk, deps.ctx.domain.planner.calendar, deps.ctx.clock(), {
    withActions: false,
  });
  return { text: `${c.trackingId} · ${desk.t.status[c.status]}`, blocks };
}

async function stats(deps: InteractionDeps, agencies: Agency[]): Promise<Answer> {
  const t = deps.desk.t;
  const all = await casesOf(deps, agencies);
  const now = deps.ctx.clock();
  const calendar = deps.ctx.domain.planner.calendar;
  const counts = new Map<CaseStatus, number>();
  let overdue = 0;
  let dueSoon = 0;
  for (const c of all) {
    counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
    const next = nextDeadline(c);
    if (!next || next.kind === 'auto_close') continue;
    const sla = slaState(calendar, next.due, now);
    if (sla === 'overdue') overdue++;
    else if (sla === 'due_soon') dueSoon++;
  }
  const lines = CASE_STATUSES.filter((s) => counts.has(s)).map((s) =>
    t.command.statsLine(t.status[s], counts.get(s) ?? 0),
  );
  return {
    text: [
      t.command.stats(names(deps, agencies)),
      ...lines,
      t.command.statsSla(overdue, dueSoon),
    ].join('\n'),
  };
}

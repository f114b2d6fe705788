import { createHash } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import type { CaseAction } from '../../src/cases/state-machine';
import type { Actor, Case } from '../../src/cases/types';
import type { ChannelContext } from '../../src/channel';
import { isCodedError } from '../../src/errors';
import type { KeyValueStore } from '../../src/store/channel-store';
import type { Desk } from './desk';
import { errorFields } from './web';

/** What the interactive handlers (buttons, modals, slash command) need. */
export interface InteractionDeps {
  ctx: ChannelContext;
  web: webApi.WebClient;
  desk: Desk;
  /** The Slack adapter's key-value space (request ids handled, case messages). */
  data: KeyValueStore;
}

/** How long a handled Slack request id is remembered (Slack retries within minutes). */
const REQUEST_MEMORY_MS = 30 * 24 * 3600_000;

/**
 * Claims one Slack request for processing. A retried request (`X-Slack-Retry-Num`, the same
 * payload again) has the same id and is not applied twice. Returns false when seen before.
 */
export async function claimRequest(
  deps: Pick<InteractionDeps, 'ctx' | 'data'>,
  id: string | undefined,
  body: unknown,
) {
  const key = id ?? `sha256:${createHash('sha256').update(JSON.stringify(body)).digest('hex')}`;
  const expiresAt = new Date(deps.ctx.clock().getTime() + REQUEST_MEMORY_MS);
  return deps.data.putIfAbsent(`request:${key}`, true, { expiresAt });
}

/** Whether a channel may act on a case: it must be the channel of the case's agency. */
export function mayAct(desk: Desk, c: Case, channel: string): boolean {
  return desk.channelFor(c.agencyId) === channel;
}

/** Tells one user something only they see, in the channel where they acted. */
export async function tellUser(deps: InteractionDeps, channel: string, user: string, text: string) {
  try {
    await deps.web.chat.postEphemeral({ channel, user, text });
  } catch (err) {
    deps.ctx.logger.warn(
      { ...errorFields(err), channel },
      'could not post an ephemeral Slack message',
    );
  }
}

/** The staff's words for a refused or failed case action (unexpected errors are logged). */
export async function failureText(
  deps: InteractionDeps,
  trackingId: string,
  err: unknown,
): Promise<string> {
  const r = deps.desk.t.refused;
  switch (isCodedError(err) ? err.code : '') {
    case 'not_found':
      return r.notFound(trackingId);
    case 'invalid_transition':
    case 'actor_not_allowed': {
      const c = await deps.ctx.backend.cases.get(trackingId);
      return r.invalidTransition(trackingId, c ? deps.desk.t.status[c.status] : '?');
    }
    case 'note_required':
      return r.noteRequired;
    case 'same_agency':
      return r.sameAgency;
    case 'unknown_agency':
      return r.unknownAgency;
    case 'conflict':
      return r.busy;
    default:
      deps.ctx.logger.error({ ...errorFields(err), trackingId }, 'Slack case action failed');
      return r.failed;
  }
}

/**
 * Applies staff actions to a case in order, as the Slack user (the history records the user
 * id). Resolve on a case not yet taken up first acknowledges it (start), since the life cycle
 * resolves only cases being worked on.
 */
export async function applyActions(
  ctx: ChannelContext,
  c: Case,
  action: CaseAction,
  actor: Actor,
): Promise<Case> {
  if (action.type === 'resolve' && c.status === 'received') {
    await ctx.cases.act(c.trackingId, { type: 'start' }, actor);
  }
  return (await ctx.cases.act(c.trackingId, action, actor)).case;
}

/** The actor of a Slack user. */
export function slackActor(user: { id: string; username?: string | undefined }): Actor {
  return { type: 'staff', id: user.id, ...(user.username ? { name: user.username } : {}) };
}

import { createHash } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import type { Case } from '../../src/cases/types';
import type { ChannelContext } from '../../src/channel';
import { isCodedError } from '../../src/errors';
import { caseToAct } from '../../src/staff/access';
import type { StaffIdentity } from '../../src/staff/identity';
import type { StaffWorkDeps } from '../../src/staff/workflow';
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

/**
 * The staff identity of a Slack user acting in a channel: the user (recorded in case history)
 * working the agencies whose desk is that channel.
 */
export function staffIdentity(
  desk: Desk,
  channel: string,
  user: { id: string; username?: string | undefined },
): StaffIdentity {
  return {
    id: user.id,
    ...(user.username ? { name: user.username } : {}),
    agencyIds: desk.agenciesIn(channel).map((a) => a.id),
  };
}

/** What the staff rules need to apply an action, from the service context. */
export function staffWork(ctx: ChannelContext): StaffWorkDeps {
  return { cases: ctx.cases, repository: ctx.backend.cases };
}

/**
 * The case a staff identity may act on now, or the staff's words for why not (no such case, or
 * it is another agency's), as the staff rules decide.
 */
export async function caseToActOn(
  deps: InteractionDeps,
  identity: StaffIdentity,
  trackingId: string,
): Promise<{ case: Case } | { refusal: string }> {
  try {
    return { case: caseToAct(identity, await deps.ctx.backend.cases.get(trackingId), trackingId) };
  } catch (err) {
    return { refusal: await failureText(deps, trackingId, err) };
  }
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
    case 'forbidden': {
      const agencyId = isCodedError(err) ? err.details?.agencyId : undefined;
      return r.wrongChannel(trackingId, deps.desk.agencyName(String(agencyId ?? '?')));
    }
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

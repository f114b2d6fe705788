import type { App } from '@slack/bolt';
import type { CaseAction } from '../../src/cases/state-machine';
import { actAsStaff } from '../../src/staff/workflow';
import { ACTIONS, CASE_BLOCK_PREFIX } from './blocks';
import {
  caseToActOn,
  claimRequest,
  failureText,
  type InteractionDeps,
  staffIdentity,
  staffWork,
  tellUser,
} from './interaction';
import { INPUT, MODALS, type ModalKind, modalMetadata, modalView } from './modals';
import { type BlockActionPayload, blockActionPayload, viewSubmissionPayload } from './payloads';
import { errorFields } from './web';

/** Buttons that open a modal, and the modal they open. */
const MODAL_OF: Record<string, ModalKind> = {
  [ACTIONS.needInfo]: 'needInfo',
  [ACTIONS.resolve]: 'resolve',
  [ACTIONS.reject]: 'reject',
  [ACTIONS.reply]: 'reply',
  [ACTIONS.transfer]: 'transfer',
};

/**
 * Registers the case message's buttons and modals. Every handler acks at once (Slack wants an
 * answer within 3 s), then applies the action through the staff rules as the Slack user working
 * the agencies of the channel (a case of another agency is refused). Acknowledge = start; Route
 * to agency = transfer; the modals: Need info → request_info, Resolve → resolve (a received case
 * is started first), Reject → reject, Reply to citizen → a public note, Transfer → transfer. A
 * retried request is applied once (its trigger id is recorded).
 */
export function registerActions(app: App, deps: InteractionDeps): void {
  app.action(/^suara:/, async ({ ack, body }) => {
    await ack();
    const parsed = blockActionPayload.safeParse(body);
    if (!parsed.success) {
      deps.ctx.logger.warn({ issues: parsed.error.issues.length }, 'unexpected Slack action');
      return;
    }
    await onBlockAction(deps, parsed.data);
  });

  app.view(/^suara:/, async ({ ack, body }) => {
    const parsed = viewSubmissionPayload.safeParse(body);
    const meta = parsed.success ? parseMetadata(parsed.data.view.private_metadata) : null;
    const kind = parsed.success ? modalKind(parsed.data.view.callback_id) : null;
    if (!parsed.success || !meta || !kind) {
      deps.ctx.logger.warn({}, 'unexpected Slack modal submission');
      await ack();
      return;
    }
    const p = parsed.data;
    const values = p.view.state.values;
    const note = values[INPUT.note.block]?.[INPUT.note.action]?.value?.trim() ?? '';
    const toAgency = values[INPUT.agency.block]?.[INPUT.agency.action]?.selected_option?.value;
    if (kind !== 'transfer' && !note) {
      await ack({
        response_action: 'errors',
        errors: { [INPUT.note.block]: deps.desk.t.refused.noteRequired },
      });
      return;
    }
    if (kind === 'transfer' && !toAgency) {
      await ack({
        response_action: 'errors',
        errors: { [INPUT.agency.block]: deps.desk.t.refused.noteRequired },
      });
      return;
    }
    // The case may have moved while the modal was open: check again before closing it.
    const identity = staffIdentity(deps.desk, meta.channel, p.user);
    const found = await caseToActOn(deps, identity, meta.id);
    const firstBlock = kind === 'transfer' ? INPUT.agency.block : INPUT.note.block;
    if ('refusal' in found) {
      await ack({ response_action: 'errors', errors: { [firstBlock]: found.refusal } });
      return;
    }
    const c = found.case;
    await ack();
    if (!(await claimRequest(deps, p.trigger_id ?? `${p.view.id}:${p.view.hash}`, body))) return;
    const action = modalAction(kind, note, toAgency ?? '');
    try {
      await actAsStaff(staffWork(deps.ctx), identity, c.trackingId, action);
    } catch (err) {
      await tellUser(deps, meta.channel, p.user.id, await failureText(deps, c.trackingId, err));
    }
  });
}

/** The case action a submitted modal asks for. */
function modalAction(kind: ModalKind, note: string, toAgencyId: string): CaseAction {
  switch (kind) {
    case 'needInfo':
      return { type: 'request_info', note };
    case 'resolve':
      return { type: 'resolve', note };
    case 'reject':
      return { type: 'reject', note };
    case 'reply':
      return { type: 'note', note, public: true };
    case 'transfer':
      return { type: 'transfer', toAgencyId, ...(note ? { note } : {}) };
  }
}

function parseMetadata(raw: string) {
  try {
    const r = modalMetadata.safeParse(JSON.parse(raw));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

function modalKind(callbackId: string): ModalKind | null {
  const found = Object.entries(MODALS).find(([, id]) => id === callbackId);
  return found ? (found[0] as ModalKind) : null;
}

async function onBlockAction(deps: InteractionDeps, p: BlockActionPayload): Promise<void> {
  const { ctx, desk } = deps;
  const action = p.actions[0];
  const channel = p.channel?.id ?? p.container?.channel_id;
  if (!action || !channel || !action.block_id.startsWith(CASE_BLOCK_PREFIX)) return;
  const trackingId = action.block_id.slice(CASE_BLOCK_PREFIX.length);
  const user = p.user.id;
  const identity = staffIdentity(desk, channel, p.user);
  const found = await caseToActOn(deps, identity, trackingId);
  if ('refusal' in found) {
    await tellUser(deps, channel, user, found.refusal);
    return;
  }
  const c = found.case;
  const modal = MODAL_OF[action.action_id];
  if (modal) {
    try {
      await deps.web.views.open({
        trigger_id: p.trigger_id,
        view: modalView(modal, c, desk, { id: c.trackingId, channel }),
      });
    } catch (err) {
      ctx.logger.warn({ ...errorFields(err), trackingId }, 'could not open a Slack modal');
      await tellUser(deps, channel, user, desk.t.refused.failed);
    }
    return;
  }
  let caseAction: CaseAction | null = null;
  if (action.action_id === ACTIONS.ack) caseAction = { type: 'start' };
  const toAgency = action.selected_option?.value;
  if (action.action_id === ACTIONS.route && toAgency)
    caseAction = { type: 'transfer', toAgencyId: toAgency };
  if (!caseAction) return;
  if (!(await claimRequest(deps, `${p.trigger_id}:${action.action_ts ?? ''}`, p))) return;
  try {
    await actAsStaff(staffWork(ctx), identity, c.trackingId, caseAction);
  } catch (err) {
    await tellUser(deps, channel, user, await failureText(deps, trackingId, err));
  }
}

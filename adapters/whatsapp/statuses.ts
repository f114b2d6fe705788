import type { ChannelContext } from '../../src/channel';
import { REENGAGEMENT_REQUIRED } from './errors';
import { CHANNEL } from './inbound';
import type { WaStatus } from './schema';
import type { WhatsAppState } from './state';

export interface StatusDeps {
  ctx: Pick<ChannelContext, 'logger' | 'clock'> & {
    backend: { outbox: Pick<ChannelContext['backend']['outbox'], 'markUndeliverable' | 'retry'> };
    dispatcher: Pick<ChannelContext['dispatcher'], 'wake'>;
  };
  state: WhatsAppState;
}

/**
 * A message Suara sent failed after Meta accepted it (a `failed` status callback): the outbox
 * message that sent it (found by its wamid) is marked undeliverable with Meta's error code, e.g.
 * `WhatsApp 131026: Message Undeliverable.`. After 131047 (the 24-hour window had closed) the
 * user's window is marked closed and the message is queued again, to go out as the template (a
 * bot reply, which no template says, then ends undeliverable). A wamid Suara does not know (sent
 * by another tool, or forgotten after 30 days) is only logged.
 *
 * @example
 * await statusFailed(deps, { id: 'wamid.…', status: 'failed', errors: [{ code: 131026 }] });
 */
export async function statusFailed(deps: StatusDeps, status: WaStatus): Promise<void> {
  const { backend, clock, dispatcher, logger } = deps.ctx;
  const first = status.errors?.[0];
  const reason = first?.error_data?.details ?? first?.message ?? first?.title ?? 'failed';
  const error = `WhatsApp ${first?.code ?? '?'}: ${reason}`;
  const sent = await deps.state.sent(status.id);
  if (!sent) {
    logger.warn({ wamid: status.id, error }, 'whatsapp: failed status for an unknown message');
    return;
  }
  const now = clock();
  const marked = await backend.outbox.markUndeliverable(sent.outboxId, error, now);
  logger.warn({ outboxId: sent.outboxId, error, marked }, 'whatsapp: message failed after sending');
  if (first?.code === REENGAGEMENT_REQUIRED && !sent.template) {
    await deps.state.closeWindow(sent.user);
    if (marked) {
      await backend.outbox.retry({ ids: [sent.outboxId] }, now);
      dispatcher.wake(CHANNEL);
    }
  }
}

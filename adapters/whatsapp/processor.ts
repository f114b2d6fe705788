import type { ChannelContext } from '../../src/channel';
import type { UnfinishedWork } from '../../src/core/ledger';
import { adapterReply } from '../../src/core/outbound';
import type { Reply } from '../../src/core/types';
import type { KeyLocks } from '../../src/store/key-lock';
import {
  CHANNEL,
  conversationRefOf,
  type MappedMessage,
  mapMessage,
  senderContact,
  userKeyOf,
} from './inbound';
import { UserQueues } from './queues';
import {
  changeValueSchema,
  contactSchema,
  type KeptMessage,
  keptMessageSchema,
  messageSchema,
  parseWith,
  statusSchema,
  type WaStatus,
  type WebhookPayload,
} from './schema';
import type { WhatsAppState } from './state';
import { statusFailed } from './statuses';
import { adapterLang, type Lang, text } from './texts';

/** Inbound-record channel of kept WhatsApp messages, by wamid (delivery idempotency). */
export const WORK_CHANNEL = 'whatsapp-message';
/** How long accepted work stays with the instance that accepted it before another may take it. */
export const WORK_LEASE_MS = 5 * 60_000;
/** Claims of a kept message (start-ups, takeovers) before it is given up. */
const MAX_ATTEMPTS = 3;
/** Unfinished messages read from the store at a time when resuming. */
const RESUME_BATCH = 500;

export interface ProcessorDeps {
  ctx: Pick<ChannelContext, 'bot' | 'logger' | 'clock'> & {
    backend: Pick<ChannelContext['backend'], 'ledger' | 'outbox'>;
    dispatcher: Pick<ChannelContext['dispatcher'], 'wake'>;
  };
  /** This instance's id: it holds the messages it accepts (see `SUARA_INSTANCE_ID`). */
  instanceId: string;
  state: WhatsAppState;
  workLeaseMs?: number;
  /**
   * Set when several instances share the store: a user's kept messages are then run by whichever
   * instance holds the user's turn lock. Without it (one instance) the order is kept in memory.
   */
  turnLocks?: KeyLocks;
}

/** What one webhook call brought: messages kept to be handled, seen before, ignored; statuses. */
export interface Accepted {
  accepted: number;
  duplicates: number;
  ignored: number;
  failedStatuses: number;
}

/**
 * Takes the messages of WhatsApp webhook calls and runs them. Each message is kept first under
 * its wamid (the ledger's work, in its user's queue), so a message Meta delivers again — it does
 * for about a day until answered 200 — has one effect; then the call is answered and the message
 * is handled in the background, one at a time per user, in the order the user sent them. What
 * the citizen is answered goes through the outbox, queued in the turn's own commit, which also
 * finishes the kept message. A process that dies leaves its kept messages to `resume`.
 *
 * A `failed` status callback marks the notification that sent the message undeliverable, with
 * Meta's error code; one failed with 131047 (the 24-hour window had closed) is queued again, to go
 * out as the template.
 */
export class MessageProcessor {
  private readonly queues: UserQueues;

  constructor(private readonly deps: ProcessorDeps) {
    this.queues = new UserQueues({
      ledger: deps.ctx.backend.ledger,
      logger: deps.ctx.logger,
      channel: WORK_CHANNEL,
      runKept: (work) => this.runKept(work),
      ...(deps.turnLocks ? { turnLocks: deps.turnLocks } : {}),
    });
  }

  /**
   * Keeps the messages of one webhook call (resolves once they are durable: answer 200 then) and
   * schedules them; handles its `failed` statuses. Throws when the store cannot keep them, so the
   * caller answers 5xx and Meta delivers the call again.
   */
  async accept(payload: WebhookPayload): Promise<Accepted> {
    const { logger } = this.deps.ctx;
    const outcome: Accepted = { accepted: 0, duplicates: 0, ignored: 0, failedStatuses: 0 };
    const users = new Set<string>();
    const failed: WaStatus[] = [];
    for (const change of payload.entry.flatMap((e) => e.changes)) {
      const value = parseWith(changeValueSchema, change.value);
      if (change.field !== 'messages' || !value.ok) {
        outcome.ignored++;
        continue;
      }
      const contacts = (value.value.contacts ?? []).flatMap((c) => {
        const r = parseWith(contactSchema, c);
        return r.ok ? [r.value] : [];
      });
      for (const [index, raw] of (value.value.messages ?? []).entries()) {
        const parsed = parseWith(messageSchema, raw);
        if (!parsed.ok) {
          logger.warn({ error: parsed.error }, 'whatsapp: unreadable message ignored');
          outcome.ignored++;
          continue;
        }
        const message = parsed.value;
        const contact = senderContact(message, contacts);
        const user = userKeyOf(message, contact);
        if (!user || message.group_id) {
          outcome.ignored++;
          continue;
        }
        if (await this.keep({ message, ...(contact ? { contact } : {}) }, user, index)) {
          outcome.accepted++;
          users.add(user);
        } else {
          logger.info({ wamid: message.id }, 'whatsapp message already received');
          outcome.duplicates++;
        }
      }
      for (const raw of value.value.statuses ?? []) {
        const status = parseWith(statusSchema, raw);
        if (status.ok && status.value.status === 'failed') failed.push(status.value);
      }
    }
    for (const user of users) this.queues.run(user);
    for (const status of failed) await statusFailed(this.deps, status);
    outcome.failedStatuses = failed.length;
    return outcome;
  }

  /** Keeps a message as work held by this instance, in its user's queue; false when kept before. */
  private keep(kept: KeptMessage, user: string, index: number): Promise<boolean> {
    const { backend, clock } = this.deps.ctx;
    return backend.ledger.recordWork(WORK_CHANNEL, kept.message.id, clock(), kept, {
      owner: this.deps.instanceId,
      leaseMs: this.deps.workLeaseMs ?? WORK_LEASE_MS,
      now: clock(),
      key: user,
      // The user's order: when they sent it (seconds), then its place in the call.
      order: Number(kept.message.timestamp) * 1000 + (index % 1000),
    });
  }

  /** Handles one kept message; its work is finished by the turn's commit, or here. */
  private async runKept(work: UnfinishedWork): Promise<void> {
    const { logger } = this.deps.ctx;
    const parsed = parseWith(keptMessageSchema, work.work);
    if (!parsed.ok || work.attempts > MAX_ATTEMPTS) {
      logger.error(
        {
          wamid: work.messageId,
          attempts: work.attempts,
          error: parsed.ok ? undefined : parsed.error,
        },
        'whatsapp: kept message given up',
      );
      await this.finish(work.messageId);
      return;
    }
    const kept = parsed.value;
    const user = userKeyOf(kept.message, kept.contact) as string;
    const receivedAt = new Date(work.receivedAt);
    // The 24-hour window runs from when the user sent it (Meta's clock), at the latest now.
    const sentMs = Number(kept.message.timestamp) * 1000;
    const sentAt = sentMs > 0 && sentMs < receivedAt.getTime() ? new Date(sentMs) : receivedAt;
    await this.deps.state.seen(user, sentAt).catch((err: unknown) => {
      logger.warn({ err, wamid: work.messageId }, 'whatsapp: service window not recorded');
    });
    const templateCase = await this.templateCase(kept);
    const mapped = mapMessage(kept, { receivedAt, ...(templateCase ? { templateCase } : {}) });
    let finished = false;
    try {
      finished = await this.run(
        mapped,
        work.messageId,
        user,
        conversationRefOf(kept.message, kept.contact),
      );
    } finally {
      if (!finished) await this.finish(work.messageId);
    }
  }

  /** The case of the template message a quick-reply button press answers, if Suara sent it. */
  private async templateCase(kept: KeptMessage): Promise<string | undefined> {
    const context = kept.message.context?.id;
    if (kept.message.type !== 'button' || !context) return undefined;
    const sent = await this.deps.state.sent(context).catch(() => null);
    return sent?.trackingId;
  }

  /** Runs what a message asks; true when a turn's commit finished its kept work. */
  private async run(
    mapped: MappedMessage,
    wamid: string,
    user: string,
    ref: Record<string, string>,
  ): Promise<boolean> {
    const { bot, logger } = this.deps.ctx;
    switch (mapped.kind) {
      case 'ignore':
        logger.debug({ wamid, reason: mapped.reason }, 'whatsapp message ignored');
        return false;
      case 'unsupported': {
        const lang = await this.language(user);
        await this.answer(wamid, 'unsupported', user, ref, lang, {
          text: text('unsupported', lang),
        });
        return false;
      }
      case 'turn':
        try {
          // The core queues its replies with the turn, finishes the kept message in the same
          // commit, and wakes the dispatcher.
          await bot.handle({
            ...mapped.message,
            heldWork: { channel: WORK_CHANNEL, messageId: wamid },
          });
          return true;
        } catch (err) {
          logger.error({ err, wamid }, 'whatsapp turn failed');
          const lang = await this.language(user);
          await this.answer(wamid, 'failed', user, ref, lang, {
            text: text('failed', lang),
          });
          return false;
        }
    }
  }

  /** Queues a line of the adapter's own (keyed by the message, so said once) and wakes the outbox. */
  private async answer(
    wamid: string,
    what: string,
    user: string,
    ref: Record<string, string>,
    lang: Lang,
    reply: Reply,
  ): Promise<void> {
    const { backend, clock, dispatcher } = this.deps.ctx;
    const to = {
      kind: 'conversation',
      channel: CHANNEL,
      conversationId: user,
      userId: user,
      ref,
    } as const;
    const message = adapterReply(to, reply, lang, `${CHANNEL}:${wamid}:${what}`);
    await backend.outbox.enqueue([message], clock());
    dispatcher.wake(CHANNEL);
  }

  /** The conversation's language as the core keeps it (Indonesian when unknown). */
  private async language(user: string): Promise<Lang> {
    const session = await this.deps.ctx.backend.ledger
      .getSession({ channel: CHANNEL, conversationId: user })
      .catch(() => null);
    return adapterLang(session?.data.lang as string | undefined);
  }

  /**
   * Runs the messages kept before the last stop and not finished (the process died in between):
   * the core answers a message it already handled with the replies it stored. Run at start, and
   * periodically with `ownToo: false` to take over those of an instance that died.
   */
  async resume(options: { ownToo?: boolean } = {}): Promise<number> {
    const { backend, clock, logger } = this.deps.ctx;
    let scheduled = 0;
    for (;;) {
      const batch = await backend.ledger.claimUnfinished(WORK_CHANNEL, {
        owner: this.deps.instanceId,
        leaseMs: this.deps.workLeaseMs ?? WORK_LEASE_MS,
        now: clock(),
        limit: RESUME_BATCH,
        ownToo: options.ownToo !== false,
      });
      for (const work of batch) {
        const kept = parseWith(keptMessageSchema, work.work);
        const user = kept.ok ? userKeyOf(kept.value.message, kept.value.contact) : null;
        if (user) this.queues.run(user);
        else await this.finish(work.messageId);
      }
      scheduled += batch.length;
      await this.queues.settled();
      if (batch.length < RESUME_BATCH) break;
    }
    if (scheduled > 0) logger.warn({ count: scheduled }, 'whatsapp: resumed unfinished messages');
    return scheduled;
  }

  /** Waits for every message being handled (at shutdown). */
  drain(): Promise<void> {
    return this.queues.drain();
  }

  private async finish(wamid: string): Promise<void> {
    await this.deps.ctx.backend.ledger.finish(WORK_CHANNEL, wamid).catch((err: unknown) => {
      this.deps.ctx.logger.error({ err, wamid }, 'whatsapp: message not marked done');
    });
  }
}

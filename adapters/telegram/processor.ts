import type { Telegram } from 'telegraf';
import type { ChannelContext } from '../../src/channel';
import type { UnfinishedWork } from '../../src/core/ledger';
import { adapterReply } from '../../src/core/outbound';
import type { Reply } from '../../src/core/types';
import type { KeyLocks } from '../../src/store/key-lock';
import type { CallbackData } from './callback-data';
import { CHANNEL, LANG_CALLBACK_PREFIX, type MappedUpdate, mapUpdate } from './inbound';
import { parseUpdate, type TelegramUpdate } from './schema';
import { LANGUAGE_LABELS, type Lang, localeLang, text } from './texts';

/** Start-ups at which an unfinished update is tried before it is given up. */
const MAX_ATTEMPTS = 3;

/** Inbound-record channel of Telegram update ids (delivery idempotency). */
export const UPDATE_CHANNEL = 'telegram-update';

/**
 * How long accepted work stays with the instance that accepted it before another instance may
 * take it over (its own restart takes it back at once).
 */
export const WORK_LEASE_MS = 5 * 60_000;

export interface ProcessorDeps {
  ctx: Pick<ChannelContext, 'bot' | 'logger' | 'clock'> & {
    backend: Pick<ChannelContext['backend'], 'ledger' | 'outbox'>;
    dispatcher: Pick<ChannelContext['dispatcher'], 'wake'>;
  };
  /** This instance's id: it holds the updates it accepts (see `SUARA_INSTANCE_ID`). */
  instanceId: string;
  client: Telegram;
  callbacks: CallbackData;
  /** The bot's own user id, from its token. */
  botId?: number;
  /** How long an instance holds an update it accepted before others may take it (default 5 min). */
  workLeaseMs?: number;
  /**
   * Set when several instances share the store (any of them may get any update): each chat's
   * updates are then kept first and run by whichever instance holds the chat's turn lock, one at
   * a time and in `update_id` order. Without it (one instance) a chat's order is kept in memory.
   */
  turnLocks?: KeyLocks;
}

/** Kept updates of one chat read at a time by the holder of its turn lock. */
const QUEUE_BATCH = 20;

/** Unfinished updates read from the store at a time when resuming. */
const RESUME_BATCH = 500;

/**
 * How long the webhook waits for a message's turn to finish before it records the update to
 * finish it in the background and answers. Turns take milliseconds; this bounds a slow one, so
 * Telegram never waits long for the answer (it holds back the chat's later updates meanwhile).
 */
export const INLINE_TURN_MS = 1_000;

/**
 * What `accept` did with an update: `handled` (its turn is done and durable), `processing`
 * (recorded, handled in the background), `duplicate` (received before), `ignored`.
 */
export type Accepted = 'handled' | 'processing' | 'duplicate' | 'ignored';

/**
 * Takes Telegram updates (from the webhook or from polling) and runs them: records each
 * `update_id` first, so an update delivered twice has one effect and one set of messages, then
 * processes it in the background, one update at a time per chat (in the order received). What
 * the citizen is answered goes through the outbox (queued with the turn, sent at once, retried
 * when Telegram fails), so an update is done once its answer is queued.
 */
export class UpdateProcessor {
  private readonly chains = new Map<string, Promise<void>>();
  /** Chats whose queue a run is scheduled for on this instance (shared mode). */
  private readonly queued = new Set<string>();
  /** Chats to look at again once another holder's lock would have run out (shared mode). */
  private readonly retries = new Map<string, NodeJS.Timeout>();
  private readonly pending = new Set<Promise<void>>();
  /** Ids of the updates scheduled and not finished by this process. */
  private readonly inFlight = new Set<string>();

  constructor(private readonly deps: ProcessorDeps) {}

  private get workLeaseMs(): number {
    return this.deps.workLeaseMs ?? WORK_LEASE_MS;
  }

  /**
   * Takes an update; resolves once it is durable — handled, or recorded to be handled (answer
   * the webhook then). Throws when the store cannot record it, so Telegram delivers it again.
   *
   * A message to a chat with nothing in progress is handled at once (`handled`): its turn's one
   * commit records it as seen together with everything the turn did, so it needs no record of its
   * own. Anything else — a button press (answered through the Bot API first), /help, a chat with
   * an update still in progress, or a turn slower than {@link INLINE_TURN_MS} or failing — is
   * recorded with its id first and handled in the background, in the chat's order (`processing`).
   */
  async accept(update: TelegramUpdate): Promise<Accepted> {
    const { backend, clock, logger } = this.deps.ctx;
    const mapped = mapUpdate(update, { receivedAt: clock(), botId: this.deps.botId });
    if (mapped.kind === 'ignore' && !mapped.callbackQueryId) {
      logger.debug(
        { updateId: update.update_id, reason: mapped.reason },
        'telegram update ignored',
      );
      return 'ignored';
    }
    if (this.deps.turnLocks) return this.acceptShared(update, mapped);
    if (
      mapped.kind === 'turn' &&
      !mapped.help &&
      !mapped.callbackQueryId &&
      !this.chains.has(mapped.chatId)
    ) {
      // Handled before. (One recorded and still being handled elsewhere — by another instance,
      // or left by a crash for `resume` — may run here too: the core writes a message's result
      // once, so only one of the two turns has an effect.)
      if (await backend.ledger.get(CHANNEL, mapped.message.messageId)) {
        logger.info({ updateId: update.update_id }, 'telegram update already received');
        return 'duplicate';
      }
      // The look-ups yielded: another update of this chat may have started meanwhile.
      if (!this.chains.has(mapped.chatId)) return this.handleNow(update, mapped);
    }
    // The update is kept with its id until its turn is done, so a crash in between does not
    // lose it: `resume` runs it at the next start.
    if (!(await this.keep(update, mapped))) {
      logger.info({ updateId: update.update_id }, 'telegram update already received');
      return 'duplicate';
    }
    this.scheduleUpdate(update, mapped);
    return 'processing';
  }

  /**
   * Several instances: the update is kept in its chat's queue, and the chat's queue is run here
   * if no other instance is running it now (else that instance runs this update too, in order).
   */
  private async acceptShared(update: TelegramUpdate, mapped: MappedUpdate): Promise<Accepted> {
    if (!(await this.keep(update, mapped))) {
      this.deps.ctx.logger.info({ updateId: update.update_id }, 'telegram update already received');
      return 'duplicate';
    }
    this.runQueue(queueKey(update, mapped));
    return 'processing';
  }

  /** Schedules a run of a chat's queue on this instance (one at a time; see {@link runHeld}). */
  private runQueue(key: string): void {
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.schedule(key, async () => {
      this.queued.delete(key);
      await this.runHeld(key);
    });
  }

  /**
   * Takes the chat's turn lock and runs its kept updates in order until none is left. An instance
   * that keeps an update while another holds the lock leaves it to the holder: the holder looks
   * again after releasing the lock, so an update kept just before the release is not stranded.
   * If the lock is held (by a live or a dead instance), looks again once its lease would have
   * run out.
   */
  private async runHeld(key: string): Promise<void> {
    const locks = this.deps.turnLocks;
    if (!locks) return;
    const { ledger } = this.deps.ctx.backend;
    for (let round = 0; round < 100; round++) {
      const lock = await locks.take(`turn:${key}`);
      if (!lock) {
        this.retryLater(key, locks.leaseMs);
        return;
      }
      try {
        // A batch shorter than asked for was the whole queue: the look after the release below
        // finds anything kept since.
        for (let full = true; full; ) {
          const batch = await ledger.queuedWork(UPDATE_CHANNEL, key, QUEUE_BATCH);
          full = batch.length === QUEUE_BATCH;
          for (const work of batch) {
            await this.runKept(work);
            if (!(await lock.renew())) return;
          }
        }
      } finally {
        await lock.release();
      }
      if ((await ledger.queuedWork(UPDATE_CHANNEL, key, 1)).length === 0) return;
    }
  }

  private retryLater(key: string, afterMs: number): void {
    if (this.retries.has(key)) return;
    const timer = setTimeout(() => {
      this.retries.delete(key);
      this.runQueue(key);
    }, afterMs + 100);
    timer.unref();
    this.retries.set(key, timer);
  }

  /** Runs one kept update of a chat's queue (gives up one that cannot be read). */
  private async runKept(work: UnfinishedWork): Promise<void> {
    const parsed = parseUpdate(work.work);
    if (!parsed.ok) {
      this.deps.ctx.logger.error(
        { updateId: work.messageId, error: parsed.error },
        'telegram: unreadable kept update given up',
      );
      await this.deps.ctx.backend.ledger.finish(UPDATE_CHANNEL, work.messageId);
      return;
    }
    const mapped = mapUpdate(parsed.update, {
      receivedAt: new Date(work.receivedAt),
      botId: this.deps.botId,
    });
    this.inFlight.add(work.messageId);
    try {
      await this.processKept(parsed.update, mapped);
    } finally {
      this.inFlight.delete(work.messageId);
    }
  }

  /**
   * Records the update as work this instance holds, in its chat's queue (in `update_id` order);
   * false when it was recorded before.
   */
  private keep(update: TelegramUpdate, mapped: MappedUpdate): Promise<boolean> {
    const { backend, clock } = this.deps.ctx;
    const hold = {
      owner: this.deps.instanceId,
      leaseMs: this.workLeaseMs,
      now: clock(),
      key: queueKey(update, mapped),
      order: update.update_id,
    };
    return backend.ledger.recordWork(
      UPDATE_CHANNEL,
      String(update.update_id),
      clock(),
      update,
      hold,
    );
  }

  /**
   * Runs a message's turn now, first in its chat's order. Resolves `handled` when the turn's
   * commit is durable; if it takes longer than {@link INLINE_TURN_MS}, the update is recorded
   * and the answer is `processing` (the turn goes on and finishes the record). A failed turn
   * wrote nothing: the update is recorded and run again the usual way (with its apology if it
   * fails again).
   */
  private handleNow(
    update: TelegramUpdate,
    mapped: Extract<MappedUpdate, { kind: 'turn' }>,
  ): Promise<Accepted> {
    const { bot, logger } = this.deps.ctx;
    const id = String(update.update_id);
    return new Promise<Accepted>((resolve, reject) => {
      let answered = false;
      const answer = (outcome: Accepted | Error) => {
        if (answered) return;
        answered = true;
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      let kept: Promise<boolean> | undefined;
      const keep = () => {
        kept ??= this.keep(update, mapped);
        return kept;
      };
      const slow = setTimeout(() => {
        keep().then(
          () => answer('processing'),
          (err: unknown) => answer(err instanceof Error ? err : new Error(String(err))),
        );
      }, INLINE_TURN_MS);
      this.inFlight.add(id);
      this.schedule(mapped.chatId, async () => {
        try {
          await bot.handle(mapped.message);
          clearTimeout(slow);
          answer('handled');
          // Recorded meanwhile (a slow turn): done now.
          if (kept && (await kept)) await this.finishKept(id);
        } catch (err) {
          clearTimeout(slow);
          logger.warn({ err, updateId: update.update_id }, 'telegram turn failed; retried');
          try {
            await keep();
          } catch (recordErr) {
            answer(recordErr instanceof Error ? recordErr : new Error(String(recordErr)));
            return;
          }
          answer('processing');
          await this.processKept(update, mapped);
        } finally {
          this.inFlight.delete(id);
        }
      });
    });
  }

  /**
   * Runs the updates accepted before the last stop but not finished (the process died in
   * between). Their turns are safe to run again: the core answers a message it already handled
   * with the replies it stored. An update tried `MAX_ATTEMPTS` times (it may be what kills the
   * process) or unreadable is given up, with an error in the log. Returns how many were
   * scheduled. Run at start, and periodically with `ownToo: false` to take over the updates of
   * another instance that died (once its lease ran out).
   */
  async resume(options: { ownToo?: boolean } = {}): Promise<number> {
    let scheduled = 0;
    // In batches, each finished before the next is read, so any number of updates is drained
    // (a finished update leaves the unfinished list; one given up too).
    for (;;) {
      const batch = await this.resumeBatch(RESUME_BATCH, options.ownToo !== false);
      if (batch.read === 0) break;
      scheduled += batch.scheduled;
      await this.drain();
      if (batch.read < RESUME_BATCH) break;
    }
    if (scheduled > 0) {
      this.deps.ctx.logger.warn({ count: scheduled }, 'telegram: resumed unfinished updates');
    }
    return scheduled;
  }

  private async resumeBatch(
    limit: number,
    ownToo: boolean,
  ): Promise<{ read: number; scheduled: number }> {
    const { backend, logger, clock } = this.deps.ctx;
    // Work other live instances hold stays with them; this instance's own (from before its
    // restart) and work whose holder's lease ran out are taken.
    const unfinished = await backend.ledger.claimUnfinished(UPDATE_CHANNEL, {
      owner: this.deps.instanceId,
      leaseMs: this.workLeaseMs,
      now: clock(),
      limit,
      ownToo,
    });
    let scheduled = 0;
    for (const row of unfinished) {
      // Accepted by the webhook since start-up, before this ran: already scheduled.
      if (this.inFlight.has(row.messageId)) continue;
      const parsed = parseUpdate(row.work);
      if (!parsed.ok || row.attempts > MAX_ATTEMPTS) {
        logger.error(
          {
            updateId: row.messageId,
            attempts: row.attempts,
            error: parsed.ok ? undefined : parsed.error,
          },
          'telegram: unfinished update given up',
        );
        await backend.ledger.finish(UPDATE_CHANNEL, row.messageId);
        continue;
      }
      const mapped = mapUpdate(parsed.update, {
        receivedAt: new Date(row.receivedAt),
        botId: this.deps.botId,
      });
      // Several instances: run through the chat's queue, under its lock, in order.
      if (this.deps.turnLocks) this.runQueue(queueKey(parsed.update, mapped));
      else this.scheduleUpdate(parsed.update, mapped);
      scheduled++;
    }
    return { read: unfinished.length, scheduled };
  }

  /** Waits for every update being processed (at shutdown). */
  async drain(): Promise<void> {
    for (const timer of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
    for (let round = 0; round < 100 && this.pending.size > 0; round++) {
      await Promise.allSettled([...this.pending]);
    }
  }

  /** Runs an update in its chat's order, then marks its kept work finished. */
  private scheduleUpdate(update: TelegramUpdate, mapped: MappedUpdate): void {
    const chat = queueKey(update, mapped);
    const id = String(update.update_id);
    this.inFlight.add(id);
    this.schedule(chat, async () => {
      try {
        await this.processKept(update, mapped);
      } finally {
        this.inFlight.delete(id);
      }
    });
  }

  /** Handles a recorded update and marks its kept work finished. */
  private async processKept(update: TelegramUpdate, mapped: MappedUpdate): Promise<void> {
    let finished = false;
    try {
      finished = await this.run(mapped, update.update_id);
    } finally {
      // A turn finishes its update in its own commit; anything else (no turn, a failed turn
      // already answered or logged) is finished here: only a crash leaves work.
      if (!finished) await this.finishKept(String(update.update_id));
    }
  }

  private async finishKept(id: string): Promise<void> {
    await this.deps.ctx.backend.ledger.finish(UPDATE_CHANNEL, id).catch((err: unknown) => {
      this.deps.ctx.logger.error({ err, updateId: id }, 'telegram: update not marked done');
    });
  }

  private schedule(chat: string, task: () => Promise<void>): void {
    const previous = this.chains.get(chat) ?? Promise.resolve();
    const next = previous.then(task).catch((err: unknown) => {
      this.deps.ctx.logger.error({ err }, 'telegram update failed');
    });
    this.chains.set(chat, next);
    this.pending.add(next);
    void next.finally(() => {
      this.pending.delete(next);
      if (this.chains.get(chat) === next) this.chains.delete(chat);
    });
  }

  /** Handles an update; true when a turn's commit finished its kept work. */
  private async run(mapped: MappedUpdate, updateId: number): Promise<boolean> {
    const { client } = this.deps;
    const { logger } = this.deps.ctx;
    if ('callbackQueryId' in mapped && mapped.callbackQueryId) {
      // Stops the button's spinner; a failure here must not lose the turn.
      await client.answerCbQuery(mapped.callbackQueryId).catch((err: unknown) => {
        logger.warn({ err, updateId }, 'answerCallbackQuery failed');
      });
    }
    switch (mapped.kind) {
      case 'ignore':
        return false;
      case 'group':
        await this.answer(updateId, 'group', mapped.chatId, mapped.lang, {
          text: text('group', mapped.lang),
        });
        return false;
      case 'lang_prompt': {
        const lang = await this.language(mapped.chatId, mapped.lang);
        await this.answer(updateId, 'lang', mapped.chatId, lang, {
          text: text('chooseLanguage', lang),
          choices: (['id', 'en'] as const).map((l) => ({
            label: LANGUAGE_LABELS[l],
            value: `${LANG_CALLBACK_PREFIX}${l}`,
          })),
        });
        return false;
      }
      case 'turn':
        return this.turn(mapped, updateId);
    }
  }

  private async turn(
    mapped: Extract<MappedUpdate, { kind: 'turn' }>,
    updateId: number,
  ): Promise<boolean> {
    const { bot, logger } = this.deps.ctx;
    const message = {
      ...mapped.message,
      heldWork: { channel: UPDATE_CHANNEL, messageId: String(updateId) },
    };
    const fallback = localeLang(message.locale);
    if (mapped.help) {
      // Queued before the turn's replies, so it is shown first.
      const lang = await this.language(mapped.chatId, fallback);
      await this.answer(updateId, 'help', mapped.chatId, lang, { text: text('help', lang) });
    }
    try {
      if (message.action !== undefined) {
        const value = await this.deps.callbacks.resolve(message.action);
        if (value === null) {
          // A button whose long value is forgotten: show the menu rather than guess.
          message.action = 'menu';
          message.text = '';
        } else message.action = value;
      }
      // The core queues its replies in the outbox with the turn, finishes the update in the
      // same commit, and wakes the dispatcher.
      await bot.handle(message);
      return true;
    } catch (err) {
      logger.error({ err, updateId }, 'telegram turn failed');
      const lang = await this.language(mapped.chatId, fallback);
      await this.answer(updateId, 'failed', mapped.chatId, lang, { text: text('failed', lang) });
      return false;
    }
  }

  /**
   * Queues a message of the adapter's own (help, a group notice, the language prompt, a failed
   * turn's apology) in the outbox, keyed by the update, and has it sent at once.
   */
  private async answer(
    updateId: number,
    what: string,
    chatId: string,
    lang: Lang,
    reply: Reply,
  ): Promise<void> {
    const { backend, clock, dispatcher } = this.deps.ctx;
    await backend.outbox.enqueue(
      [
        adapterReply(
          { kind: 'conversation', channel: CHANNEL, conversationId: chatId },
          reply,
          lang,
          `telegram:${updateId}:${what}`,
        ),
      ],
      clock(),
    );
    dispatcher.wake(CHANNEL);
  }

  /**
   * The conversation's language: the one the core keeps for it, else the Telegram app's (also
   * when the store cannot say).
   */
  private async language(chatId: string, fallback: Lang): Promise<Lang> {
    try {
      const session = await this.deps.ctx.backend.ledger.getSession({
        channel: CHANNEL,
        conversationId: chatId,
      });
      const lang = session?.data.lang;
      return lang === 'en' || lang === 'id' ? lang : fallback;
    } catch {
      return fallback;
    }
  }
}

/** The queue an update runs in: its chat's (an update with no chat runs on its own). */
function queueKey(update: TelegramUpdate, mapped: MappedUpdate): string {
  return mapped.kind === 'ignore' ? `cb:${update.update_id}` : mapped.chatId;
}

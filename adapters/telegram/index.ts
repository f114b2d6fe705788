import type { Telegram } from 'telegraf';
import type { Channel, ChannelFactory } from '../../src/channel';
import type { TelegramConfig } from '../../src/config/env';
import { type HeldSingleton, holdSingleton, type PeriodicJob, startPeriodic } from '../../src/jobs';
import { downloadMedia, type MediaSource, MediaUnavailable } from '../../src/media';
import { keyValueLocks } from '../../src/store/key-lock';
import { CallbackData } from './callback-data';
import { createClient, telegrafSignal } from './client';
import { CHANNEL } from './inbound';
import { ALLOWED_UPDATES, Poller } from './polling';
import { UpdateProcessor, WORK_LEASE_MS } from './processor';
import { telegramSender } from './sender';
import { mountWebhook, WEBHOOK_PATH } from './webhook';

export interface TelegramChannelOptions {
  /** Long-poll timeout of getUpdates in seconds (polling mode). Default 30. */
  pollTimeoutSeconds?: number;
  /** Pause after the n-th consecutive polling failure, in ms. Default 1 s doubling to 60 s. */
  pollBackoffMs?: (failures: number) => number;
  /** How long an instance holds an update it accepted before another may take it. Default 5 min. */
  workLeaseMs?: number;
  /** How often to look for updates left by an instance that died. Default 1 min. */
  sweepMs?: number;
  /**
   * Several instances (a shared store): how long a chat's turn lock lasts without renewal, so
   * how long a chat waits when the instance running its updates died. Default 30 s, and at most
   * half the work lease (see {@link turnLockMs}).
   */
  turnLockMs?: number;
}

/**
 * The turn lock's lease: shorter than the work lease, so when an instance dies holding a chat,
 * its lock has run out by the time the others' sweep takes its updates over (each takeover counts
 * an attempt, and an update claimed too often is given up).
 */
function turnLockMs(options: TelegramChannelOptions): number {
  const workLeaseMs = options.workLeaseMs ?? WORK_LEASE_MS;
  return Math.min(options.turnLockMs ?? 30_000, Math.floor(workLeaseMs / 2));
}

/**
 * The Telegram channel for citizens, with options (tests, tuning). Off (null) unless
 * `TELEGRAM_BOT_TOKEN` is set. Webhook mode mounts `POST /telegram/webhook` and, when
 * `TELEGRAM_WEBHOOK_URL` is set, calls setWebhook at start; polling mode long-polls getUpdates.
 * Notifications to citizens go through the outbox sender `telegram`.
 */
export function createTelegramChannel(options: TelegramChannelOptions = {}): ChannelFactory {
  return (ctx): Channel | null => {
    const config = ctx.config.telegram;
    if (!config) return null;
    const { logger } = ctx;
    const client = createClient(config);
    const callbacks = new CallbackData(ctx.backend.channelStore.scope(CHANNEL));
    const botId = Number(config.token.split(':')[0]);
    const processor = new UpdateProcessor({
      ctx,
      instanceId: ctx.config.instanceId,
      client,
      callbacks,
      ...(Number.isSafeInteger(botId) ? { botId } : {}),
      ...(options.workLeaseMs ? { workLeaseMs: options.workLeaseMs } : {}),
      // Several instances: a chat's updates run on whichever holds its lock, in order.
      ...(ctx.backend.shared
        ? {
            turnLocks: keyValueLocks(
              ctx.backend.channelStore.scope(CHANNEL),
              ctx.clock,
              ctx.config.instanceId,
              turnLockMs(options),
            ),
          }
        : {}),
    });
    let polling: HeldSingleton | undefined;
    let resuming: Promise<number> | undefined;
    let sweeping: PeriodicJob | undefined;

    return {
      name: CHANNEL,
      mount(app) {
        if (config.mode !== 'webhook') return;
        if (!config.webhookSecret) {
          logger.error({}, 'TELEGRAM_WEBHOOK_SECRET is not set: every webhook call is refused');
        }
        mountWebhook(app, { secret: config.webhookSecret, processor, logger });
      },
      senders: { [CHANNEL]: telegramSender({ client, callbacks }) },
      media: { [CHANNEL]: telegramMedia(config, client) },
      async start() {
        // In the background: a long backlog must not hold up the start (new updates are taken
        // meanwhile, each chat still in order).
        resuming = processor.resume().catch((err: unknown) => {
          logger.error({ err }, 'telegram: unfinished updates not resumed');
          return 0;
        });
        // An instance that dies leaves the updates it accepted: the others take them over.
        sweeping = startPeriodic(
          'telegram-sweep',
          options.sweepMs ?? 60_000,
          () => processor.resume({ ownToo: false }),
          logger,
        );
        if (config.mode === 'polling') {
          const newPoller = () =>
            new Poller({
              client,
              processor,
              logger,
              ...(options.pollTimeoutSeconds !== undefined
                ? { timeoutSeconds: options.pollTimeoutSeconds }
                : {}),
              ...(options.pollBackoffMs ? { backoffMs: options.pollBackoffMs } : {}),
            });
          // Telegram serves getUpdates to one client: with several instances on one database,
          // the one holding the lease polls, the others take over if it stops.
          let current: Poller | undefined;
          polling = await holdSingleton(
            ctx.backend.channelStore.scope('jobs'),
            {
              name: 'telegram-polling',
              start() {
                current = newPoller();
                current.start();
                logger.info({ apiRoot: config.apiRoot }, 'telegram: long polling');
              },
              async stop() {
                await current?.stop();
                current = undefined;
              },
            },
            { owner: ctx.config.instanceId, clock: ctx.clock, logger },
          );
          return;
        }
        if (!config.webhookUrl) {
          logger.info({ path: WEBHOOK_PATH }, 'telegram: webhook ready (setWebhook not called)');
          return;
        }
        const url = `${config.webhookUrl}${WEBHOOK_PATH}`;
        try {
          await client.setWebhook(url, {
            ...(config.webhookSecret ? { secret_token: config.webhookSecret } : {}),
            allowed_updates: [...ALLOWED_UPDATES],
          });
          logger.info({ url }, 'telegram: webhook set');
        } catch (err) {
          // Telegram may be unreachable for a moment; a webhook set before keeps working.
          logger.error({ err, url }, 'telegram: setWebhook failed');
        }
      },
      async stop() {
        await polling?.stop();
        await sweeping?.stop();
        await resuming;
        await processor.drain();
      },
    };
  };
}

/** The Telegram channel with its defaults, for `adapters/index.ts`. */
export const telegramChannel: ChannelFactory = createTelegramChannel();

/**
 * How staff open a photo or document a citizen sent on Telegram (an attachment's `ref` is its
 * `file_id`): getFile, then the download from `{apiRoot}/file/bot{token}/{file_path}`. The Bot
 * API hands out files up to 20 MB; a larger one is unavailable. Called when an officer opens the
 * file, never before.
 *
 * @example
 * const file = await telegramMedia(config.telegram, client).open(attachment.ref, signal);
 */
export function telegramMedia(
  config: Pick<TelegramConfig, 'apiRoot' | 'token'>,
  client: Telegram,
): MediaSource {
  return {
    async open(fileId, signal) {
      let path: string | undefined;
      try {
        const file = (await client.callApi(
          'getFile',
          { file_id: fileId },
          { signal: telegrafSignal(signal) },
        )) as {
          file_path?: string;
        };
        path = file.file_path;
      } catch (err) {
        // telegraf hides the token in its own errors, not in a parse error's URL: mask it here.
        const message = (err as Error).message.replace(/bot\d+:[\w-]+/g, 'bot<token>');
        throw new MediaUnavailable(`telegram file: ${message}`);
      }
      if (!path) throw new MediaUnavailable('telegram file: no file_path (larger than 20 MB?)');
      const encoded = path.split('/').map(encodeURIComponent).join('/');
      return downloadMedia(
        `${config.apiRoot}/file/bot${config.token}/${encoded}`,
        { signal },
        'telegram file',
      );
    },
  };
}

import type { Channel, ChannelFactory } from '../../src/channel';
import type { WhatsAppConfig } from '../../src/config/env';
import { type PeriodicJob, startPeriodic } from '../../src/jobs';
import { downloadMedia, type MediaSource, MediaUnavailable } from '../../src/media';
import { keyValueLocks } from '../../src/store/key-lock';
import { GraphClient, type MediaInfo } from './client';
import { CHANNEL } from './inbound';
import { MessageProcessor, WORK_LEASE_MS } from './processor';
import { whatsappSender } from './sender';
import { WhatsAppState } from './state';
import { mountWebhook, WEBHOOK_PATH } from './webhook';

export interface WhatsAppChannelOptions {
  /** How long an instance holds a message it accepted before another may take it. Default 5 min. */
  workLeaseMs?: number;
  /** How often to look for messages left by an instance that died. Default 1 min. */
  sweepMs?: number;
  /**
   * Several instances (a shared store): how long a user's turn lock lasts without renewal.
   * Default 30 s, at most half the work lease.
   */
  turnLockMs?: number;
}

/**
 * The WhatsApp channel for citizens, on the WhatsApp Business Cloud API (Meta's Graph API, with
 * plain `fetch`). Off (null) unless `WHATSAPP_ACCESS_TOKEN` is set. Mounts `GET` and `POST
 * /whatsapp/webhook` (Meta's verification, and signed calls with messages and statuses);
 * replies and notifications go through the outbox sender `whatsapp` — free text within the
 * 24-hour customer service window, the configured template outside it.
 *
 * @example
 * // adapters/index.ts
 * import { whatsappChannel } from './whatsapp';
 * export const CHANNELS: ChannelFactory[] = [telegramChannel, whatsappChannel];
 *
 * // tests: shorter leases
 * const channel = createWhatsAppChannel({ workLeaseMs: 2_000, sweepMs: 200 });
 */
export function createWhatsAppChannel(options: WhatsAppChannelOptions = {}): ChannelFactory {
  return (ctx): Channel | null => {
    const config = ctx.config.whatsapp;
    if (!config) return null;
    const { logger } = ctx;
    const kv = ctx.backend.channelStore.scope(CHANNEL);
    const state = new WhatsAppState(kv, ctx.clock);
    const client = new GraphClient(config);
    const workLeaseMs = options.workLeaseMs ?? WORK_LEASE_MS;
    const processor = new MessageProcessor({
      ctx,
      instanceId: ctx.config.instanceId,
      state,
      workLeaseMs,
      // Several instances: a user's messages run on whichever holds the user's lock, in order.
      ...(ctx.backend.shared
        ? {
            turnLocks: keyValueLocks(
              kv,
              ctx.clock,
              ctx.config.instanceId,
              Math.min(options.turnLockMs ?? 30_000, Math.floor(workLeaseMs / 2)),
            ),
          }
        : {}),
    });
    let resuming: Promise<number> | undefined;
    let sweeping: PeriodicJob | undefined;

    return {
      name: CHANNEL,
      mount(app) {
        mountWebhook(app, {
          verifyToken: config.verifyToken,
          appSecret: config.appSecret,
          processor,
          logger,
        });
      },
      media: { [CHANNEL]: whatsappMedia(config) },
      senders: {
        [CHANNEL]: whatsappSender({ client, state, template: config.notifyTemplate, logger }),
      },
      async start() {
        if (!config.notifyTemplate) {
          logger.warn(
            {},
            'whatsapp: WHATSAPP_NOTIFY_TEMPLATE is not set: notifications outside the 24-hour window are undeliverable',
          );
        }
        logger.info({ path: WEBHOOK_PATH, apiRoot: config.apiRoot }, 'whatsapp: webhook ready');
        // In the background: a backlog must not hold up the start.
        resuming = processor.resume().catch((err: unknown) => {
          logger.error({ err }, 'whatsapp: unfinished messages not resumed');
          return 0;
        });
        sweeping = startPeriodic(
          'whatsapp-sweep',
          options.sweepMs ?? 60_000,
          () => processor.resume({ ownToo: false }),
          logger,
        );
      },
      async stop() {
        await sweeping?.stop();
        await resuming;
        await processor.drain();
      },
    };
  };
}

/** The WhatsApp channel with its defaults, for `adapters/index.ts`. */
export const whatsappChannel: ChannelFactory = createWhatsAppChannel();

/**
 * How staff open a photo a citizen sent on WhatsApp (an attachment's `ref` is Meta's media id):
 * the media look-up gives a URL valid for a few minutes, downloaded with the same bearer token.
 * Called when an officer opens the file, never before.
 *
 * @example
 * const file = await whatsappMedia(config.whatsapp).open(attachment.ref, signal);
 */
export function whatsappMedia(
  config: Pick<WhatsAppConfig, 'accessToken' | 'apiRoot' | 'phoneNumberId'>,
): MediaSource {
  const client = new GraphClient(config);
  return {
    async open(mediaId, signal) {
      let info: MediaInfo;
      try {
        info = await client.media(mediaId, signal);
      } catch (err) {
        throw new MediaUnavailable(`whatsapp media ${mediaId}: ${(err as Error).message}`);
      }
      const file = await downloadMedia(
        info.url,
        { headers: { authorization: `Bearer ${config.accessToken}` }, signal },
        `whatsapp media ${mediaId}`,
      );
      return {
        ...file,
        ...(info.mimeType ? { mimeType: info.mimeType } : {}),
        ...(info.fileSize !== undefined && file.size === undefined ? { size: info.fileSize } : {}),
      };
    },
  };
}

import type { Channel, ChannelFactory } from '../../src/channel';
import { adapterReply } from '../../src/core/outbound';
import { type AuthOverrides, type BotConnector, createConnector } from './client';
import { CHANNEL, type MappedActivity, mapActivity } from './inbound';
import type { BotActivity } from './schema';
import { botframeworkSender } from './sender';
import { text } from './texts';
import { MESSAGES_PATH, mountMessages } from './webhook';

export interface BotFrameworkChannelOptions {
  /**
   * Where the SDK fetches Entra signing keys and which token issuers it trusts. Tests point it at
   * a key set of their own on 127.0.0.1; a deployment keeps Microsoft's.
   */
  auth?: AuthOverrides;
}

/**
 * The Azure Bot Service channel (Bot Framework Activity protocol: Microsoft Teams, Azure's Web
 * Chat and the other channels a city enables in Azure), on the Microsoft 365 Agents SDK. Off
 * (null) unless `MICROSOFT_APP_ID` is set, or `BOTFRAMEWORK_ANONYMOUS=true` on a developer's
 * machine. Mounts `POST /api/messages`; replies and notifications go through the outbox sender
 * `botframework`, proactively to the conversation reference kept with the conversation.
 */
export function createBotFrameworkChannel(
  options: BotFrameworkChannelOptions = {},
): ChannelFactory {
  return (ctx): Channel | null => {
    const config = ctx.config.botframework;
    if (!config) return null;
    const { logger } = ctx;
    let connector: BotConnector | undefined;
    // Mounted before init, so routes go through it once the SDK is loaded.
    const ready = (): BotConnector => {
      if (!connector) throw new Error('botframework: the SDK is not loaded yet');
      return connector;
    };
    const port: BotConnector = {
      authorize: (req, res, next) => ready().authorize(req, res, next),
      process: (req, res, logic) => ready().process(req, res, logic),
      send: (to, activities, o) => ready().send(to, activities, o),
    };

    /** Runs what an activity asks; returns once its effect is committed. */
    const handle = async (activity: BotActivity): Promise<void> => {
      const mapped: MappedActivity = mapActivity(activity, { receivedAt: ctx.clock() });
      switch (mapped.kind) {
        case 'ignore':
          logger.debug({ reason: mapped.reason }, 'botframework: activity ignored');
          return;
        case 'turn':
          await ctx.bot.handle(mapped.message);
          return;
        case 'group':
          // One line, once per activity (its key), through the outbox like every message.
          await ctx.backend.outbox.enqueue(
            [
              adapterReply(
                {
                  kind: 'conversation',
                  channel: CHANNEL,
                  conversationId: mapped.conversationId,
                  ref: { ...mapped.ref },
                },
                { text: text('group', mapped.lang) },
                mapped.lang,
                `${CHANNEL}:group:${mapped.key}`,
                mapped.replyTo,
              ),
            ],
            ctx.clock(),
          );
          ctx.dispatcher.wake(CHANNEL);
          return;
      }
    };

    return {
      name: CHANNEL,
      async init() {
        connector = createConnector(config, options.auth);
        if (!config.appId) {
          logger.warn(
            { path: MESSAGES_PATH },
            'botframework: ANONYMOUS mode (no MICROSOFT_APP_ID): requests are not authenticated; for the Emulator or Agents Playground on localhost only',
          );
        }
      },
      mount(app) {
        mountMessages(app, { connector: port, handle, logger });
      },
      senders: { [CHANNEL]: botframeworkSender({ connector: port, clock: ctx.clock }) },
    };
  };
}

/** The Bot Framework channel with its defaults, for `adapters/index.ts`. */
export const botframeworkChannel: ChannelFactory = createBotFrameworkChannel();

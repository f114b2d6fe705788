import type { Activity } from '@microsoft/agents-activity';
import type {
  AuthConfiguration,
  CloudAdapter,
  ConnectorClient,
  Request as SdkRequest,
} from '@microsoft/agents-hosting';
import type { NextFunction, Request, Response } from 'express';
import type { BotFrameworkConfig } from '../../src/config/env';
import type { OutgoingActivity } from './render';
import type { ConversationRef } from './schema';

/** Where the SDK looks for Entra signing keys and which issuers it trusts (tests point it home). */
export interface AuthOverrides {
  /** Entra authority, e.g. `https://login.microsoftonline.com/<tenant>`. */
  authority?: string;
  issuers?: string[];
}

/**
 * What the channel needs of the Microsoft 365 Agents SDK, and nothing else of it: the request
 * checks on the way in and proactive sends on the way out.
 */
export interface BotConnector {
  /** Express middleware: the SDK's JWT check. Anything but a valid token is answered 401. */
  authorize(req: Request, res: Response, next: NextFunction): Promise<void>;
  /**
   * Runs `logic` for the activity in `req.body` once the SDK accepted it (its shape, and its
   * `serviceUrl` against the token's `serviceurl` claim), then answers the request (200, or 400
   * for an activity it refuses). Errors of `logic` are thrown, never answered to the user.
   */
  process(req: Request, res: Response, logic: () => Promise<void>): Promise<void>;
  /**
   * Sends activities to a conversation in order, proactively (`continueConversation`), as a
   * reply to `replyToId` when given. `onSent` runs after each one the Bot Connector accepted;
   * once `signal` aborts, no further one is sent.
   */
  send(
    to: { ref: ConversationRef; conversationId: string; userId?: string },
    activities: OutgoingActivity[],
    options: { replyToId?: string | null; onSent(): void; signal?: AbortSignal },
  ): Promise<void>;
}

/**
 * The SDK's authentication settings for a bot registration: the app id and secret as client id
 * and secret; a multi-tenant bot gets its tokens from the `botframework.com` tenant (the SDK's
 * default), a single-tenant one from its own. Anonymous mode (no app id) has none.
 *
 * @example
 * sdkAuthConfig({ appId: '0000…', appPassword: 's', tenantId: null, appType: 'MultiTenant' })
 * // { clientId: '0000…', clientSecret: 's', authType: 'ClientSecret' }
 */
export function sdkAuthConfig(
  config: BotFrameworkConfig,
  overrides: AuthOverrides = {},
): AuthConfiguration {
  if (!config.appId) return {};
  return {
    clientId: config.appId,
    clientSecret: config.appPassword ?? '',
    authType: 'ClientSecret',
    ...(config.appType === 'SingleTenant' && config.tenantId ? { tenantId: config.tenantId } : {}),
    ...(overrides.authority ? { authority: overrides.authority } : {}),
    ...(overrides.issuers ? { issuers: overrides.issuers } : {}),
  };
}

/**
 * Loads the SDK (only when the channel is on, after the configuration: it reads parts of the
 * environment when it is imported) and builds the connector on it.
 */
export function createConnector(
  config: BotFrameworkConfig,
  overrides: AuthOverrides = {},
): BotConnector {
  // `require`, not `import()`: loaded here, once the configuration is, and only when the channel
  // is on (the SDK and its dependencies take a while to load).
  const hosting =
    require('@microsoft/agents-hosting') as typeof import('@microsoft/agents-hosting');
  const { Activity } =
    require('@microsoft/agents-activity') as typeof import('@microsoft/agents-activity');

  /**
   * Replies never go out inside the request: the core queues them in the outbox, whose sender
   * writes proactively. So the inbound turn needs no connector client (nor its token).
   */
  class InboundOnlyAdapter extends hosting.CloudAdapter {
    protected override resolveIfConnectorClientIsNeeded(_activity: Activity): boolean {
      return false;
    }
  }
  const sdk: CloudAdapter = new InboundOnlyAdapter(
    sdkAuthConfig(config, overrides),
    undefined,
    undefined,
    // The SDK's check that an activity's serviceUrl is the one its token was issued for.
    { validateServiceUrl: true },
  );
  // The SDK's default answers the user "The agent encountered an error or bug": errors go to
  // our caller instead (a failed send is retried by the outbox, a failed turn is answered 500).
  sdk.onTurnError = async (_context, error) => {
    throw error;
  };
  // Anonymous mode sends without a token: an identity without an audience.
  const identity: Parameters<CloudAdapter['continueConversation']>[0] = config.appId ?? {};

  return {
    authorize: (req, res, next) =>
      sdk.authorizeRequest(req as unknown as SdkRequest, res, next as (err?: unknown) => void),
    async process(req, res, logic) {
      await sdk.process(req as unknown as SdkRequest, res, logic);
    },
    async send(to, activities, options) {
      const { ref } = to;
      const conversation = {
        id: to.conversationId,
        ...(ref.tenantId ? { tenantId: ref.tenantId } : {}),
        ...(ref.conversationType ? { conversationType: ref.conversationType } : {}),
      };
      const agent = { id: ref.botId, ...(ref.botName ? { name: ref.botName } : {}) };
      const user = to.userId ? { id: to.userId } : undefined;
      await sdk.continueConversation(
        identity,
        {
          serviceUrl: ref.serviceUrl,
          channelId: ref.channelId,
          conversation,
          agent,
          ...(user ? { user } : {}),
        },
        async (turn) => {
          const client = turn.turnState.get<ConnectorClient>(sdk.ConnectorClientKey);
          for (const outgoing of activities) {
            // Given up on (a timeout): the rest waits for the retry, never goes out twice at once.
            if (options.signal?.aborted) return;
            const activity = Activity.fromObject({
              ...outgoing,
              // Suggested actions are shown to the users listed in `to`: the conversation's user.
              ...(outgoing.suggestedActions
                ? { suggestedActions: { ...outgoing.suggestedActions, to: user ? [user.id] : [] } }
                : {}),
              channelId: ref.channelId,
              serviceUrl: ref.serviceUrl,
              conversation,
              from: agent,
              ...(user ? { recipient: user } : {}),
              ...(ref.tenantId ? { channelData: { tenant: { id: ref.tenantId } } } : {}),
              ...(options.replyToId ? { replyToId: options.replyToId } : {}),
            });
            if (options.replyToId) {
              await client.replyToActivity(to.conversationId, options.replyToId, activity);
            } else {
              await client.sendToConversation(to.conversationId, activity);
            }
            options.onSent();
          }
        },
      );
    },
  };
}

import type { Channel, ChannelFactory } from '../../src/channel';
import { type MediaSource, MediaUnavailable } from '../../src/media';
import { ConversationHistory } from './history';
import { ConversationHub } from './hub';
import { DEFAULT_LIMITS, limitsFromConfig, type WebchatLimits, webchatRates } from './limits';
import { directLineRoutes } from './routes';
import { webchatSender } from './sender';
import { openWebChatStore, type WebChatStore } from './store';
import { DirectLineStream, type ProxyTrust } from './stream';
import { loadTokenKey, TokenSigner } from './tokens';
import { widgetRoutes } from './widget/routes';

/** Settings of the web chat that are not in the environment (tests, embedders). */
export interface WebchatOptions {
  limits: Partial<WebchatLimits>;
  /** Lifetime of conversation tokens (default 30 minutes: `expires_in` 1800). */
  tokenLifetimeMs: number;
  /** Period of WebSocket keep-alives (default 15 s). */
  keepAliveMs: number;
}

/**
 * Builds the web chat channel with options: a self-hosted Direct Line 3.0 endpoint at
 * `/v3/directline` (REST, WebSocket stream, uploads), the widget and demo page, and the outbox
 * sender `webchat` that puts status notifications into the conversation's history.
 *
 * @example
 * await startService(config, { logger, channels: [createWebchatChannel({ keepAliveMs: 5000 })] });
 */
/** The web chat store's methods that write (reported to the service's write health). */
const CHAT_WRITES = ['createConversation', 'append', 'putUpload'];

export function createWebchatChannel(options: Partial<WebchatOptions> = {}): ChannelFactory {
  return (ctx): Channel => {
    const limits: WebchatLimits = {
      ...DEFAULT_LIMITS,
      ...limitsFromConfig(ctx.config.webchat.limits),
      ...options.limits,
    };
    // The signing key is read from the database before the service listens (see `init`).
    let key: Uint8Array | null = null;
    const signingKey = () => {
      if (!key) throw new Error('the web chat token key is not loaded yet');
      return key;
    };
    const tokens = new TokenSigner(signingKey, ctx.clock, options.tokenLifetimeMs);
    const chats = ctx.watchWrites(openWebChatStore(ctx.backend.engine, ctx.clock), CHAT_WRITES);
    const hub = new ConversationHub(ctx.backend.pubsub);
    const history = new ConversationHistory(chats, hub, ctx.clock);
    const stream = new DirectLineStream({
      history,
      hub,
      limiter: ctx.backend.rateLimits,
      tokens,
      allowedOrigins: ctx.config.webchat.allowedOrigins,
      maxSocketsPerConversation: limits.maxSocketsPerConversation,
      maxSocketsPerIp: limits.maxSocketsPerIp,
      keepAliveMs: options.keepAliveMs ?? 15_000,
      logger: ctx.logger,
    });
    const routes = directLineRoutes({
      ctx,
      chats,
      tokens,
      history,
      hub,
      limits,
      rates: webchatRates(ctx.backend.rateLimits, limits),
    });
    return {
      name: 'webchat',
      async init() {
        // The web chat's tables first (on PostgreSQL they are made on first use).
        await chats.ready();
        key = await loadTokenKey(ctx.config, ctx.backend.channelStore.scope('webchat'));
      },
      mount(app) {
        const trust: unknown = app.get('trust proxy fn');
        if (typeof trust === 'function') stream.trustProxies(trust as ProxyTrust);
        app.use('/v3/directline', routes);
        app.use(widgetRoutes());
      },
      upgrade: (req, socket, head) => stream.upgrade(req, socket, head),
      senders: { webchat: webchatSender({ chats, history, clock: ctx.clock }) },
      media: { webchat: webchatMedia(chats) },
      async stop() {
        stream.close();
      },
    };
  };
}

/** The web chat channel with default settings; always on (web chat has no off switch). */
export const webchatChannel: ChannelFactory = createWebchatChannel();

/**
 * How staff open a photo a citizen uploaded in the web chat (an attachment's `ref` is
 * `webchat:<upload id>`): the web chat keeps uploads in its own table.
 */
export function webchatMedia(chats: Pick<WebChatStore, 'getUpload'>): MediaSource {
  return {
    async open(ref) {
      const id = ref.startsWith('webchat:') ? ref.slice('webchat:'.length) : '';
      const upload = id ? await chats.getUpload(id) : null;
      if (!upload) throw new MediaUnavailable(`web chat upload ${JSON.stringify(ref)}: not kept`);
      const bytes = upload.bytes;
      return {
        body: new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(bytes);
            controller.close();
          },
        }),
        mimeType: upload.mimeType,
        size: bytes.byteLength,
      };
    },
  };
}

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';
import type { CaseService } from './cases/service';
import type { Config } from './config/env';
import type { DomainFiles } from './config/files';
import type { Bot } from './core/bot';
import type { Texts } from './core/i18n';
import type { Logger } from './logger';
import type { MediaSource, MediaSources } from './media';
import type { Nlu } from './nlu/nlu';
import type { OutboxDispatcher } from './outbox/dispatcher';
import type { OutboxSender } from './outbox/sender';
import type { Backend } from './store/backend';

/** What a channel adapter gets from the service: the core, the storage ports and the settings. */
export interface ChannelContext {
  config: Config;
  domain: DomainFiles;
  /**
   * The storage ports. An adapter keeps its own data in `backend.channelStore.scope(<its name>)`,
   * or in tables of its own opened on `backend.engine` (wrapped with `watchWrites`).
   */
  backend: Backend;
  cases: CaseService;
  bot: Bot;
  /** The language, intent and category models (e.g. to predict a category for an officer). */
  nlu: Nlu;
  texts: Texts;
  dispatcher: OutboxDispatcher;
  /** The channels' media sources, for staff views that open a citizen's file (see src/media.ts). */
  media: MediaSources;
  logger: Logger;
  clock: () => Date;
  /**
   * Reports an adapter's own storage port to the service's write health (readiness): failures
   * of any method, and the success of the methods named in `writes`.
   */
  watchWrites<T extends object>(port: T, writes: readonly string[]): T;
}

/**
 * One channel adapter (Telegram, web chat, Slack…). It only verifies and translates: requests
 * from its channel become core calls, outbox messages for its channel become API calls.
 *
 * @example
 * const echo: ChannelFactory = (ctx) => ({
 *   name: 'echo',
 *   mount(app) { app.post('/echo', async (req, res) => res.json(await ctx.bot.handle(...))); },
 *   senders: { echo: { async send() { return { status: 'sent' }; } } },
 * });
 */
export interface Channel {
  name: string;
  /** Runs before the server listens: load what requests need from the store (keys…). */
  init?(): Promise<void>;
  /** Adds the channel's routes to the main app (before the JSON 404/500 handlers). */
  mount?(app: Express): void;
  /**
   * Offered each HTTP upgrade request (WebSocket) on the main server, in channel order. Returns
   * true when the channel took the socket; when no channel does, the service answers 404. Sockets
   * still open at shutdown are destroyed before the server closes.
   */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Outbox senders by outbox channel name; registered with the dispatcher before it starts. */
  senders?: Record<string, OutboxSender>;
  /** How to open the files citizens sent on it, by reporter channel name (see src/media.ts). */
  media?: Record<string, MediaSource>;
  /** Runs once the HTTP server listens (e.g. setWebhook, long polling). */
  start?(service: { url: string; port: number }): Promise<void>;
  /** Runs at shutdown, before the dispatcher and the store stop. */
  stop?(): Promise<void>;
}

/** Builds a channel from the context, or returns null when its configuration leaves it off. */
export type ChannelFactory = (ctx: ChannelContext) => Channel | null;

import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';
import { localDate, type WorkingCalendar } from './cases/calendar';
import { CaseService } from './cases/service';
import type { Channel, ChannelContext, ChannelFactory } from './channel';
import type { Config } from './config/env';
import { ConfigFileError, type DomainFiles, loadDomainFiles } from './config/files';
import { type Bot, createBot } from './core/bot';
import type { ReplyOutbox, TrackingUrl } from './core/context';
import { loadTexts, type Texts } from './core/i18n';
import { citizenNotifications, STAFF_CHANNEL, staffNotifications } from './core/notify';
import { apiRoutes } from './http/api';
import { createApp, finishApp } from './http/app';
import { keyValueJobLease, type PeriodicJob, startPeriodic } from './jobs';
import { loadKnowledgeBase } from './knowledge/load';
import type { Logger } from './logger';
import { MediaSources } from './media';
import { createAgencyRouter } from './nlu/agency-router';
import { loadOrTrainNlu, loadRouter } from './nlu/load';
import type { Nlu } from './nlu/nlu';
import type { Router } from './nlu/router';
import { type DispatcherOptions, OutboxDispatcher } from './outbox/dispatcher';
import { backfillStats } from './stats/backfill';
import type { Backend } from './store/backend';
import { openBackend } from './store/open';
import { WriteHealth, watchBackend, watchWrites } from './store/write-health';

/** A running Suara process: HTTP server, storage, case service and outbox dispatcher. */
export interface RunningService {
  port: number;
  url: string;
  backend: Backend;
  cases: CaseService;
  dispatcher: OutboxDispatcher;
  domain: DomainFiles;
  bot: Bot;
  /** Graceful stop: refuse new connections, finish in-flight requests, stop the dispatcher, close the store. */
  stop(): Promise<void>;
}

export interface StartOptions {
  logger: Logger;
  clock?: () => Date;
  /** Host to bind (default all interfaces). */
  host?: string;
  /** How long in-flight requests may take during shutdown before connections are cut. */
  shutdownGraceMs?: number;
  /** Period of background jobs (auto-close, forgetting old inbound ids). Default 5 minutes. */
  jobIntervalMs?: number;
  /** Outbox timing (tests): send time limit, abort grace, polling pause. */
  outbox?: Pick<
    DispatcherOptions,
    'sendTimeoutMs' | 'abortGraceMs' | 'leaseMarginMs' | 'pollIntervalMs'
  >;
  /** A trained NLU model to use instead of loading (or training) SUARA_NLU_MODEL. */
  nlu?: Nlu;
  /** Channel adapters to run (Telegram, web chat, Slack…); each may leave itself off. */
  channels?: ChannelFactory[];
  /** Mounts more routes (tests, extra APIs) before the JSON 404/500 handlers. */
  mount?: (
    app: Express,
    service: { backend: Backend; cases: CaseService; dispatcher: OutboxDispatcher; bot: Bot },
  ) => void;
}

/**
 * Wires the service from a validated configuration and starts listening.
 * Throws ConfigFileError (bad directory/deadline/holiday file) or a store error before listening.
 */
export async function startService(config: Config, options: StartOptions): Promise<RunningService> {
  const { logger } = options;
  const clock = options.clock ?? (() => new Date());
  const domain = loadDomainFiles(config);
  // Every storage call reports storage failures: readiness says when the store cannot write.
  const writeHealth = new WriteHealth(clock);
  const backend = watchBackend(await openBackend(config.database, clock), writeHealth);
  try {
    const dispatcher = new OutboxDispatcher({
      outbox: backend.outbox,
      clock,
      logger,
      giveUpAfterMs: config.outbox.giveUpAfterMs,
      ...options.outbox,
    });
    // Replies to a channel with an outbox sender are queued with the turn and sent from there.
    const { cases, bot, understanding, texts } = buildCore(config, domain, backend, {
      logger,
      clock,
      nlu: options.nlu,
      outbox: dispatcher,
    });
    const app = createApp({ backend, logger, clock, writeHealth, trustProxy: config.trustProxy });
    app.use('/api/v1', apiRoutes({ ...understanding, directory: domain.directory }));
    const context: ChannelContext = {
      ...{ config, domain, backend, cases, bot, texts, dispatcher, logger, clock },
      nlu: understanding.nlu,
      media: new MediaSources(),
      watchWrites: (port, writes) => watchWrites(port, writeHealth, writes),
    };
    const channels = mountChannels(options.channels ?? [], context, app);
    for (const channel of channels) await channel.init?.();
    options.mount?.(app, { backend, cases, dispatcher, bot });
    finishApp(app, logger);
    const server = await listen(app, config.port, options.host);
    const upgraded = acceptUpgrades(server, channels);
    const port = (server.address() as AddressInfo).port;
    const url = `http://localhost:${port}`;
    await startChannels(channels, { url, port }, logger).catch(async (err: unknown) => {
      await closeServer(server, 0);
      throw err;
    });
    dispatcher.start();
    warnIfHolidaysEnd(domain, clock(), logger);
    const jobs = startJobs(
      backend,
      cases,
      domain.planner.calendar,
      clock,
      logger,
      options.jobIntervalMs ?? 5 * 60_000,
      config.instanceId,
    );
    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        logger.info({}, 'shutting down');
        // Upgraded sockets (WebSockets) would hold server.close() open forever.
        for (const socket of upgraded) socket.destroy();
        await closeServer(server, options.shutdownGraceMs ?? 10_000);
        await stopChannels(channels, logger);
        await jobs.stop();
        await dispatcher.stop();
        await backend.close();
        logger.info({}, 'stopped');
      })();
      return stopping;
    };
    return { port, url, backend, cases, dispatcher, domain, bot, stop };
  } catch (err) {
    await backend.close();
    throw err;
  }
}

/** Builds the configured channels, mounts their routes, registers their outbox senders and media. */
function mountChannels(factories: ChannelFactory[], context: ChannelContext, app: Express) {
  const channels: Channel[] = [];
  for (const factory of factories) {
    const channel = factory(context);
    if (!channel) continue;
    channels.push(channel);
    channel.mount?.(app);
    for (const [name, sender] of Object.entries(channel.senders ?? {})) {
      context.dispatcher.register(name, sender);
    }
    for (const [name, source] of Object.entries(channel.media ?? {})) {
      context.media.register(name, source);
    }
  }
  return channels;
}

/** Starts the channels in order; when one fails, stops those started and rethrows. */
async function startChannels(
  channels: Channel[],
  service: { url: string; port: number },
  logger: Logger,
): Promise<void> {
  const started: Channel[] = [];
  try {
    for (const channel of channels) {
      await channel.start?.(service);
      started.push(channel);
      logger.info({ channel: channel.name }, 'channel started');
    }
  } catch (err) {
    for (const channel of started.reverse()) await channel.stop?.().catch(() => {});
    throw err;
  }
}

/** Stops the channels in reverse order; a failure is logged and the others still stop. */
async function stopChannels(channels: Channel[], logger: Logger): Promise<void> {
  for (const channel of [...channels].reverse()) {
    await channel.stop?.().catch((err: unknown) => {
      logger.error({ err, channel: channel.name }, 'channel stop failed');
    });
  }
}

/**
 * The service's periodic upkeep: auto-close, forgetting old inbound ids and expired channel data,
 * and the statistics of cases from before they were kept.
 */
function startJobs(
  backend: Backend,
  cases: CaseService,
  calendar: WorkingCalendar,
  clock: () => Date,
  logger: Logger,
  intervalMs: number,
  owner: string,
): PeriodicJob {
  return startPeriodic(
    'upkeep',
    intervalMs,
    async () => {
      const closed = await cases.autoClose();
      if (closed.length > 0) logger.info({ closed }, 'resolved cases closed automatically');
      // Redelivery protection needs message ids for days, not forever.
      const before = new Date(clock().getTime() - INBOUND_RETENTION_MS);
      const purged = await backend.ledger.purge(before);
      if (purged > 0) logger.info({ purged }, 'old inbound message ids forgotten');
      const expired = await backend.channelStore.purgeExpired(clock());
      if (expired > 0) logger.info({ expired }, 'expired channel data removed');
      const filled = await backfillStats(backend, calendar);
      if (filled > 0) logger.info({ filled }, 'statistics filled in for older cases');
    },
    logger,
    // Several instances on one database: one runs each period.
    { lease: keyValueJobLease(backend.channelStore.scope('jobs'), clock, owner), clock },
  );
}

/**
 * The channel-neutral core over an open store: case service (with citizen notifications), the
 * understanding layer, and the bot. Used by `suara serve` and `suara chat`.
 */
export function buildCore(
  config: Config,
  domain: DomainFiles,
  backend: Backend,
  options: { logger: Logger; clock: () => Date; nlu?: Nlu | undefined; outbox?: ReplyOutbox },
) {
  const understanding = loadUnderstanding(config, domain, options.logger, options.nlu);
  let texts: Texts;
  try {
    texts = loadTexts(join(config.intentsDir, 'i18n'));
  } catch (err) {
    throw new ConfigFileError([
      `SUARA_INTENTS=${JSON.stringify(config.intentsDir)}: ${(err as Error).message}`,
    ]);
  }
  const trackingUrl = config.publicUrl ? trackingPageUrl(config.publicUrl) : undefined;
  const citizen = citizenNotifications(texts, domain.directory, { trackingUrl });
  // Staff hear of every change only when a channel delivers staff notifications: without one,
  // its messages would pile up in the outbox unsent.
  const staff = staffNotifications();
  const toStaff = () => options.outbox?.delivers(STAFF_CHANNEL) === true;
  const cases = new CaseService({
    backend,
    directory: domain.directory,
    planner: domain.planner,
    clock: options.clock,
    randomBytes,
    notify: (change) => [...citizen(change), ...(toStaff() ? staff(change) : [])],
  });
  const bot = createBot({
    backend,
    cases,
    ...understanding,
    directory: domain.directory,
    planner: domain.planner,
    texts,
    clock: options.clock,
    ...(options.outbox ? { outbox: options.outbox } : {}),
    ...(trackingUrl ? { trackingUrl } : {}),
  });
  return { cases, bot, understanding, texts };
}

/**
 * The address of a case's public tracking page (`adapters/tracking`: `GET /lacak/<id>`) under
 * the service's public base URL (`SUARA_PUBLIC_URL`, no trailing slash), in the citizen's
 * language: Indonesian is the page's default, so only English asks for itself.
 *
 * @example
 * trackingPageUrl('https://lapor.kota.go.id')('ADU-7K3M9Q', 'en')
 * // 'https://lapor.kota.go.id/lacak/ADU-7K3M9Q?lang=en'
 */
export function trackingPageUrl(publicUrl: string): TrackingUrl {
  return (trackingId, lang) =>
    `${publicUrl}/lacak/${encodeURIComponent(trackingId)}${lang === 'en' ? '?lang=en' : ''}`;
}

/** The NLU model, the knowledge base and the agency router, from the configured files. */
function loadUnderstanding(config: Config, domain: DomainFiles, logger: Logger, given?: Nlu) {
  try {
    return understand(config, domain, logger, given);
  } catch (err) {
    if (err instanceof ConfigFileError) throw err;
    throw new ConfigFileError([
      `SUARA_INTENTS=${JSON.stringify(config.intentsDir)}: ${(err as Error).message}`,
    ]);
  }
}

function understand(config: Config, domain: DomainFiles, logger: Logger, given?: Nlu) {
  let nlu = given;
  if (!nlu) {
    const started = performance.now();
    const loaded = loadOrTrainNlu(config.intentsDir, config.nluModelFile);
    nlu = loaded.nlu;
    logger.info(
      {
        model: config.nluModelFile,
        trained: loaded.trained,
        ms: Math.round(performance.now() - started),
      },
      loaded.trained ? 'NLU model trained from intents/ and saved' : 'NLU model loaded',
    );
  }
  const knowledge = loadKnowledgeBase(config.intentsDir, nlu.resources.slang);
  let model: Router | null = null;
  if (config.routerModelFile) {
    model = loadRouter(config.routerModelFile);
  }
  // Without a history router, the category model's own threshold decides what goes to triage.
  const agencyRouter = createAgencyRouter(domain.directory, {
    model,
    minConfidence: model ? ROUTE_MIN_CONFIDENCE : nlu.categoryThreshold,
  });
  if (agencyRouter.unmappedLabels.length > 0) {
    logger.warn(
      { labels: agencyRouter.unmappedLabels },
      'router labels that match no agency id or name in SUARA_AGENCIES go to triage',
    );
  }
  return { nlu, knowledge, agencyRouter };
}

/** How long inbound message ids (and the replies kept for redelivery) are remembered. */
export const INBOUND_RETENTION_MS = 30 * 24 * 3600_000;

/** Below this routing confidence a complaint goes to the triage desk. */
const ROUTE_MIN_CONFIDENCE = 0.35;

/** Deadlines silently lose their holidays when the holiday file ends: say so at start-up. */
function warnIfHolidaysEnd(domain: DomainFiles, now: Date, logger: Logger): void {
  const year = Number(localDate(now, domain.planner.calendar.timeZone).slice(0, 4));
  const covered = new Set([...domain.planner.calendar.holidays].map((d) => Number(d.slice(0, 4))));
  const missing = [year, year + 1].filter((y) => !covered.has(y));
  if (missing.length > 0) {
    logger.warn(
      { missingYears: missing },
      'the holiday file has no holidays for these years: add them (SUARA_HOLIDAYS)',
    );
  }
}

function listen(app: Express, port: number, host?: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => (err ? reject(err) : resolve(server));
    const server = host ? app.listen(port, host, done) : app.listen(port, done);
    server.once('error', reject);
  });
}

/** Hands HTTP upgrades to the channels (404 when none takes one); returns the sockets open. */
function acceptUpgrades(server: Server, channels: Channel[]): Set<Duplex> {
  const open = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    socket.on('error', () => socket.destroy());
    if (!channels.some((channel) => channel.upgrade?.(req, socket, head) === true)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }
  });
  return open;
}

function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    // Keep-alive connections with no request in flight would hold close() open.
    server.closeIdleConnections();
  });
}

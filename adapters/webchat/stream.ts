import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../../src/logger';
import { addressKey, type RateLimitStore } from '../../src/store/rate-limit';
import type { ConversationHistory } from './history';
import { PAGE_SIZE, parseWatermark } from './history';
import type { ConversationHub, ConversationListener } from './hub';
import { originAllowed } from './origins';
import type { TokenSigner } from './tokens';

/** Where the stream lives under the Direct Line base path. */
export const STREAM_PATH = /^\/v3\/directline\/conversations\/([A-Za-z0-9_-]{1,64})\/stream$/;

/** Pages sent in one catch-up at most (a longer backlog continues on the next poke). */
const MAX_PAGES_PER_PUMP = 50;
/** A client that does not read: closed rather than buffered without end. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export interface StreamDeps {
  history: ConversationHistory;
  hub: ConversationHub;
  /** Counts open sockets per conversation and per address (shared by the instances sharing it). */
  limiter: RateLimitStore;
  tokens: TokenSigner;
  allowedOrigins: readonly string[];
  maxSocketsPerConversation: number;
  maxSocketsPerIp: number;
  /** Period of keep-alives (an empty message and a ping); a socket silent for two is closed. */
  keepAliveMs: number;
  logger: Logger;
}

/**
 * The Direct Line WebSocket stream: `GET /v3/directline/conversations/{id}/stream?t=<stream
 * token>&watermark=` upgraded on the main server. Sends the activities after the watermark as
 * ActivitySets `{activities, watermark}`, then new ones as they are stored, plus live typing.
 */
export class DirectLineStream {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  private readonly sessions = new Set<StreamSession>();
  private timer: NodeJS.Timeout | undefined;
  /** Which peers are proxies: the express app's own `trust proxy` function, once mounted. */
  private trust: ProxyTrust = TRUST_NO_PROXY;

  constructor(private readonly deps: StreamDeps) {}

  /** Follows the app's `trust proxy` setting (TRUST_PROXY), so sockets see the address REST does. */
  trustProxies(trust: ProxyTrust): void {
    this.trust = trust;
  }

  /** Takes the upgrade when it is for the stream path; answers 403/404/429 itself when refused. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = STREAM_PATH.exec(url.pathname);
    if (!match?.[1]) return false;
    const conversationId = match[1];
    const origin = req.headers.origin;
    if (!originAllowed(origin, req.headers.host, this.deps.allowedOrigins)) {
      return refuse(socket, 403, 'Forbidden');
    }
    const checked = this.deps.tokens.verify(url.searchParams.get('t') ?? '', 'stream');
    if (!checked.ok || checked.claims.conversationId !== conversationId) {
      return refuse(socket, 403, 'Forbidden');
    }
    const watermark = parseWatermark(url.searchParams.get('watermark') ?? undefined);
    if (watermark === null) return refuse(socket, 400, 'Bad Request');
    const ip = addressKey(clientIp(req, this.trust));
    this.accept(req, socket, head, { conversationId, watermark, ip }).catch(() => {
      refuse(socket, 503, 'Service Unavailable');
    });
    return true;
  }

  /** Holds a place under both socket caps (429 when one is full), then opens the WebSocket. */
  private async accept(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    at: { conversationId: string; watermark: number; ip: string },
  ): Promise<void> {
    const { limiter } = this.deps;
    const perConversation = await limiter.acquire(
      'webchat-sockets-per-conversation',
      at.conversationId,
      this.deps.maxSocketsPerConversation,
    );
    if (!perConversation) return void refuse(socket, 429, 'Too Many Requests');
    const perIp = await limiter
      .acquire('webchat-sockets-per-ip', at.ip, this.deps.maxSocketsPerIp)
      .catch((err: unknown) => {
        perConversation();
        throw err;
      });
    if (!perIp) {
      perConversation();
      return void refuse(socket, 429, 'Too Many Requests');
    }
    const release = () => {
      perConversation();
      perIp();
    };
    // The client may have gone while we waited; else the TCP socket closes once, whether the
    // handshake failed or the WebSocket ended.
    if (socket.destroyed) return release();
    socket.once('close', release);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new StreamSession(ws, at.conversationId, at.watermark, this.deps);
      this.sessions.add(session);
      ws.once('close', () => this.sessions.delete(session));
      this.keepAlive();
    });
  }

  private keepAlive(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      for (const s of this.sessions) s.tick();
      if (this.sessions.size === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    }, this.deps.keepAliveMs);
    this.timer.unref();
  }

  /** How many sockets are open. */
  size(): number {
    return this.sessions.size;
  }

  /** Closes every socket (1001 going away) and stops the keep-alives. */
  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const s of this.sessions) s.close();
    this.wss.close();
  }
}

/** Whether the address `hop` steps from this server is a proxy to believe (express's compiled `trust proxy`). */
export type ProxyTrust = (address: string, hop: number) => boolean;

/** Believes no proxy: the client is the peer (`TRUST_PROXY=false`). */
export const TRUST_NO_PROXY: ProxyTrust = () => false;

/**
 * The client's address as express's `req.ip` gives it under the same `trust proxy` function: the
 * peer, and while the address at hand is a trusted proxy, the next one from the right of
 * X-Forwarded-For. Without trusted proxies the header is never read.
 */
export function clientIp(req: IncomingMessage, trust: ProxyTrust = TRUST_NO_PROXY): string {
  const forwarded = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? ''))
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean)
    .reverse();
  const addresses = [req.socket.remoteAddress ?? 'unknown', ...hops];
  for (let i = 0; i < addresses.length - 1; i++) {
    if (!trust(addresses[i] as string, i)) return addresses[i] as string;
  }
  return addresses[addresses.length - 1] as string;
}

function refuse(socket: Duplex, status: number, reason: string): true {
  // Closed for good once the answer is out: a client that keeps its half open holds nothing.
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () =>
    socket.destroy(),
  );
  return true;
}

/** One open socket following one conversation from its own watermark. */
class StreamSession implements ConversationListener {
  private queue: Promise<void> = Promise.resolve();
  private alive = true;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly ws: WebSocket,
    private readonly conversationId: string,
    private sent: number,
    private readonly deps: StreamDeps,
  ) {
    this.unsubscribe = deps.hub.subscribe(conversationId, this);
    ws.on('pong', () => {
      this.alive = true;
    });
    // Clients send empty messages as their own keep-alive; anything they send counts as alive.
    ws.on('message', () => {
      this.alive = true;
    });
    ws.on('error', () => ws.terminate());
    ws.once('close', () => this.unsubscribe());
    this.poke();
  }

  poke(): void {
    this.queue = this.queue.then(
      () => this.pump(),
      () => this.pump(),
    );
    this.queue.catch((err: unknown) => {
      this.deps.logger.warn(
        { err, conversationId: this.conversationId },
        'web chat stream read failed',
      );
    });
  }

  ephemeral(activity: Record<string, unknown>): void {
    // Queued behind any catch-up, so typing never arrives before the message it answers.
    this.queue = this.queue.then(
      () => this.send([activity]),
      () => this.send([activity]),
    );
  }

  /** Keep-alive round: close a socket silent since the last round, else ping and catch up. */
  tick(): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (!this.alive) {
      this.ws.terminate();
      return;
    }
    this.alive = false;
    this.ws.ping();
    this.ws.send('');
    // Another instance may have appended: read the history now and then.
    this.poke();
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(1001, 'server stopping');
    else this.ws.terminate();
  }

  private async pump(): Promise<void> {
    for (let i = 0; i < MAX_PAGES_PER_PUMP; i++) {
      if (this.ws.readyState !== WebSocket.OPEN) return;
      const page = await this.deps.history.page(this.conversationId, this.sent, PAGE_SIZE);
      if (page.activities.length === 0) {
        this.sent = page.watermark;
        return;
      }
      this.sent = page.watermark;
      this.send(page.activities);
      if (page.activities.length < PAGE_SIZE) return;
    }
  }

  private send(activities: Record<string, unknown>[]): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.ws.terminate();
      return;
    }
    const set: Record<string, unknown> = { activities };
    if (this.sent > 0) set.watermark = String(this.sent);
    this.ws.send(JSON.stringify(set));
  }
}

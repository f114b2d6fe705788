import { WebSocket } from 'ws';
import { createWebchatChannel, type WebchatOptions } from '../../../adapters/webchat';
import type { ChannelFactory } from '../../../src/channel';
import type { Config } from '../../../src/config/env';
import { silentLogger } from '../../../src/logger';
import { type RunningService, startService } from '../../../src/service';
import { testConfig } from '../../support/config';
import { testNlu } from '../../support/nlu';

/** The service with the web chat channel, on 127.0.0.1 and a free port. */
export async function startWebchat(
  options: { config?: Partial<Config>; channel?: Partial<WebchatOptions>; clock?: () => Date } = {},
): Promise<RunningService & { api: string; upgrades: { count: number } }> {
  const upgrades = { count: 0 };
  const webchat = createWebchatChannel(options.channel);
  // Counts the WebSocket upgrades the channel took (proves a client really streamed).
  const counted: ChannelFactory = (ctx) => {
    const channel = webchat(ctx);
    const upgrade = channel?.upgrade;
    if (channel && upgrade) {
      channel.upgrade = (req, socket, head) => {
        const taken = upgrade(req, socket, head);
        if (taken) upgrades.count++;
        return taken;
      };
    }
    return channel;
  };
  const service = await startService(testConfig(options.config), {
    logger: silentLogger,
    host: '127.0.0.1',
    nlu: testNlu(),
    channels: [counted],
    ...(options.clock ? { clock: options.clock } : {}),
  });
  active = service;
  return { ...service, api: `http://127.0.0.1:${service.port}/v3/directline`, upgrades };
}

/** The service the helpers below wait for (the last one started). */
let active: RunningService | undefined;

/**
 * Waits until the outbox has nothing left to send: the bot's replies are delivered (appended to
 * the conversation) a moment after the POST that caused them is answered.
 */
export async function delivered(): Promise<void> {
  const service = active;
  if (!service) return;
  const deadline = Date.now() + 5_000;
  for (let quiet = 0; quiet < 2; ) {
    const c = await service.backend.outbox.count();
    quiet = c.pending + c.sending === 0 ? quiet + 1 : 0;
    if (Date.now() > deadline) throw new Error('the outbox did not empty within 5 s');
    await new Promise((r) => setTimeout(r, quiet ? 0 : 5));
  }
}

/** The service in secret mode: tokens need `DIRECTLINE_SECRET`, no origin is allowed without it. */
export function startWebchatWithSecret(secret: string) {
  return startWebchat({
    config: {
      webchat: {
        ...testConfig().webchat,
        directLineSecret: secret,
        allowedOrigins: [],
        tokenSecret: 'test-webchat-token-secret-0123456789abcdef',
      },
    },
  });
}

/** A parsed JSON answer and its status and headers. */
export interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** One HTTP call with an optional bearer token and JSON body. */
export async function call(
  url: string,
  init: {
    method?: string;
    token?: string;
    body?: unknown;
    headers?: Record<string, string>;
  } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    headers['Content-Type'] ??= 'application/json';
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  }
  const res = await fetch(url, { method: init.method ?? 'GET', headers, body });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    headers: res.headers,
  };
}

/** A started conversation: its id, token and stream URL. */
export interface Started {
  conversationId: string;
  token: string;
  streamUrl: string;
}

/** tokens/generate then POST /conversations, as the widget does. */
export async function startConversation(api: string, user?: { id?: string; name?: string }) {
  const g = await call(`${api}/tokens/generate`, {
    method: 'POST',
    body: user ? { user } : undefined,
  });
  expect(g.status).toBe(200);
  const c = await call(`${api}/conversations`, { method: 'POST', token: String(g.body.token) });
  expect(c.status).toBe(201);
  return {
    conversationId: String(c.body.conversationId),
    token: String(c.body.token),
    streamUrl: String(c.body.streamUrl),
  } satisfies Started;
}

/** Posts a text message; returns the answer once the bot's replies are delivered. */
export async function postText(
  api: string,
  s: Started,
  text: string,
  extra: Record<string, unknown> = {},
) {
  const answer = await call(`${api}/conversations/${s.conversationId}/activities`, {
    method: 'POST',
    token: s.token,
    body: { type: 'message', from: { id: 'ignored' }, text, ...extra },
  });
  await delivered();
  return answer;
}

/** Polls once; returns activities and watermark. */
export async function poll(api: string, s: Started, watermark?: string) {
  await delivered();
  const q = watermark === undefined ? '' : `?watermark=${watermark}`;
  const r = await call(`${api}/conversations/${s.conversationId}/activities${q}`, {
    token: s.token,
  });
  expect(r.status).toBe(200);
  return r.body as { activities: Record<string, unknown>[]; watermark: string };
}

/** Bot messages among activities. */
export function botMessages(activities: Record<string, unknown>[]) {
  return activities.filter(
    (a) => a.type === 'message' && (a.from as { id?: string } | undefined)?.id === 'suara',
  );
}

/**
 * A WebSocket client that records every message, and waits for a condition on what it got.
 * Waits are bounded by jest's timeout, not by a clock assertion.
 */
export class StreamClient {
  readonly frames: string[] = [];
  readonly ws: WebSocket;
  private waiters: (() => void)[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.ws = new WebSocket(url, { headers });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('unexpected-response', (_req, res) =>
        reject(new Error(`HTTP ${res.statusCode}`)),
      );
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => this.ws.once('close', (code) => resolve(code)));
    this.ws.on('message', (data) => {
      this.frames.push(String(data));
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Every activity received, in order. */
  activities(): Record<string, unknown>[] {
    return this.frames
      .filter((f) => f !== '')
      .flatMap((f) => (JSON.parse(f) as { activities: Record<string, unknown>[] }).activities);
  }

  /** The last watermark received. */
  watermark(): string | undefined {
    const sets = this.frames
      .filter((f) => f !== '')
      .map((f) => JSON.parse(f) as { watermark?: string });
    return sets.filter((s) => s.watermark !== undefined).at(-1)?.watermark;
  }

  /** Resolves once `check` holds for what was received so far. */
  async until(check: (c: StreamClient) => boolean): Promise<void> {
    while (!check(this)) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  close(): void {
    this.ws.close();
  }
}

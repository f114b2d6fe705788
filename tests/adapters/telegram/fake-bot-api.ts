import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Bot API call the fake received. */
export interface ApiCall {
  method: string;
  token: string;
  body: Record<string, unknown>;
  /** When it arrived (ms since the epoch). */
  at: number;
}

/**
 * A scripted answer: HTTP status and JSON body (or raw text); `HANG` (the request is held open
 * until the client gives up) or `CLOSE_CONNECTION` (the socket is closed without an answer).
 */
export interface ScriptedAnswer {
  status: number;
  body: unknown;
}

/** Holds the request open, never answering, until the client aborts it. */
export const HANG: ScriptedAnswer = { status: -1, body: null };
/** Closes the connection after reading the request, without an answer. */
export const CLOSE_CONNECTION: ScriptedAnswer = { status: -2, body: null };

/** A sendMessage call, typed for assertions. */
export interface SentMessage {
  chat_id: string;
  text: string;
  reply_markup?: {
    inline_keyboard?: { text: string; callback_data?: string }[][];
    keyboard?: { text: string; request_location?: boolean }[][];
    one_time_keyboard?: boolean;
  };
  parse_mode?: string;
}

/** How long an idle getUpdates is held open at most (the fake ignores the client's timeout). */
const HOLD_MS = 300;

/**
 * A fake Telegram Bot API server on 127.0.0.1: records every call (method + JSON body), answers
 * like Telegram, can be told to fail the next calls of a method (429 with retry_after, 500, 403…),
 * serves getUpdates from a queue of updates, and getFile and file downloads
 * (`/file/bot<token>/<path>`) of files put with {@link FakeBotApi.putFile}.
 */
export class FakeBotApi {
  readonly calls: ApiCall[] = [];
  private readonly script = new Map<string, ScriptedAnswer[]>();
  private readonly updates: Record<string, unknown>[] = [];
  private readonly waiting = new Set<() => void>();
  private nextMessageId = 1;
  private readonly openSends = new Map<string, number>();
  /** The most sendMessage requests to one chat that were open at the same time. */
  readonly maxOpenSends = new Map<string, number>();

  /** sendMessage requests to a chat still open (a hung call the client has not given up). */
  openSendsTo(chatId: string | number): number {
    return this.openSends.get(String(chatId)) ?? 0;
  }
  private readonly delays = new Map<string, number>();
  private readonly files = new Map<string, Buffer>();
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const wake of this.waiting) wake();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** A file a citizen sent, for getFile and its download by file id. */
  putFile(fileId: string, bytes: Buffer): void {
    this.files.set(fileId, bytes);
  }

  /** The next `count` calls of `method` get this answer (before the normal ones). */
  failNext(method: string, answer: ScriptedAnswer, count = 1): void {
    const list = this.script.get(method) ?? [];
    for (let i = 0; i < count; i++) list.push(answer);
    this.script.set(method, list);
  }

  /** Every call of `method` is answered after `ms` (a slow Bot API). */
  slow(method: string, ms: number): void {
    this.delays.set(method, ms);
  }

  /** Queues an update for getUpdates. */
  pushUpdate(update: Record<string, unknown>): void {
    this.updates.push(update);
    for (const wake of this.waiting) wake();
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** sendMessage calls, optionally to one chat. */
  sent(chatId?: string | number): SentMessage[] {
    return this.callsOf('sendMessage')
      .map((c) => c.body as unknown as SentMessage)
      .filter((m) => chatId === undefined || String(m.chat_id) === String(chatId));
  }

  /**
   * Waits until `predicate` holds over the recorded calls (checked every 10 ms, at most
   * `timeoutMs`); throws with the calls seen when it never does. A bounded wait, not a timing check.
   */
  async waitFor(predicate: (calls: ApiCall[]) => boolean, timeoutMs = 10_000): Promise<void> {
    for (let waited = 0; waited <= timeoutMs; waited += 10) {
      if (predicate(this.calls)) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const seen = this.calls.map((c) => `${c.method} ${JSON.stringify(c.body).slice(0, 160)}`);
    throw new Error(`fake Bot API: condition not met; calls:\n${seen.join('\n')}`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const download = /^\/file\/bot([^/]+)\/photos\/(.+)\.jpg$/.exec(req.url ?? '');
    if (download) {
      const [, token = '', fileId = ''] = download;
      this.calls.push({ method: 'download', token, body: { file_id: fileId }, at: Date.now() });
      const bytes = this.files.get(decodeURIComponent(fileId));
      if (!bytes) return reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': bytes.length,
      });
      res.end(bytes);
      return;
    }
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? '');
    const raw = await readBody(req);
    if (!match) return reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token = '', method = ''] = match;
    let body: Record<string, unknown> = {};
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      body = { raw };
    }
    this.calls.push({ method, token, body, at: Date.now() });
    if (method === 'sendMessage') {
      const chat = String(body.chat_id);
      const open = (this.openSends.get(chat) ?? 0) + 1;
      this.openSends.set(chat, open);
      this.maxOpenSends.set(chat, Math.max(open, this.maxOpenSends.get(chat) ?? 0));
      let counted = true;
      const done = () => {
        if (counted) this.openSends.set(chat, (this.openSends.get(chat) ?? 1) - 1);
        counted = false;
      };
      res.once('finish', done);
      res.once('close', done);
    }
    const delay = this.delays.get(method);
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    const scripted = this.script.get(method)?.shift();
    if (scripted === HANG) return;
    if (scripted === CLOSE_CONNECTION) {
      req.socket.destroy();
      return;
    }
    if (scripted) return reply(res, scripted.status, scripted.body);
    switch (method) {
      case 'sendMessage':
        return ok(res, {
          message_id: this.nextMessageId++,
          date: 1_700_000_000,
          chat: { id: Number(body.chat_id), type: 'private' },
          text: body.text,
        });
      case 'getUpdates':
        return this.getUpdates(req, res, Number(body.offset ?? 0));
      case 'getFile': {
        const id = String(body.file_id);
        const bytes = this.files.get(id);
        if (!bytes) {
          return reply(res, 400, {
            ok: false,
            error_code: 400,
            description: 'Bad Request: invalid file_id',
          });
        }
        return ok(res, {
          file_id: id,
          file_unique_id: `u-${id}`,
          file_size: bytes.length,
          file_path: `photos/${encodeURIComponent(id)}.jpg`,
        });
      }
      case 'getMe':
        return ok(res, { id: 1, is_bot: true, first_name: 'Suara', username: 'suara_test_bot' });
      default:
        return ok(res, true);
    }
  }

  private async getUpdates(req: IncomingMessage, res: ServerResponse, offset: number) {
    const due = () => this.updates.filter((u) => Number(u.update_id) >= offset);
    if (due().length === 0) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiting.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, HOLD_MS);
        this.waiting.add(wake);
        req.socket.once('close', wake);
      });
    }
    if (res.writableEnded || res.destroyed) return;
    ok(res, due());
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(text);
}

function ok(res: ServerResponse, result: unknown): void {
  reply(res, 200, { ok: true, result });
}

/** Telegram's answer to a flood: 429 with `parameters.retry_after` seconds. */
export function tooManyRequests(retryAfter: number): ScriptedAnswer {
  return {
    status: 429,
    body: {
      ok: false,
      error_code: 429,
      description: `Too Many Requests: retry after ${retryAfter}`,
      parameters: { retry_after: retryAfter },
    },
  };
}

export const BOT_BLOCKED: ScriptedAnswer = {
  status: 403,
  body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
};

export const CHAT_NOT_FOUND: ScriptedAnswer = {
  status: 400,
  body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' },
};

export const SERVER_ERROR: ScriptedAnswer = {
  status: 500,
  body: 'Internal Server Error',
};

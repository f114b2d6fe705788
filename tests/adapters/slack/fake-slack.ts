import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call the fake received: the method and its (form or JSON) arguments. */
export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
}

/**
 * A fake Slack Web API on 127.0.0.1: records every call; answers auth.test, chat.postMessage
 * (with a fresh ts), chat.update, chat.postEphemeral and views.open; answers
 * `channel_not_found` for channels in `missingChannels`, and 429 with Retry-After when told.
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly missingChannels = new Set<string>();
  /** users.info locales by user id (default `id-ID`). */
  readonly locales = new Map<string, string>();
  private rateLimits: { method: string; retryAfter: number }[] = [];
  private server: Server | undefined;
  private nextTs = 1;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        raw += chunk;
      });
      req.on('end', () => {
        const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
        const args = parseArgs(raw, String(req.headers['content-type'] ?? ''));
        this.calls.push({ method, args });
        const limited = this.rateLimits.findIndex((r) => r.method === method);
        if (limited >= 0) {
          const [r] = this.rateLimits.splice(limited, 1);
          res.writeHead(429, { 'Retry-After': String(r?.retryAfter ?? 1) });
          res.end();
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(this.answer(method, args)));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The next call of `method` answers 429 with `Retry-After: retryAfter`. */
  rateLimitNext(method: string, retryAfter: number): void {
    this.rateLimits.push({ method, retryAfter });
  }

  /** The calls of one method, in order. */
  of(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  clear(): void {
    this.calls.length = 0;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const channel = typeof args.channel === 'string' ? args.channel : '';
    if (this.missingChannels.has(channel)) return { ok: false, error: 'channel_not_found' };
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          team: 'Kota',
          user: 'suara',
          team_id: 'T1',
          user_id: 'UBOT',
          bot_id: 'BBOT',
        };
      case 'chat.postMessage':
        return { ok: true, channel, ts: `1700000000.${String(this.nextTs++).padStart(6, '0')}` };
      case 'chat.update':
        return { ok: true, channel, ts: args.ts };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: '1700000000.999999' };
      case 'users.info': {
        const user = String(args.user ?? '');
        return { ok: true, user: { id: user, locale: this.locales.get(user) ?? 'id-ID' } };
      }
      case 'views.open':
        return { ok: true, view: { id: 'V1' } };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

/** Form fields (the Web API client sends blocks/views as JSON strings) or a JSON body. */
function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return JSON.parse(raw || '{}');
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return args;
}

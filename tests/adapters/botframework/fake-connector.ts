import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One activity the fake Bot Connector received. */
export interface PostedActivity {
  conversationId: string;
  /** The activity it replies to (`…/activities/{replyToId}`), if any. */
  replyToId?: string;
  authorization?: string;
  activity: {
    type?: string;
    text?: string;
    replyToId?: string;
    suggestedActions?: { actions: { title: string; value?: { action?: string } }[] };
    attachments?: {
      contentType: string;
      content?: { buttons?: { title: string; value?: { action?: string } }[] };
    }[];
    [key: string]: unknown;
  };
}

/**
 * A fake Bot Connector service on 127.0.0.1: records every
 * `POST /v3/conversations/{id}/activities[/{replyToId}]` and answers it with an id, or with the
 * failures it was told to give (429 with Retry-After, 500, 403…). Anything else is 404.
 */
export class FakeConnector {
  readonly posted: PostedActivity[] = [];
  /** Attempts refused with a failure (not recorded in `posted`). */
  readonly refused: { status: number; conversationId: string }[] = [];
  private failures: { status: number; headers: Record<string, string> }[] = [];
  private server: Server | undefined;
  private nextId = 1;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        raw += chunk;
      });
      req.on('end', () => {
        const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?(?:\?.*)?$/.exec(
          req.url ?? '',
        );
        if (req.method !== 'POST' || !m?.[1]) {
          res.writeHead(404).end();
          return;
        }
        const conversationId = decodeURIComponent(m[1]);
        const failure = this.failures.shift();
        if (failure) {
          this.refused.push({ status: failure.status, conversationId });
          res.writeHead(failure.status, { 'Content-Type': 'application/json', ...failure.headers });
          res.end(JSON.stringify({ error: { code: 'Fake', message: `fake ${failure.status}` } }));
          return;
        }
        this.posted.push({
          conversationId,
          ...(m[2] ? { replyToId: decodeURIComponent(m[2]) } : {}),
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
          activity: JSON.parse(raw || '{}') as PostedActivity['activity'],
        });
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id: `sent-${this.nextId++}` }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The next `times` posts are answered `status` (with `headers`), in order. */
  failNext(status: number, headers: Record<string, string> = {}, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push({ status, headers });
  }

  /** What was posted to one conversation, in order. */
  to(conversationId: string): PostedActivity[] {
    return this.posted.filter((p) => p.conversationId === conversationId);
  }

  /** Waits (bounded) until `check` holds. */
  async waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > until) throw new Error('the fake connector never got what was expected');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** The choice values a posted activity offers (suggested actions or card buttons). */
export function choicesOf(p: PostedActivity | undefined): string[] {
  const a = p?.activity;
  const suggested = a?.suggestedActions?.actions ?? [];
  const buttons = (a?.attachments ?? []).flatMap((att) => att.content?.buttons ?? []);
  return [...suggested, ...buttons].map((b) => b.value?.action ?? '');
}

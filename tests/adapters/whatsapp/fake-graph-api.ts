import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The Graph API version the fake answers under (as the default root pins one). */
export const VERSION = 'v26.0';

/** One call the fake received. */
export interface GraphCall {
  method: string;
  /** The path after the version, e.g. `1234567890/messages`. */
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

/** A message send, typed for assertions. */
export interface SentMessage {
  messaging_product: string;
  recipient_type?: string;
  to?: string;
  recipient?: string;
  type: 'text' | 'interactive' | 'template';
  text?: { body: string; preview_url?: boolean };
  interactive?: {
    type: 'button' | 'list' | 'location_request_message';
    body: { text: string };
    action: {
      name?: string;
      button?: string;
      buttons?: { type: string; reply: { id: string; title: string } }[];
      sections?: { rows: { id: string; title: string; description?: string }[] }[];
    };
  };
  template?: {
    name: string;
    language: { code: string };
    components: { type: string; parameters: { type: string; text: string }[] }[];
  };
  /** The wamid the fake answered with. */
  wamid: string;
}

/** A scripted answer: HTTP status and JSON body. */
export interface ScriptedAnswer {
  status: number;
  body: unknown;
}

/**
 * A Graph API error answer as Meta gives it: `{ error: { message, type, code, error_data,
 * fbtrace_id } }`.
 *
 * @example
 * fake.failNext(graphError(131056, 'Pair rate limit hit'));
 */
export function graphError(code: number, message: string, status = 400): ScriptedAnswer {
  return {
    status,
    body: {
      error: {
        message: `(#${code}) ${message}`,
        type: 'OAuthException',
        code,
        error_data: { messaging_product: 'whatsapp', details: message },
        fbtrace_id: 'AbCdEf123',
      },
    },
  };
}

/**
 * A fake WhatsApp Cloud API (Graph API) on 127.0.0.1: records every call (path, bearer token,
 * JSON body), answers message sends with a fresh wamid, media look-ups of files put with
 * {@link FakeGraphApi.putMedia} with a download URL on itself (served only with the bearer token;
 * other ids are Meta's error 100), and can be told to answer the next sends with an error
 * (131047, 130429, 131056, 131026…).
 */
export class FakeGraphApi {
  readonly calls: GraphCall[] = [];
  private readonly script: { answer: ScriptedAnswer; to: string | undefined }[] = [];
  private server: Server | undefined;
  private nextId = 1;
  private readonly media = new Map<string, { bytes: Buffer; mimeType: string }>();
  /** The bearer token media downloads need (the configured access token). */
  mediaToken = 'EAAG-token';
  /** The API root to configure (with the version), e.g. `http://127.0.0.1:4567/v26.0`. */
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/${VERSION}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** The next `count` message sends (to `to` only, when given) get this answer. */
  failNext(answer: ScriptedAnswer, count = 1, to?: string): void {
    for (let i = 0; i < count; i++) this.script.push({ answer, to });
  }

  /** A file a citizen sent, for media look-ups and downloads by its media id. */
  putMedia(id: string, bytes: Buffer, mimeType = 'image/jpeg'): void {
    this.media.set(id, { bytes, mimeType });
  }

  /** Message sends Meta accepted, optionally to one user (phone or BSUID). */
  sent(user?: string): SentMessage[] {
    return this.calls
      .filter((c) => c.path.endsWith('/messages') && typeof c.body.wamid === 'string')
      .map((c) => c.body as unknown as SentMessage)
      .filter((m) => user === undefined || m.to === user || m.recipient === user);
  }

  /** Every message send (accepted or refused). */
  sends(): GraphCall[] {
    return this.calls.filter((c) => c.path.endsWith('/messages'));
  }

  /** Waits (bounded: 10 s) until `predicate` holds; throws with what was sent when it never does. */
  async waitFor(predicate: () => boolean, what = 'a condition'): Promise<void> {
    for (let waited = 0; waited <= 10_000; waited += 10) {
      if (predicate()) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const seen = this.calls.map(
      (c) => `${c.method} ${c.path} ${JSON.stringify(c.body).slice(0, 200)}`,
    );
    throw new Error(`fake Graph API: ${what} never happened; calls:\n${seen.join('\n')}`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const prefix = `/${VERSION}/`;
    const url = req.url ?? '';
    if (req.method === 'GET' && url.startsWith('/download/')) {
      const file = this.media.get(decodeURIComponent(url.slice('/download/'.length)));
      this.calls.push({
        method: 'GET',
        path: url,
        authorization: req.headers.authorization,
        // A download has no body: what it asked of the encoding is recorded instead.
        body: { acceptEncoding: req.headers['accept-encoding'] ?? null },
      });
      if (!file || req.headers.authorization !== `Bearer ${this.mediaToken}`) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': file.mimeType, 'content-length': file.bytes.length });
      res.end(file.bytes);
      return;
    }
    if (!url.startsWith(prefix))
      return reply(res, 404, { error: { message: 'Unknown path', code: 803 } });
    let body: Record<string, unknown> = {};
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      body = { raw };
    }
    const call: GraphCall = {
      method: req.method ?? '',
      path: url.slice(prefix.length),
      authorization: req.headers.authorization,
      body,
    };
    this.calls.push(call);
    if (req.method === 'POST' && /^\d+\/messages$/.test(call.path)) {
      const input = String(body.to ?? body.recipient ?? '');
      const i = this.script.findIndex((s) => s.to === undefined || s.to === input);
      const scripted = i >= 0 ? this.script.splice(i, 1)[0]?.answer : undefined;
      if (scripted) return reply(res, scripted.status, scripted.body);
      const wamid = `wamid.OUT${this.nextId++}`;
      body.wamid = wamid;
      return reply(res, 200, {
        messaging_product: 'whatsapp',
        contacts: [{ input, ...(body.to ? { wa_id: input } : { user_id: input }) }],
        messages: [{ id: wamid }],
      });
    }
    const file = req.method === 'GET' ? this.media.get(call.path) : undefined;
    if (file) {
      const origin = this.url.slice(0, -prefix.length + 1);
      return reply(res, 200, {
        messaging_product: 'whatsapp',
        url: `${origin}/download/${encodeURIComponent(call.path)}`,
        mime_type: file.mimeType,
        sha256: 'abc',
        file_size: file.bytes.length,
        id: call.path,
      });
    }
    if (req.method === 'GET') {
      return reply(res, 400, {
        error: { message: 'Unsupported get request.', type: 'GraphMethodException', code: 100 },
      });
    }
    reply(res, 404, { error: { message: 'Unsupported request', code: 100 } });
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
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

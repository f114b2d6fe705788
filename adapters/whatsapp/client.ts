import type { WhatsAppConfig } from '../../src/config/env';
import { GraphError } from './errors';
import type { OutgoingMessage } from './render';

/** Most bytes of a Graph API answer read (a send's answer is a few hundred bytes). */
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * Who a message goes to: the phone number (`wa_id`) when Meta gave it, else the business-scoped
 * user id (Meta's `recipient` field, for users whose number is withheld).
 */
export type Address = { phone: string } | { bsuid: string };

/** What Meta tells of an uploaded (inbound) media file: a short-lived download URL and its type. */
export interface MediaInfo {
  url: string;
  mimeType?: string;
  fileSize?: number;
}

/**
 * The Graph API calls Suara makes, with plain `fetch` (Node's own): sending one message, and
 * looking up a media file. Every call carries the access token as a bearer header, never in a
 * URL, so no error or log line can show it.
 *
 * @example
 * const graph = new GraphClient(config.whatsapp);
 * const wamid = await graph.send({ phone: '6281234567890' }, { type: 'text',
 *   text: { body: 'Halo!', preview_url: false } }, AbortSignal.timeout(15_000));
 */
export class GraphClient {
  constructor(
    private readonly config: Pick<WhatsAppConfig, 'accessToken' | 'apiRoot' | 'phoneNumberId'>,
  ) {}

  /**
   * Sends one message (`POST /{phone-number-id}/messages`) and resolves with its id (the wamid
   * Meta's status callbacks name it by). Rejects with a {@link GraphError} when Meta refuses it,
   * or with fetch's own error (network, abort).
   */
  async send(to: Address, message: OutgoingMessage, signal?: AbortSignal): Promise<string> {
    const body = {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      ...('phone' in to ? { to: to.phone } : { recipient: to.bsuid }),
      ...message,
    };
    const answer = await this.call(`${this.config.phoneNumberId}/messages`, {
      method: 'POST',
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    });
    const id = (answer as { messages?: { id?: unknown }[] }).messages?.[0]?.id;
    if (typeof id !== 'string' || id === '') {
      throw new GraphError(200, null, 'Graph API: the answer to a send holds no message id');
    }
    return id;
  }

  /**
   * Looks up an inbound media file (`GET /{media-id}`): its download URL, valid for a few minutes
   * and fetched with the same bearer token. Call it when someone opens the attachment, not before.
   */
  async media(mediaId: string, signal?: AbortSignal): Promise<MediaInfo> {
    if (!/^[\w.-]{1,256}$/.test(mediaId)) throw new GraphError(0, null, 'bad media id');
    const answer = (await this.call(encodeURIComponent(mediaId), {
      method: 'GET',
      ...(signal ? { signal } : {}),
    })) as { url?: unknown; mime_type?: unknown; file_size?: unknown };
    if (typeof answer.url !== 'string') throw new GraphError(200, null, 'Graph API: no media url');
    return {
      url: answer.url,
      ...(typeof answer.mime_type === 'string' ? { mimeType: answer.mime_type } : {}),
      ...(typeof answer.file_size === 'number' ? { fileSize: answer.file_size } : {}),
    };
  }

  private async call(path: string, init: RequestInit): Promise<unknown> {
    const res = await fetch(`${this.config.apiRoot}/${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${this.config.accessToken}`,
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
    });
    const raw = await readBounded(res);
    let answer: unknown;
    try {
      answer = raw === '' ? {} : JSON.parse(raw);
    } catch {
      throw new GraphError(
        res.status,
        null,
        `Graph API: HTTP ${res.status}, the answer is not JSON`,
      );
    }
    const error = (answer as { error?: GraphErrorBody }).error;
    if (!res.ok || error) throw graphError(res, error);
    return answer;
  }
}

interface GraphErrorBody {
  code?: unknown;
  message?: unknown;
  error_data?: { details?: unknown };
}

function graphError(res: Response, error: GraphErrorBody | undefined): GraphError {
  const code = typeof error?.code === 'number' ? error.code : null;
  const message = typeof error?.message === 'string' ? error.message : `HTTP ${res.status}`;
  const details = error?.error_data?.details;
  const retryAfter = Number(res.headers.get('retry-after'));
  return new GraphError(
    res.status,
    code,
    typeof details === 'string' && details !== '' ? `${message} (${details})` : message,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
  );
}

/** The answer's text, at most {@link MAX_ANSWER_BYTES} of it. */
async function readBounded(res: Response): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw new GraphError(res.status, null, `Graph API: answer over ${MAX_ANSWER_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

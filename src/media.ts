/**
 * Files citizens sent (photos, documents) stay on their channel: a case keeps only the channel's
 * reference (Telegram's file id, Meta's media id). A staff view opens one through the
 * {@link MediaSource} of the channel the case came from, when an officer asks for it, never
 * before — so Suara stores no citizen's files and fetches none nobody looks at.
 */

/** Most bytes of one file passed on to staff (WhatsApp's largest document is 100 MB; images 5 MB). */
export const MAX_MEDIA_BYTES = 100 * 1024 * 1024;

/** An opened file: its bytes as a stream, and what the channel tells of it. */
export interface MediaFile {
  body: ReadableStream<Uint8Array>;
  mimeType?: string;
  size?: number;
}

/**
 * A channel's way to open a file by its reference. Rejects with a {@link MediaUnavailable} when
 * the channel no longer has the file (expired, deleted) or cannot be reached.
 *
 * @example
 * const source: MediaSource = { open: (ref, signal) => downloadFromMyChannel(ref, signal) };
 */
export interface MediaSource {
  open(ref: string, signal: AbortSignal): Promise<MediaFile>;
}

/** The channel could not give the file (a staff view answers 502 and says so). */
export class MediaUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MediaUnavailable';
  }
}

/**
 * The media sources by the reporter channel name of a case (`telegram`, `whatsapp`…), filled by
 * the service from each channel's `media` before the server listens.
 *
 * @example
 * const sources = new MediaSources();
 * sources.register('whatsapp', whatsappMedia(config.whatsapp));
 * const file = await sources.get(c.reporter.channel)?.open(c.attachments[0].ref, signal);
 */
export class MediaSources {
  private readonly byChannel = new Map<string, MediaSource>();

  register(channel: string, source: MediaSource): void {
    this.byChannel.set(channel, source);
  }

  get(channel: string): MediaSource | undefined {
    return this.byChannel.get(channel);
  }
}

/**
 * Downloads `url` as a {@link MediaFile}: a non-2xx answer, a network failure or a declared size
 * above {@link MAX_MEDIA_BYTES} is a {@link MediaUnavailable} (whose message never holds the URL:
 * it may carry a token). `what` names the file in the message.
 */
export async function downloadMedia(
  url: string,
  init: { headers?: Record<string, string>; signal: AbortSignal },
  what: string,
): Promise<MediaFile> {
  let res: Response;
  try {
    // No compression: the length passed on to staff is the length of the bytes sent.
    res = await fetch(url, {
      headers: { ...init.headers, 'accept-encoding': 'identity' },
      signal: init.signal,
      redirect: 'follow',
    });
  } catch (err) {
    throw new MediaUnavailable(`${what}: the download failed`, { cause: errorCode(err) });
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new MediaUnavailable(`${what}: the download answered HTTP ${res.status}`);
  }
  // A length of compressed bytes is not the length of what fetch hands on.
  const encoded = (res.headers.get('content-encoding') ?? 'identity') !== 'identity';
  const length = encoded ? Number.NaN : Number(res.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(length) && length > MAX_MEDIA_BYTES) {
    await res.body.cancel();
    throw new MediaUnavailable(`${what}: ${length} bytes is more than ${MAX_MEDIA_BYTES}`);
  }
  const type = res.headers.get('content-type');
  return {
    body: res.body,
    ...(type ? { mimeType: type } : {}),
    ...(Number.isFinite(length) ? { size: length } : {}),
  };
}

/** A network error's code or name only (never its message: it may quote the URL). */
function errorCode(err: unknown): string {
  const e = err as { cause?: { code?: unknown }; name?: unknown };
  return String(e?.cause?.code ?? e?.name ?? 'error');
}

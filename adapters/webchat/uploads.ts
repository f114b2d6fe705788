import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { Request } from 'express';
import { badArgument, DirectLineError, tooLarge } from './errors';
import { MAX_JSON_DEPTH, nestingWithin, tooDeep } from './json';

/** An uploaded photo, read whole and checked. */
export interface ReceivedPhoto {
  bytes: Buffer;
  /** From the file's own first bytes, never from what the client declared. */
  mimeType: PhotoType;
  name?: string;
}

/** The photo formats accepted. */
export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp';

/** Bytes of multipart framing allowed on top of the file and the activity part. */
const FRAMING_BYTES = 64 * 1024;

/** The image type from the file's signature (magic bytes), or null for anything else. */
export function sniffPhotoType(bytes: Uint8Array): PhotoType | null {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return null;
}

const unsupported = () =>
  new DirectLineError(415, 'BadArgument', 'only JPEG, PNG or WebP photos can be uploaded');
const photoTooLarge = (limits: UploadLimits) =>
  tooLarge(`a photo may have at most ${limits.maxBytes} bytes`);
const activityTooLarge = () => tooLarge('the activity part is larger than 16 KB');

/** The size limits of one upload, in bytes. */
interface UploadLimits {
  /** Of the photo. */
  maxBytes: number;
  /** Of the `activity` part. */
  maxActivityBytes: number;
}

/** What an upload brings: the photo, and the activity part's JSON if there was one. */
interface Upload {
  photo: ReceivedPhoto;
  activity?: unknown;
}

/**
 * Reads `multipart/form-data` with one `file` part (a JPEG, PNG or WebP photo up to `maxBytes`)
 * and an optional `activity` part (JSON, as a field or a file, up to `maxActivityBytes`). Other
 * parts are skipped. Throws a DirectLineError: 400 malformed, 413 too large, 415 not a photo.
 */
export function readUpload(req: Request, limits: UploadLimits): Promise<Upload> {
  const refused = refusedBeforeReading(req, limits);
  if (refused) return Promise.reject(refused);
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = multipartParser(req, limits);
    } catch {
      reject(badArgument('malformed multipart/form-data'));
      return;
    }
    new UploadReading(req, parser, limits, resolve, reject).start();
  });
}

/** The most a request may carry: the photo, the activity part and the framing around them. */
function requestCeiling(limits: UploadLimits): number {
  return limits.maxBytes + limits.maxActivityBytes + FRAMING_BYTES;
}

/** Why the request is refused from its headers alone (not multipart, or declared too large). */
function refusedBeforeReading(req: Request, limits: UploadLimits): DirectLineError | undefined {
  const type = req.get('content-type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    return badArgument('expected multipart/form-data with a "file" part');
  }
  const declared = Number(req.get('content-length') ?? Number.NaN);
  if (declared > requestCeiling(limits)) return photoTooLarge(limits);
  return undefined;
}

/** A busboy parser for the request's body; throws when the content type is malformed. */
function multipartParser(req: Request, limits: UploadLimits): busboy.Busboy {
  return busboy({
    headers: req.headers,
    limits: {
      files: 2,
      fields: 4,
      parts: 6,
      fileSize: limits.maxBytes,
      fieldSize: limits.maxActivityBytes,
    },
  });
}

/** The photo a `file` part holds, or why it is refused. */
function photoOf(bytes: Buffer, filename: string | undefined): ReceivedPhoto | DirectLineError {
  const mimeType = sniffPhotoType(bytes);
  if (bytes.length === 0) return badArgument('the "file" part is empty');
  if (!mimeType) return unsupported();
  const photo: ReceivedPhoto = { bytes, mimeType };
  if (filename) photo.name = filename.slice(0, 200);
  return photo;
}

/** One upload being read: the parser's events, the bytes counted, and the first failure. */
class UploadReading {
  private failed = false;
  private photo: ReceivedPhoto | undefined;
  private activityText: string | undefined;
  /** Bytes of the request read so far (counted again while draining after a failure). */
  private received = 0;
  private fileParts = 0;
  private readonly ceiling: number;

  constructor(
    private readonly req: Request,
    private readonly parser: busboy.Busboy,
    private readonly limits: UploadLimits,
    private readonly resolve: (upload: Upload) => void,
    private readonly reject: (err: DirectLineError) => void,
  ) {
    this.ceiling = requestCeiling(limits);
  }

  /** Wires the events and starts reading the request into the parser. */
  start(): void {
    const { req, parser } = this;
    req.on('data', (chunk: Buffer) => {
      this.received += chunk.length;
      if (this.received > this.ceiling) this.fail(photoTooLarge(this.limits));
    });
    parser.on('file', (name, stream, info) => this.onFile(name, stream, info.filename));
    parser.on('field', (name, value, info) => this.onField(name, value, info.valueTruncated));
    parser.on('filesLimit', () => this.fail(badArgument('too many parts')));
    parser.on('partsLimit', () => this.fail(badArgument('too many parts')));
    parser.on('error', () => this.fail(badArgument('malformed multipart/form-data')));
    parser.on('close', () => this.finish());
    req.pipe(parser);
  }

  /** Rejects with the first error only, then drains the request. */
  private fail(err: DirectLineError): void {
    if (this.failed) return;
    this.failed = true;
    this.req.unpipe(this.parser);
    // Read the rest so the client gets the answer, but not forever.
    this.req.on('data', (chunk: Buffer) => {
      this.received += chunk.length;
      if (this.received > this.ceiling * 2) this.req.destroy();
    });
    this.req.resume();
    this.reject(err);
  }

  /** A part sent as a file: the photo, the activity (as a blob), or skipped. */
  private onFile(name: string, stream: Readable, filename: string | undefined): void {
    if (name !== 'file' && name !== 'activity') {
      stream.resume();
      return;
    }
    if (name === 'file' && ++this.fileParts > 1) {
      stream.resume();
      this.fail(badArgument('one "file" part per upload'));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (name === 'activity' && size > this.limits.maxActivityBytes) {
        this.fail(activityTooLarge());
      } else if (!this.failed) chunks.push(chunk);
    });
    stream.on('limit', () => this.fail(photoTooLarge(this.limits)));
    stream.on('end', () => {
      if (this.failed) return;
      const bytes = Buffer.concat(chunks);
      if (name === 'activity') this.activityText = bytes.toString('utf8');
      else this.keepPhoto(bytes, filename);
    });
  }

  private keepPhoto(bytes: Buffer, filename: string | undefined): void {
    const photo = photoOf(bytes, filename);
    if (photo instanceof DirectLineError) this.fail(photo);
    else this.photo = photo;
  }

  /** A part sent as a field: only the activity is read. */
  private onField(name: string, value: string, truncated: boolean): void {
    if (name !== 'activity') return;
    if (truncated) this.fail(activityTooLarge());
    else this.activityText = value;
  }

  /** The body is read: resolves with the photo and the parsed activity, or fails. */
  private finish(): void {
    if (this.failed) return;
    const { photo, activityText } = this;
    if (!photo) return this.fail(badArgument('no "file" part with a photo'));
    if (activityText === undefined) return this.resolve({ photo });
    if (!nestingWithin(Buffer.from(activityText, 'utf8'), MAX_JSON_DEPTH)) {
      return this.fail(tooDeep());
    }
    try {
      this.resolve({ photo, activity: JSON.parse(activityText) });
    } catch {
      this.fail(badArgument('the "activity" part is not valid JSON'));
    }
  }
}

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

/**
 * Reads `multipart/form-data` with one `file` part (a JPEG, PNG or WebP photo up to `maxBytes`)
 * and an optional `activity` part (JSON, as a field or a file, up to `maxActivityBytes`). Other
 * parts are skipped. Throws a DirectLineError: 400 malformed, 413 too large, 415 not a photo.
 */
export function readUpload(
  req: Request,
  limits: { maxBytes: number; maxActivityBytes: number },
): Promise<{ photo: ReceivedPhoto; activity?: unknown }> {
  const type = req.get('content-type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    return Promise.reject(badArgument('expected multipart/form-data with a "file" part'));
  }
  const declared = Number(req.get('content-length') ?? Number.NaN);
  const ceiling = limits.maxBytes + limits.maxActivityBytes + FRAMING_BYTES;
  if (declared > ceiling) {
    return Promise.reject(tooLarge(`a photo may have at most ${limits.maxBytes} bytes`));
  }
  return new Promise((resolve, reject) => {
    let failed = false;
    let photo: ReceivedPhoto | undefined;
    let activityText: string | undefined;
    let received = 0;
    let fileParts = 0;
    const fail = (err: DirectLineError) => {
      if (failed) return;
      failed = true;
      req.unpipe(bb);
      // Read the rest so the client gets the answer, but not forever.
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > ceiling * 2) req.destroy();
      });
      req.resume();
      reject(err);
    };
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        limits: {
          files: 2,
          fields: 4,
          parts: 6,
          fileSize: limits.maxBytes,
          fieldSize: limits.maxActivityBytes,
        },
      });
    } catch {
      reject(badArgument('malformed multipart/form-data'));
      return;
    }
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > ceiling) fail(tooLarge(`a photo may have at most ${limits.maxBytes} bytes`));
    });
    bb.on('file', (name, stream, info) => {
      if (name !== 'file' && name !== 'activity') {
        stream.resume();
        return;
      }
      if (name === 'file' && ++fileParts > 1) {
        stream.resume();
        fail(badArgument('one "file" part per upload'));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (name === 'activity' && size > limits.maxActivityBytes) {
          fail(tooLarge('the activity part is larger than 16 KB'));
        } else if (!failed) chunks.push(chunk);
      });
      stream.on('limit', () => fail(tooLarge(`a photo may have at most ${limits.maxBytes} bytes`)));
      stream.on('end', () => {
        if (failed) return;
        const bytes = Buffer.concat(chunks);
        if (name === 'activity') {
          activityText = bytes.toString('utf8');
          return;
        }
        const mimeType = sniffPhotoType(bytes);
        if (bytes.length === 0) return fail(badArgument('the "file" part is empty'));
        if (!mimeType) return fail(unsupported());
        photo = { bytes, mimeType };
        if (info.filename) photo.name = info.filename.slice(0, 200);
      });
    });
    bb.on('field', (name, value, info) => {
      if (name !== 'activity') return;
      if (info.valueTruncated) fail(tooLarge('the activity part is larger than 16 KB'));
      else activityText = value;
    });
    bb.on('filesLimit', () => fail(badArgument('too many parts')));
    bb.on('partsLimit', () => fail(badArgument('too many parts')));
    bb.on('error', () => fail(badArgument('malformed multipart/form-data')));
    bb.on('close', () => {
      if (failed) return;
      if (!photo) return fail(badArgument('no "file" part with a photo'));
      if (activityText === undefined) return resolve({ photo });
      if (!nestingWithin(Buffer.from(activityText, 'utf8'), MAX_JSON_DEPTH)) return fail(tooDeep());
      try {
        resolve({ photo, activity: JSON.parse(activityText) });
      } catch {
        fail(badArgument('the "activity" part is not valid JSON'));
      }
    });
    req.pipe(bb);
  });
}

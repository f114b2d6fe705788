import { request } from 'node:http';

/** `depth` nested JSON arrays as text (JSON.stringify of such a value would overflow the stack). */
export function nestedArrays(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** JSON text of `value` with `field` set to raw JSON text (e.g. from nestedArrays). */
export function withRawField(value: object, field: string, raw: string): string {
  const json = JSON.stringify({ ...value, [field]: 0 });
  const marker = `${JSON.stringify(field)}:0`;
  return json.replace(marker, `${JSON.stringify(field)}:${raw}`);
}

/** What an endless upload got back. */
export interface EndlessUpload {
  /** The HTTP status, when an answer came before the connection ended. */
  status?: number;
  body: string;
  /** Bytes of body the client could write before the server answered or cut it off. */
  written: number;
  /** The client's error (the server closed the connection while it was still writing). */
  error?: string;
}

/**
 * POSTs a chunked body of JSON whitespace that never ends by itself: keeps writing (also after an
 * answer) until the server closes the connection, or `stopAt` bytes are written and the request
 * ends. Tells whether the server cuts an oversized body off or keeps reading all of it.
 */
export function uploadEndless(
  url: string,
  headers: Record<string, string> = {},
  stopAt = 64 * 1024 * 1024,
): Promise<EndlessUpload> {
  return new Promise((resolve) => {
    const result: EndlessUpload = { body: '', written: 0 };
    let settled = false;
    const req = request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
    });
    const settle = () => {
      if (settled) return;
      settled = true;
      req.destroy();
      resolve(result);
    };
    // An answer may still be arriving when the connection ends.
    const settleSoon = () => setTimeout(settle, 200);
    req.on('response', (res) => {
      result.status = res.statusCode;
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        result.body += d;
      });
      res.on('error', settleSoon);
      res.on('end', () => {
        if (result.written >= stopAt) settle();
      });
    });
    req.on('error', (err) => {
      result.error = err.message;
      settleSoon();
    });
    req.on('close', settleSoon);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!settled && !req.destroyed && result.written < stopAt) {
        result.written += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!settled && !req.destroyed) req.end();
    };
    req.flushHeaders();
    pump();
  });
}

import { request } from 'node:http';

/** What a slowly sent request got back, and how much of its body had been sent by then. */
export interface SlowPostResult {
  status: number;
  body: string;
  /** Body bytes written before the answer came (the rest was never sent). */
  sentBytes: number;
}

/**
 * POSTs a body of `totalBytes` to `url` in small chunks, one every millisecond, and stops
 * sending as soon as an answer arrives: an answer with `sentBytes < totalBytes` came before the
 * body was complete. With `declareLength` the request has a Content-Length; otherwise it is
 * chunked. Errors after the answer (the server closing the connection) are ignored.
 */
export function slowPost(
  url: string,
  options: {
    headers?: Record<string, string>;
    totalBytes: number;
    declareLength: boolean;
    chunkBytes?: number;
  },
): Promise<SlowPostResult> {
  const chunk = Buffer.alloc(options.chunkBytes ?? 8 * 1024, 'a');
  return new Promise((resolve, reject) => {
    let sentBytes = 0;
    let answered = false;
    const req = request(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        ...(options.declareLength ? { 'Content-Length': String(options.totalBytes) } : {}),
        ...options.headers,
      },
    });
    req.on('error', (err) => {
      // A server that answered and closed at once may reset the connection while the answer is
      // still being read (EPIPE, ECONNRESET): give the answer a moment to surface first.
      if (!answered) setTimeout(() => answered || reject(err), 500);
    });
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sentBytes }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body, sentBytes }));
    });
    req.flushHeaders();
    const pump = () => {
      if (answered || req.destroyed) return;
      if (sentBytes >= options.totalBytes) {
        req.end();
        return;
      }
      const part = chunk.subarray(0, Math.min(chunk.length, options.totalBytes - sentBytes));
      sentBytes += part.length;
      req.write(part);
      setTimeout(pump, 1);
    };
    setTimeout(pump, 5);
  });
}

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { limitBody } from '../../src/http/body-limit';
import { slowPost } from '../support/slow-post';

const CAP = 64 * 1024;

describe('limitBody', () => {
  let server: Server;
  let url = '';
  /** Body sizes the handler behind the limit received in full. */
  const handled: number[] = [];

  beforeAll(async () => {
    const app = express();
    app.post(
      '/in',
      limitBody(CAP),
      express.raw({ type: () => true, limit: '50mb' }),
      (req, res) => {
        handled.push((req.body as Buffer).length);
        res.json({ bytes: (req.body as Buffer).length });
      },
    );
    // The reader behind the limit sees the aborted body as an error: it must not answer again.
    app.use(
      (_err: unknown, _req: express.Request, res: express.Response, _n: express.NextFunction) => {
        if (!res.headersSent) res.status(400).end();
      },
    );
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/in`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    handled.length = 0;
  });

  test('a body within the cap reaches the handler whole (the control)', async () => {
    for (const declareLength of [true, false]) {
      const r = await slowPost(url, { totalBytes: CAP, declareLength });
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body)).toEqual({ bytes: CAP });
    }
    expect(handled).toEqual([CAP, CAP]);
  });

  test('a Content-Length over the cap → 413 JSON at once, before the body is sent', async () => {
    const r = await slowPost(url, { totalBytes: 4 * 1024 * 1024, declareLength: true });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    // Answered before the client had sent even one cap's worth: nothing was waited for.
    expect(r.sentBytes).toBeLessThan(CAP);
    expect(handled).toEqual([]);
  });

  test('a chunked body going over the cap → 413 JSON, and reading stops', async () => {
    const r = await slowPost(url, { totalBytes: 4 * 1024 * 1024, declareLength: false });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    // The answer came right after the cap was passed, not after the 4 MB.
    expect(r.sentBytes).toBeLessThan(4 * CAP);
    expect(handled).toEqual([]);
    // The server still answers.
    const ok = await slowPost(url, { totalBytes: 10, declareLength: true });
    expect(ok.status).toBe(200);
  });
});

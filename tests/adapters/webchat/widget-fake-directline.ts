import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { widgetRoutes } from '../../../adapters/webchat/widget/routes';

/** One request the fake received, for assertions. */
export interface Received {
  path: string;
  auth: string;
  body: unknown;
  query: Record<string, unknown>;
}

/**
 * A minimal Direct Line 3.0 fake on 127.0.0.1 for the widget's browser test: polling only (no
 * streamUrl), one conversation, and activities the test scripts (links, typing, location
 * requests) that the real bot would never send.
 */
export class FakeDirectLine {
  readonly activities: Record<string, unknown>[] = [];
  readonly received: Received[] = [];
  private server: Server | null = null;
  url = '';

  push(activity: Record<string, unknown>): string {
    const id = `c1|${String(this.activities.length).padStart(7, '0')}`;
    this.activities.push({ ...activity, id });
    return id;
  }

  async start(): Promise<void> {
    const app = express();
    app.use(widgetRoutes());
    const dl = express.Router();
    const note = (req: express.Request, body: unknown) =>
      this.received.push({
        path: req.path,
        auth: req.get('authorization') ?? '',
        body,
        query: { ...req.query },
      });
    const session = { conversationId: 'c1', token: 'tok-1', expires_in: 1800 };
    dl.post('/tokens/generate', express.json(), (req, res) => {
      note(req, req.body);
      res.json(session);
    });
    dl.post('/tokens/refresh', (req, res) => {
      note(req, null);
      res.json({ ...session, token: 'tok-2' });
    });
    dl.post('/conversations', (req, res) => {
      note(req, null);
      res.status(201).json({ ...session, streamUrl: '' }); // no stream: the widget polls
    });
    dl.get('/conversations/c1', (req, res) => {
      note(req, null);
      res.json({ conversationId: 'c1', token: 'tok-2', streamUrl: '' });
    });
    dl.get('/conversations/c1/activities', (req, res) => {
      const w = Number(req.query.watermark ?? 0) || 0;
      res.json({ activities: this.activities.slice(w), watermark: String(this.activities.length) });
    });
    dl.post('/conversations/c1/activities', express.json(), (req, res) => {
      note(req, req.body);
      res.json({ id: this.push(req.body as Record<string, unknown>) });
    });
    dl.post(
      '/conversations/c1/upload',
      express.raw({ type: 'multipart/form-data', limit: '10mb' }),
      (req, res) => {
        const raw = Buffer.isBuffer(req.body) ? req.body.toString('latin1') : '';
        note(req, raw);
        const from = { id: String(req.query.userId ?? '') };
        const name = /filename="([^"]*)"/.exec(raw)?.[1] ?? '';
        const attachments = [{ contentType: 'image/png', name }];
        res.json({ id: this.push({ type: 'message', from, attachments }) });
      },
    );
    app.use('/v3/directline', dl);
    await new Promise<void>((resolve) => {
      this.server = app.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = (this.server as Server).address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

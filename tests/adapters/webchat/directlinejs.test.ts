/**
 * Issue point 4: Microsoft's own Direct Line client (botframework-directlinejs, as used by the
 * stock Bot Framework Web Chat) talks to our endpoint: start a conversation, send "halo", get the
 * bot's reply — once over the WebSocket stream and once by polling.
 */
import { type Activity, ConnectionStatus, DirectLine } from 'botframework-directlinejs';
import { WebSocket } from 'ws';
import { startWebchat } from './helpers';

// The client reads `XMLHttpRequest` (rxjs ajax, at each request) and `WebSocket` (in the
// DirectLine constructor) from the global scope, so both must be globals before it is used.
const globals = globalThis as Record<string, unknown>;
globals.XMLHttpRequest = require('xhr2') as unknown;
globals.WebSocket = WebSocket;

describe('botframework-directlinejs against the web chat endpoint', () => {
  let service: Awaited<ReturnType<typeof startWebchat>>;

  beforeAll(async () => {
    service = await startWebchat();
  });
  afterAll(async () => {
    await service.stop();
  });

  async function tokenFromGenerate(): Promise<string> {
    const res = await fetch(`${service.api}/tokens/generate`, { method: 'POST' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string };
    return body.token;
  }

  test.each([
    ['WebSocket', true],
    ['polling', false],
  ])('sends "halo" and receives the bot reply (%s)', async (_name, webSocket) => {
    const token = await tokenFromGenerate();
    const upgradesBefore = service.upgrades.count;
    const directLine = new DirectLine({
      domain: service.api,
      token,
      webSocket,
      pollingInterval: 200,
    });
    const statuses: ConnectionStatus[] = [];
    const statusSub = directLine.connectionStatus$.subscribe((s) => statuses.push(s));
    const received: Activity[] = [];
    let sawReply: () => void = () => {};
    const reply = new Promise<void>((resolve) => {
      sawReply = resolve;
    });
    const sub = directLine.activity$.subscribe({
      next: (a) => {
        received.push(a);
        if (a.type === 'message' && a.from.id === 'suara') sawReply();
      },
      error: () => {},
    });
    try {
      const id = await new Promise<string>((resolve, reject) => {
        directLine
          .postActivity({ type: 'message', from: { id: 'visitor' }, text: 'halo' })
          .subscribe({ next: resolve, error: reject });
      });
      await reply;

      expect(id).toMatch(/\|\d{7}$/);
      const echo = received.find((a) => a.id === id);
      expect(echo).toMatchObject({ type: 'message', text: 'halo' });
      const botReply = received.find((a) => a.type === 'message' && a.from.id === 'suara');
      expect(botReply).toMatchObject({ replyToId: id, from: { name: 'Suara', role: 'bot' } });
      expect(typeof (botReply as { text?: string }).text).toBe('string');
      expect((botReply as { text: string }).text.length).toBeGreaterThan(0);
      expect(statuses).toContain(ConnectionStatus.Online);
      // The WebSocket run really streamed; the polling run never opened a socket.
      expect(service.upgrades.count - upgradesBefore).toBe(webSocket ? 1 : 0);
    } finally {
      sub.unsubscribe();
      statusSub.unsubscribe();
      directLine.end();
    }
  });
});

import { boltLogger, errorFields } from '../../../adapters/slack/web';
import { createLogger } from '../../../src/logger';
import { type Harness, PUPR, startSlackService, viewSubmission } from './harness';

/** Personal data of the citizen and the officer's reply that must never reach the log. */
const SECRETS = [
  'Siti',
  'Aminah',
  '081234567890',
  '0812-3456-7890',
  '3201012345670001',
  'siti.aminah@mail.co.id',
  'Jl. Melati',
];

describe('LOG_LEVEL=debug', () => {
  const lines: string[] = [];
  let h: Harness;
  beforeAll(async () => {
    const logger = createLogger('debug', {
      write(line: string) {
        lines.push(line);
      },
    });
    h = await startSlackService({}, {}, logger);
  });
  afterAll(async () => {
    await h.stop();
  });

  test('no name, NIK, phone, e-mail or address of a citizen is logged, at any level', async () => {
    const c = await h.openCase({
      text: 'NIK saya 3201012345670001, hp 0812-3456-7890, siti.aminah@mail.co.id',
      location: { text: 'Jl. Melati 5' },
    });
    // A signed modal submission whose note repeats the data, a button, and a slash command
    // whose ephemeral answer shows the case (Bolt logs request and ack bodies at debug).
    const reply = viewSubmission({
      callbackId: 'suara:reply',
      trackingId: c.trackingId,
      channel: PUPR,
      note: 'Bu Siti Aminah (081234567890), petugas datang besok ke Jl. Melati 5',
    });
    expect((await h.interact(reply)).status).toBe(200);
    await h.deliver();
    const show = await h.command(PUPR, `show ${c.trackingId}`);
    expect(show.status).toBe(200);
    expect(show.body).toContain('Siti Aminah');
    // A request Slack did not sign, carrying the data in its body.
    expect(
      (await h.post(`payload=Siti+Aminah+3201012345670001`, 'x', { signature: 'v0=1' })).status,
    ).toBe(401);

    // The control: the logger was live.
    expect(lines.length).toBeGreaterThan(0);
    const log = lines.join('');
    for (const secret of SECRETS) expect(log).not.toContain(secret);
  });
});

describe('what Slack errors and Bolt messages put in the log', () => {
  test('an error is logged by name, code and frames, never with the request it carries', () => {
    // A Web API request error keeps the failed HTTP request: its body and its token.
    const original = Object.assign(new Error('socket hang up'), {
      config: {
        data: 'text=Siti+Aminah+081234567890',
        headers: { Authorization: 'Bearer xoxb-1' },
      },
    });
    const fields = errorFields(Object.assign(new Error('A request error occurred'), { original }));
    expect(fields.error).toBe('Error: A request error occurred');
    const json = JSON.stringify(fields);
    for (const secret of ['Siti', '081234567890', 'xoxb-1']) expect(json).not.toContain(secret);
  });

  test("Bolt's debug output is dropped; its warnings lose quoted bodies and objects", () => {
    const lines: string[] = [];
    const logger = boltLogger(
      createLogger('debug', {
        write(line: string) {
          lines.push(line);
        },
      }),
    );
    logger.debug('http request body: {"text":"Siti Aminah 081234567890"}');
    logger.warn(
      'Parsing request body failed (error: SyntaxError: Unexpected token, "Siti Aminah" is not valid JSON)',
      { body: 'Siti Aminah' },
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Parsing request body failed');
    expect(lines[0]).not.toContain('Siti');
  });
});

import type { Case } from '../../../src/cases/types';
import { blockAction, DLH, type Harness, PUPR, startSlackService } from './harness';

let h: Harness;
let road: Case;
let hidden: Case;
let light: Case;
beforeAll(async () => {
  h = await startSlackService();
  road = await h.openCase({ text: 'Big pothole on Jalan Melati' });
  hidden = await h.openCase({
    text: 'Drain blocked, my NIK is 3201012345670001',
    identity: 'anonymous',
  });
  light = await h.openCase({ category: 'street_lighting', text: 'Street light is off' });
  await h.interact(
    blockAction({ channel: PUPR, trackingId: road.trackingId, actionId: 'suara:ack' }),
  );
  await h.deliver();
});
afterAll(async () => {
  await h.stop();
});

/** The ephemeral answer to a slash command typed in a channel. */
async function ask(channel: string, text: string): Promise<{ text: string; blocks?: unknown }> {
  const res = await h.command(channel, text);
  expect(res.status).toBe(200);
  const body = JSON.parse(res.body) as { response_type: string; text: string; blocks?: unknown };
  expect(body.response_type).toBe('ephemeral');
  return body;
}

describe('/suara slash command', () => {
  test('list: the open cases of the agency bound to the channel, and only those', async () => {
    const { text } = await ask(PUPR, 'list');
    expect(text).toMatch(/^\*2 reports — Public Works and Spatial Planning Department\*/);
    expect(text).toContain(road.trackingId);
    expect(text).toContain(hidden.trackingId);
    expect(text).not.toContain(light.trackingId);
    expect(text).toContain('In progress');
  });

  test('list <status> filters; an unknown status is said so', async () => {
    const { text } = await ask(PUPR, 'list in_progress');
    expect(text).toContain(road.trackingId);
    expect(text).not.toContain(hidden.trackingId);
    expect((await ask(PUPR, 'list closed')).text).toBe(
      'No reports for Public Works and Spatial Planning Department.',
    );
    expect((await ask(PUPR, 'list banana')).text).toBe('Unknown status "banana".');
  });

  test("show: one case, masked when anonymous, without buttons; another agency's case is not shown", async () => {
    const shown = await ask(PUPR, `show ${hidden.trackingId.toLowerCase()}`);
    const blocks = JSON.stringify(shown.blocks);
    expect(blocks).toContain(hidden.trackingId);
    expect(blocks).toContain('[NIK hidden]');
    expect(blocks).not.toContain('3201012345670001');
    expect(blocks).not.toContain('"actions"');
    expect((await ask(PUPR, `show ${light.trackingId}`)).text).toBe(
      `Report ${light.trackingId} was not found.`,
    );
    expect((await ask(PUPR, 'show')).text).toContain('Give a report number');
  });

  test('stats: counts by status and deadlines', async () => {
    const { text } = await ask(PUPR, 'stats');
    expect(text.split('\n')).toEqual([
      '*Statistics — Public Works and Spatial Planning Department*',
      'Received: 1',
      'In progress: 1',
      'Overdue: 0 · Due soon: 0',
    ]);
  });

  test('list shows the first 20 and counts the rest', async () => {
    for (let i = 0; i < 22; i++)
      await h.openCase({ category: 'waste_environment', text: `Rubbish pile ${i}` });
    const { text } = await ask(DLH, 'list');
    const lines = text.split('\n');
    expect(lines[0]).toBe('*22 reports — Environment Department*');
    expect(lines.filter((l) => l.startsWith('• *ADU-'))).toHaveLength(20);
    expect(lines.at(-1)).toBe('…and 2 more.');
  });

  test('a channel bound to no agency, and help', async () => {
    expect((await ask('C0NOBODY', 'list')).text).toContain('not bound to an agency');
    expect((await ask(PUPR, '')).text).toContain('/suara list [status]');
  });
});

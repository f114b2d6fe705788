import { createSlackChannel } from '../../../adapters/slack';
import { digestDate } from '../../../adapters/slack/digest';
import type { WorkingCalendar } from '../../../src/cases/calendar';
import { DISHUB, type Harness, PUPR, startSlackService } from './harness';

const calendar: WorkingCalendar = { timeZone: 'Asia/Jakarta', holidays: new Set(['2026-12-25']) };

describe('digestDate (pure)', () => {
  test('a working day at or after the digest hour, local time', () => {
    // 07:59 and 08:00 WIB on Wednesday 2 Dec 2026.
    expect(digestDate(calendar, 8, new Date('2026-12-02T00:59:00Z'))).toBeNull();
    expect(digestDate(calendar, 8, new Date('2026-12-02T01:00:00Z'))).toBe('2026-12-02');
    // 23:30 UTC on the 1st is already the 2nd in Jakarta.
    expect(digestDate(calendar, 6, new Date('2026-12-01T23:30:00Z'))).toBe('2026-12-02');
    // Saturday, and a holiday.
    expect(digestDate(calendar, 8, new Date('2026-12-05T03:00:00Z'))).toBeNull();
    expect(digestDate(calendar, 8, new Date('2026-12-25T03:00:00Z'))).toBeNull();
  });
});

describe('the daily deadline digest', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startSlackService();
  });
  afterEach(async () => {
    await h.stop();
  });

  async function digests() {
    return (await h.service.backend.outbox.list({ channel: 'staff' })).filter((m) =>
      m.idempotencyKey.startsWith('digest:'),
    );
  }

  test('posted once per working day per agency with due cases, even across a restart', async () => {
    // Created Friday 27 Nov: verification is due by the end of Wednesday 2 Dec.
    const road = await h.openCase();
    const light = await h.openCase({ category: 'street_lighting', text: 'Street light off' });
    const done = await h.openCase({ text: 'Another pothole' });
    await h.service.cases.act(done.trackingId, { type: 'start' }, { type: 'staff', id: 'U1' });
    await h.service.cases.act(
      done.trackingId,
      { type: 'resolve', note: 'Fixed' },
      { type: 'staff', id: 'U1' },
    );
    await h.deliver();
    h.fake.clear();

    h.clock.set('2026-12-02T00:30:00.000Z'); // Wednesday 07:30 WIB: too early
    expect(await h.slack.checkDigest()).toBe(0);
    h.clock.set('2026-12-02T01:30:00.000Z'); // 08:30 WIB
    expect(await h.slack.checkDigest()).toBe(2);
    expect(await h.slack.checkDigest()).toBe(0);
    // A restarted instance enqueues the same digests again: the outbox keeps the first ones.
    const restarted = createSlackChannel(h.ctx, h.slackOptions);
    await restarted?.checkDigest();
    expect((await digests()).map((m) => m.idempotencyKey).sort()).toEqual([
      'digest:dinas-perhubungan:2026-12-02',
      'digest:dinas-pupr:2026-12-02',
    ]);

    await h.deliver();
    const posts = h.fake.of('chat.postMessage');
    expect(posts.map((p) => p.args.channel).sort()).toEqual([DISHUB, PUPR]);
    const pupr = JSON.stringify(posts.find((p) => p.args.channel === PUPR)?.args.blocks);
    expect(pupr).toContain('Deadline reminder for 2026-12-02');
    expect(pupr).toContain('Due soon');
    expect(pupr).toContain(road.trackingId);
    expect(pupr).not.toContain(done.trackingId);
    expect(pupr).not.toContain(light.trackingId);

    // Thursday: the same cases are now overdue, and a new digest goes out.
    h.clock.set('2026-12-03T02:00:00.000Z');
    expect(await h.slack.checkDigest()).toBe(2);
    await h.deliver();
    const thursday = h.fake.of('chat.postMessage').slice(2);
    expect(thursday).toHaveLength(2);
    expect(JSON.stringify(thursday[0]?.args.blocks)).toContain('Overdue');

    // Saturday: no digest.
    h.clock.set('2026-12-05T02:00:00.000Z');
    expect(await h.slack.checkDigest()).toBe(0);
    expect(await digests()).toHaveLength(4);
  });

  test('the periodic check started with the channel enqueues the digest by itself', async () => {
    await h.stop();
    h = await startSlackService({}, { digestCheckMs: 10 });
    const road = await h.openCase();
    h.clock.set('2026-12-02T01:30:00.000Z');
    // Bounded wait for the background job (no timing is asserted).
    for (let i = 0; i < 300 && (await digests()).length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const [digest] = await digests();
    expect(digest).toMatchObject({
      idempotencyKey: 'digest:dinas-pupr:2026-12-02',
      recipient: 'dinas-pupr',
      payload: {
        kind: 'digest',
        agencyId: 'dinas-pupr',
        date: '2026-12-02',
        items: [{ trackingId: road.trackingId, state: 'due_soon' }],
        to: { kind: 'desk', agencyId: 'dinas-pupr' },
      },
    });
  });
});

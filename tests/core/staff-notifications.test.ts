import type { NewCaseInput } from '../../src/cases/new-case';
import type { Config } from '../../src/config/env';
import { loadDomainFiles } from '../../src/config/files';
import { readNotification } from '../../src/core/notifications';
import { STAFF_CHANNEL } from '../../src/core/notify';
import { silentLogger } from '../../src/logger';
import { buildCore } from '../../src/service';
import { SqliteBackend } from '../../src/store/sqlite/backend';
import { testConfig } from '../support/config';
import { manualClock } from '../support/fixtures';
import { testNlu } from '../support/nlu';

const SLACK: Config['slack'] = {
  botToken: 'xoxb-test',
  signingSecret: 'secret',
  apiUrl: 'http://127.0.0.1:9/api/',
  command: '/suara',
  digestHour: 8,
  language: 'id',
};
const STAFF = { type: 'staff' as const, id: 'U1' };
const CITIZEN = { type: 'citizen' as const, id: 'c1' };

/** The core, with a channel that delivers staff notifications when `slack` is configured. */
function core(slack: Config['slack']) {
  const config = testConfig({ slack });
  const backend = SqliteBackend.open({ path: ':memory:' });
  const built = buildCore(config, loadDomainFiles(config), backend, {
    logger: silentLogger,
    clock: manualClock(),
    nlu: testNlu(),
    outbox: { delivers: (channel) => slack !== null && channel === STAFF_CHANNEL, wake() {} },
  });
  return { ...built, backend };
}

const input = (overrides: Partial<NewCaseInput> = {}): NewCaseInput => ({
  kind: 'complaint',
  text: 'Jalan berlubang',
  language: 'id',
  category: 'roads_drainage',
  reporter: { channel: 'test', channelUserId: 'c1', conversationId: 'c1' },
  identity: 'named',
  ...overrides,
});

describe('staff notifications', () => {
  test('with a staff desk: one `staff` message per event, to the agency that has the case', async () => {
    const env = core(SLACK);
    const { case: c } = await env.cases.open(input(), CITIZEN);
    await env.cases.act(c.trackingId, { type: 'start' }, STAFF);
    await env.cases.act(c.trackingId, { type: 'request_info', note: 'RT berapa?' }, STAFF);
    await env.cases.act(c.trackingId, { type: 'info_received', note: 'RT 02' }, CITIZEN);
    await env.cases.act(c.trackingId, { type: 'transfer', toAgencyId: 'dinas-perhubungan' }, STAFF);

    const staff = (await env.backend.outbox.list({ channel: 'staff' })).map((m) => {
      const read = readNotification(m);
      if (!read.ok) throw new Error(read.error);
      return { m, ...read };
    });
    const id = c.trackingId;
    const pupr = { kind: 'desk', agencyId: 'dinas-pupr' };
    const bySeq = staff.sort((a, b) => a.m.idempotencyKey.localeCompare(b.m.idempotencyKey));
    expect(bySeq.map(({ m, to, notification }) => [m.recipient, to, notification])).toEqual([
      ['dinas-pupr', pupr, { kind: 'case_opened', trackingId: id, seq: 1, type: 'created' }],
      ['dinas-pupr', pupr, { kind: 'case_changed', trackingId: id, seq: 2, type: 'start' }],
      ['dinas-pupr', pupr, { kind: 'case_changed', trackingId: id, seq: 3, type: 'request_info' }],
      [
        'dinas-pupr',
        pupr,
        { kind: 'citizen_message', trackingId: id, seq: 4, type: 'info_received' },
      ],
      [
        'dinas-perhubungan',
        { kind: 'desk', agencyId: 'dinas-perhubungan' },
        { kind: 'case_transferred', trackingId: id, seq: 5, type: 'transfer' },
      ],
    ]);
    expect(bySeq.map(({ m }) => m.idempotencyKey)).toEqual(
      [1, 2, 3, 4, 5].map((seq) => `staff:${id}#${seq}`),
    );
    expect(staff.every(({ m }) => m.orderingKey === `case:${id}`)).toBe(true);
    expect(staff.every(({ m }) => m.trackingId === c.trackingId)).toBe(true);
  });

  test('without a staff desk (no Slack): no staff messages pile up', async () => {
    const env = core(null);
    const { case: c } = await env.cases.open(input(), CITIZEN);
    await env.cases.act(c.trackingId, { type: 'start' }, STAFF);
    expect(await env.backend.outbox.list({ channel: 'staff' })).toEqual([]);
    expect(await env.backend.outbox.list({ channel: 'test' })).toHaveLength(1);
  });
});

describe('public notes reach the citizen', () => {
  test('a public staff note is sent; an internal one is not', async () => {
    const env = core(null);
    const { case: c } = await env.cases.open(input(), CITIZEN);
    await env.cases.act(
      c.trackingId,
      { type: 'note', note: 'catatan dalam', public: false },
      STAFF,
    );
    await env.cases.act(
      c.trackingId,
      { type: 'note', note: 'Besok kami cek.', public: true },
      STAFF,
    );
    const out = await env.backend.outbox.list({ channel: 'test' });
    expect(out).toHaveLength(1);
    expect(out[0]?.idempotencyKey).toBe(`citizen:${c.trackingId}#3`);
    expect(out[0]?.payload.text).toContain('Besok kami cek.');
    expect(out[0]?.payload.text).toContain(c.trackingId);
    expect(out[0]?.payload.text).not.toContain('catatan dalam');
  });

  test('a hand-off gets what the officer writes (replies, questions, the answer), not status notices', async () => {
    const env = core(null);
    const { case: c } = await env.cases.open(
      input({ kind: 'handoff', category: 'other', language: 'en' }),
      CITIZEN,
    );
    await env.cases.act(c.trackingId, { type: 'start' }, STAFF);
    await env.cases.act(
      c.trackingId,
      { type: 'note', note: 'Hello, how can I help?', public: true },
      STAFF,
    );
    await env.cases.act(c.trackingId, { type: 'note', note: 'internal', public: false }, STAFF);
    await env.cases.act(c.trackingId, { type: 'request_info', note: 'Which district?' }, STAFF);
    await env.cases.act(c.trackingId, { type: 'info_received', note: 'Tegal Barat' }, CITIZEN);
    await env.cases.act(c.trackingId, { type: 'resolve', note: 'Go to counter 3.' }, STAFF);
    const out = await env.backend.outbox.list({ channel: 'test' });
    const texts = out
      .sort((a, b) => a.idempotencyKey.localeCompare(b.idempotencyKey))
      .map((m) => String(m.payload.text).split('\n')[0]);
    expect(texts).toEqual([
      `A message from the officer about report ${c.trackingId}: Hello, how can I help?`,
      expect.stringContaining('Which district?'),
      expect.stringContaining('Go to counter 3.'),
    ]);
  });
});

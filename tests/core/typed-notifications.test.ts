import {
  citizenMessageOf,
  type Notification,
  notify,
  type Recipient,
  readNotification,
  reporterRecipient,
  STAFF_CHANNEL,
  type StoredNotification,
  unsupported,
} from '../../src/core/notifications';

const ID = 'ADU-7K3M9Q';
const CITIZEN: Recipient = {
  kind: 'conversation',
  channel: 'telegram',
  conversationId: '42',
  userId: '42',
};
const TEAMS: Recipient = {
  kind: 'conversation',
  channel: 'teams',
  conversationId: '19:abc@thread.v2',
  userId: '29:1a2b',
  ref: { serviceUrl: 'https://smba.trafficmanager.net/apac/', tenantId: 't-1' },
};
const DESK: Recipient = { kind: 'desk', agencyId: 'dinas-pupr' };
const CHOICES = [
  { label: 'Sudah beres', value: `resolved:done:${ID}` },
  { label: 'Belum', value: `resolved:not_done:${ID}` },
];

/** One notification of every kind, with a recipient it is meant for. */
const EVERY_KIND: [Recipient, Notification][] = [
  [
    CITIZEN,
    {
      kind: 'replies',
      replies: [
        { text: 'Halo!', choices: [{ label: 'Lapor', value: 'menu:report' }] },
        { text: 'Bagikan lokasi', requestLocation: true },
        { text: 'Artikel', link: { title: 'KTP', url: 'https://example.go.id/ktp' } },
      ],
      replyTo: '1001',
      lang: 'id',
    },
  ],
  [CITIZEN, { kind: 'replies', replies: [{ text: 'Bantuan' }] }],
  [
    TEAMS,
    {
      kind: 'case_status',
      trackingId: ID,
      seq: 2,
      lang: 'en',
      agency: 'Public Works',
      event: 'request_info',
      note: 'Please send a photo',
      text: `The officer needs more information for report ${ID}: Please send a photo`,
    },
  ],
  [
    CITIZEN,
    {
      kind: 'case_status',
      trackingId: ID,
      seq: 3,
      lang: 'id',
      agency: 'Dinas PUPR',
      event: 'verify',
      text: `Laporan ${ID} sudah diverifikasi.`,
    },
  ],
  [
    CITIZEN,
    {
      kind: 'officer_reply',
      trackingId: ID,
      seq: 4,
      lang: 'id',
      agency: 'Dinas PUPR',
      note: 'Besok kami cek.',
      text: `Pesan petugas untuk laporan ${ID}: Besok kami cek.`,
    },
  ],
  [
    CITIZEN,
    {
      kind: 'resolved_ask',
      trackingId: ID,
      seq: 5,
      lang: 'id',
      agency: 'Dinas PUPR',
      note: 'Lubang sudah ditambal',
      text: `Laporan ${ID} selesai.\nApakah masalahnya sudah beres?`,
      choices: CHOICES,
    },
  ],
  [DESK, { kind: 'case_opened', trackingId: ID, seq: 1, type: 'created' }],
  [DESK, { kind: 'case_changed', trackingId: ID, seq: 2, type: 'start' }],
  [DESK, { kind: 'case_transferred', trackingId: ID, seq: 3, type: 'transfer' }],
  [DESK, { kind: 'citizen_message', trackingId: ID, seq: 4, type: 'info_received' }],
  [
    DESK,
    {
      kind: 'digest',
      agencyId: 'dinas-pupr',
      date: '2026-12-02',
      items: [
        { trackingId: ID, state: 'overdue' },
        { trackingId: 'ADU-AAAAAA', state: 'due_soon' },
      ],
    },
  ],
  [DESK, { kind: 'digest', agencyId: 'dinas-pupr', date: '2026-12-03', items: [] }],
];

/** What the outbox keeps of a message: its payload as JSON text, read back. */
function stored(m: ReturnType<typeof notify>): StoredNotification {
  return {
    channel: m.channel,
    recipient: m.recipient,
    payload: JSON.parse(JSON.stringify(m.payload)) as Record<string, unknown>,
    ...(m.trackingId ? { trackingId: m.trackingId } : {}),
  };
}

describe('notify → outbox → readNotification', () => {
  test.each(EVERY_KIND.map(([to, n], i) => [`${i}: ${n.kind} to ${to.kind}`, to, n] as const))(
    'round trip of %s',
    (_name, to, notification) => {
      const m = notify(to, notification, { idempotencyKey: 'k' });
      expect(readNotification(stored(m))).toEqual({ ok: true, to, notification });
    },
  );

  test('every kind is in the round trip', () => {
    expect(new Set(EVERY_KIND.map(([, n]) => n.kind))).toEqual(
      new Set([
        'replies',
        'case_status',
        'officer_reply',
        'resolved_ask',
        'case_opened',
        'case_changed',
        'case_transferred',
        'citizen_message',
        'digest',
      ]),
    );
  });

  test('the address: a conversation on its channel, a desk on the staff channel', () => {
    const [, opened] = EVERY_KIND.find(([, n]) => n.kind === 'case_opened') ?? [];
    if (!opened) throw new Error('no case_opened sample');
    expect(
      notify(DESK, opened, { idempotencyKey: `staff:${ID}#1`, orderingKey: `case:${ID}` }),
    ).toEqual({
      idempotencyKey: `staff:${ID}#1`,
      channel: STAFF_CHANNEL,
      recipient: 'dinas-pupr',
      orderingKey: `case:${ID}`,
      // A notification about a case is tracked by its id.
      trackingId: ID,
      payload: { ...opened, to: DESK },
    });
    const later = new Date('2026-12-02T01:00:00Z');
    expect(
      notify(
        TEAMS,
        { kind: 'replies', replies: [{ text: 'x' }] },
        {
          idempotencyKey: 'k',
          trackingId: ID,
          notBefore: later,
        },
      ),
    ).toMatchObject({
      channel: 'teams',
      recipient: '19:abc@thread.v2',
      trackingId: ID,
      notBefore: later,
      payload: { to: TEAMS },
    });
  });

  test('a new-style payload without `to` is for the message address', () => {
    expect(
      readNotification({
        channel: 'webchat',
        recipient: 'conv-1',
        payload: { kind: 'replies', replies: [{ text: 'hi' }] },
      }),
    ).toEqual({
      ok: true,
      to: { kind: 'conversation', channel: 'webchat', conversationId: 'conv-1' },
      notification: { kind: 'replies', replies: [{ text: 'hi' }] },
    });
  });
});

describe('payloads queued by older versions still read', () => {
  test.each<[string, StoredNotification, Recipient, Notification]>([
    [
      '{ text }',
      { channel: 'telegram', recipient: '42', payload: { text: `Laporan ${ID} diverifikasi.` } },
      { kind: 'conversation', channel: 'telegram', conversationId: '42' },
      { kind: 'replies', replies: [{ text: `Laporan ${ID} diverifikasi.` }] },
    ],
    [
      '{ text, choices }',
      {
        channel: 'webchat',
        recipient: 'conv-1',
        trackingId: ID,
        payload: { text: 'Sudah beres?', choices: CHOICES },
      },
      { kind: 'conversation', channel: 'webchat', conversationId: 'conv-1' },
      { kind: 'replies', replies: [{ text: 'Sudah beres?', choices: CHOICES }] },
    ],
    [
      '{ replies, replyTo, lang }',
      {
        channel: 'telegram',
        recipient: '42',
        payload: { replies: [{ text: 'Halo!' }], replyTo: '1001', lang: 'en' },
      },
      { kind: 'conversation', channel: 'telegram', conversationId: '42' },
      { kind: 'replies', replies: [{ text: 'Halo!' }], replyTo: '1001', lang: 'en' },
    ],
    [
      '{ replies }',
      { channel: 'telegram', recipient: '42', payload: { replies: [{ text: 'Halo!' }] } },
      { kind: 'conversation', channel: 'telegram', conversationId: '42' },
      { kind: 'replies', replies: [{ text: 'Halo!' }] },
    ],
    [
      '{ event, seq, type }',
      {
        channel: 'staff',
        recipient: 'dinas-pupr',
        trackingId: ID,
        payload: { event: 'case_transferred', seq: 5, type: 'transfer' },
      },
      DESK,
      { kind: 'case_transferred', trackingId: ID, seq: 5, type: 'transfer' },
    ],
    [
      "{ event: 'digest', date, items }",
      {
        channel: 'staff',
        recipient: 'dinas-pupr',
        payload: {
          event: 'digest',
          date: '2026-12-02',
          items: [{ trackingId: ID, state: 'overdue' }],
        },
      },
      DESK,
      {
        kind: 'digest',
        agencyId: 'dinas-pupr',
        date: '2026-12-02',
        items: [{ trackingId: ID, state: 'overdue' }],
      },
    ],
  ])('%s', (_shape, message, to, notification) => {
    expect(readNotification(message)).toEqual({ ok: true, to, notification });
  });
});

describe('what is no notification', () => {
  test.each<[string, StoredNotification, RegExp]>([
    [
      'an old reply without text',
      { channel: 't', recipient: '1', payload: { choices: 'nope' } },
      /text/,
    ],
    ['something else', { channel: 't', recipient: '1', payload: { html: '<b>x</b>' } }, /text/],
    ['an unknown kind', { channel: 't', recipient: '1', payload: { kind: 'fax' } }, /kind/],
    [
      'no replies',
      { channel: 't', recipient: '1', payload: { kind: 'replies', replies: [] } },
      /replies/,
    ],
    [
      'a digest of no day',
      {
        channel: 'staff',
        recipient: 'a',
        payload: { kind: 'digest', agencyId: 'a', date: 'yesterday', items: [] },
      },
      /date/,
    ],
    [
      'a recipient of no kind',
      {
        channel: 't',
        recipient: '1',
        payload: { kind: 'replies', replies: [{ text: 'x' }], to: { kind: 'pigeon' } },
      },
      /^bad payload: to\.kind/,
    ],
    [
      'an old staff event without its case',
      {
        channel: 'staff',
        recipient: 'a',
        payload: { event: 'case_opened', seq: 1, type: 'created' },
      },
      /trackingId/,
    ],
    [
      'a status notice of an event the citizen is not told about',
      {
        channel: 't',
        recipient: '1',
        payload: {
          kind: 'case_status',
          trackingId: ID,
          seq: 2,
          lang: 'id',
          agency: 'x',
          text: 'x',
          event: 'transfer',
        },
      },
      /event/,
    ],
  ])('%s: bad payload, naming the field', (_name, message, field) => {
    const read = readNotification(message);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.error).toMatch(/^bad payload: /);
    expect(read.error).toMatch(field);
  });
});

describe('rendering helpers', () => {
  test('citizen kinds are bot messages; staff kinds are not for citizens', () => {
    const shown = EVERY_KIND.map(([, n]) => [n.kind, citizenMessageOf(n)]);
    expect(shown).toEqual([
      ['replies', { replies: expect.any(Array), replyTo: '1001', lang: 'id' }],
      ['replies', { replies: [{ text: 'Bantuan' }] }],
      [
        'case_status',
        {
          replies: [
            { text: `The officer needs more information for report ${ID}: Please send a photo` },
          ],
          lang: 'en',
        },
      ],
      ['case_status', { replies: [{ text: `Laporan ${ID} sudah diverifikasi.` }], lang: 'id' }],
      [
        'officer_reply',
        { replies: [{ text: `Pesan petugas untuk laporan ${ID}: Besok kami cek.` }], lang: 'id' },
      ],
      [
        'resolved_ask',
        {
          replies: [
            { text: `Laporan ${ID} selesai.\nApakah masalahnya sudah beres?`, choices: CHOICES },
          ],
          lang: 'id',
        },
      ],
      ['case_opened', null],
      ['case_changed', null],
      ['case_transferred', null],
      ['citizen_message', null],
      ['digest', null],
      ['digest', null],
    ]);
  });

  test('unsupported: undeliverable, naming the channel and the kind', () => {
    expect(
      unsupported('telegram', { kind: 'digest', agencyId: 'a', date: '2026-12-02', items: [] }),
    ).toEqual({
      status: 'undeliverable',
      error: 'telegram does not deliver "digest" notifications',
    });
  });

  test("reporterRecipient: the reporter's conversation, with the channel's reference", () => {
    expect(reporterRecipient({ channel: 'telegram', channelUserId: '42' })).toEqual({
      kind: 'conversation',
      channel: 'telegram',
      conversationId: '42',
      userId: '42',
    });
    const ref = { serviceUrl: 'https://smba.trafficmanager.net/apac/', tenantId: 't-1' };
    expect(
      reporterRecipient({
        channel: 'teams',
        channelUserId: '29:1a2b',
        conversationId: '19:abc@thread.v2',
        name: 'Siti',
        ref,
      }),
    ).toEqual({ ...TEAMS, ref });
  });
});

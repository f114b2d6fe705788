import { API_KEYS_SCOPE, ApiKeys } from '../../../src/apikeys/store';
import {
  ACCESS_TOKEN,
  bodyOf,
  type Harness,
  hasButton,
  hasRow,
  isLocationRequest,
  rowIds,
  startHarness,
} from './harness';
import * as wa from './payloads';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** The conversations (user keys) the bot's replies were queued for. */
async function recipientsOfReplies(): Promise<string[]> {
  const all = await h.service.backend.outbox.list({ channel: 'whatsapp', limit: 1000 });
  return all.map((m) => m.recipient);
}

describe('WhatsApp: a citizen files a complaint in Indonesian', () => {
  test('text, a reply button, the location request, a location, a photo, buttons: a tracking id', async () => {
    const user = { waId: '6281234567001', name: 'Sari' };
    const id = await h.fileComplaint(user);

    const sent = h.fake.sent(user.waId);
    // Every message went to the phone number, as a plain text or an interactive message.
    expect(sent.every((m) => m.to === user.waId && m.recipient === undefined)).toBe(true);
    // The location step asked with WhatsApp's own "send location" button.
    const ask = sent.find(isLocationRequest);
    expect(ask?.interactive).toEqual({
      type: 'location_request_message',
      body: { text: expect.stringMatching(/lokasi/i) },
      action: { name: 'send_location' },
    });
    // The confirmation names the tracking id, in Indonesian.
    const confirmation = sent.map(bodyOf).find((t) => t.includes(id));
    expect(confirmation).toMatch(/laporan/i);

    // The case keeps the location, the photo as Meta's media id and how to reach the citizen.
    const c = await h.service.backend.cases.get(id);
    expect(c?.location).toMatchObject({ lat: -6.2, lon: 106.816666 });
    expect(c?.attachments).toEqual([
      { kind: 'photo', ref: '1234567890123456', mimeType: 'image/jpeg' },
    ]);
    expect(c?.reporter).toMatchObject({
      channel: 'whatsapp',
      channelUserId: user.waId,
      ref: { waId: user.waId },
    });
    // The photo was never downloaded: its URL is looked up only when staff open it.
    expect(h.fake.calls.filter((call) => call.method === 'GET')).toEqual([]);
    // Every call carried the access token as a bearer header.
    expect(new Set(h.fake.calls.map((call) => call.authorization))).toEqual(
      new Set([`Bearer ${ACCESS_TOKEN}`]),
    );

    // An officer opens the photo through the staff API: looked up and downloaded now.
    h.fake.putMedia('1234567890123456', Buffer.from('the photo'), 'image/jpeg');
    const keys = new ApiKeys(h.service.backend.channelStore.scope(API_KEYS_SCOPE), h.clock);
    const { key } = await keys.create({
      name: 'desk',
      kind: 'staff',
      agencies: [c?.agencyId ?? ''],
      scopes: ['cases:read'],
    });
    const res = await fetch(`${h.service.url}/api/v1/cases/${id}/attachments/1`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('the photo');
    expect(h.fake.calls.filter((call) => call.method === 'GET').map((call) => call.path)).toEqual([
      '1234567890123456',
      '/download/1234567890123456',
    ]);
  });

  test('a list of more than three choices, and a row picked from it', async () => {
    const user = { waId: '6281234567002' };
    const got = await h.deliver(wa.text(user, h.clock(), 'halo'), user.waId, () => true);
    // "halo" is answered with a greeting; the menu (four choices) comes as a list.
    const menu = await h.deliver(
      wa.text(user, h.clock(), 'menu'),
      user.waId,
      hasRow('menu:status'),
    );
    expect(got.length).toBeGreaterThan(0);
    const list = menu.find(hasRow('menu:status'));
    expect(list?.interactive?.type).toBe('list');
    expect(rowIds(list ?? ({} as never))).toEqual([
      'menu:report',
      'menu:question',
      'menu:status',
      'menu:agent',
    ]);
    expect(list?.interactive?.action.button).toBe('Pilih');
    for (const row of list?.interactive?.action.sections?.[0]?.rows ?? []) {
      expect(row.title.length).toBeLessThanOrEqual(24);
    }
    // Picking "Cek status laporan" asks for the tracking id.
    const asked = await h.deliver(
      wa.listReply(user, h.clock(), 'menu:status', 'Cek status laporan'),
      user.waId,
      (m) => /nomor laporan|ADU-/i.test(bodyOf(m)),
    );
    expect(asked.map(bodyOf).join('\n')).toMatch(/laporan/i);
  });

  test('a reply button answers the question it was shown with', async () => {
    const user = { waId: '6281234567003' };
    const start = await h.deliver(
      wa.text(user, h.clock(), 'lampu jalan di depan sekolah mati sejak seminggu'),
      user.waId,
      hasButton('yes'),
    );
    const question = start.find(hasButton('yes'));
    expect(question?.interactive?.action.buttons?.map((b) => b.reply)).toEqual([
      { id: 'yes', title: 'Ya' },
      { id: 'no', title: 'Tidak' },
    ]);
    // "Ya" confirms the category: the next step asks for the location.
    const next = await h.deliver(
      wa.buttonReply(user, h.clock(), 'yes', 'Ya'),
      user.waId,
      isLocationRequest,
    );
    expect(next.some(isLocationRequest)).toBe(true);
  });

  test('a user whose number is withheld is keyed and answered by the business-scoped id', async () => {
    const user = { bsuid: 'ID.13491208655302741918', name: 'Budi' };
    const got = await h.deliver(wa.text(user, h.clock(), 'halo'), user.bsuid, () => true);
    expect(got[0]).toMatchObject({ recipient: user.bsuid });
    expect(got[0]?.to).toBeUndefined();
    expect(await recipientsOfReplies()).toContain(user.bsuid);
  });

  test('with both ids, the conversation is keyed on the BSUID and messages go to the number', async () => {
    const user = { waId: '6281234567004', bsuid: 'ID.99887766554433221100' };
    const got = await h.deliver(wa.text(user, h.clock(), 'halo'), user.waId, () => true);
    expect(got[0]).toMatchObject({ to: user.waId });
    expect(await recipientsOfReplies()).toContain(user.bsuid);
    expect(await recipientsOfReplies()).not.toContain(user.waId);
  });

  test('a voice note is answered with what Suara can read', async () => {
    const user = { waId: '6281234567005' };
    const voice = wa.inbound(
      user,
      wa.messageFrom(user, h.clock(), {
        type: 'audio',
        audio: { id: '99887766', mime_type: 'audio/ogg; codecs=opus', voice: true },
      }),
    );
    const got = await h.deliver(voice, user.waId, (m) => /hanya bisa membaca/.test(bodyOf(m)));
    expect(got).toHaveLength(1);
  });
});

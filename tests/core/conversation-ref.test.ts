import { type Notification, type Recipient, readNotification } from '../../src/core/notifications';
import { replyMessage } from '../../src/core/outbound';
import type { OutboxMessage } from '../../src/outbox/port';
import { type Env, inbound, makeBot, onlyCaseOf, STAFF, talk, trackingIdIn } from './helpers';

/** A conversation reference such as a Teams channel gives (service URL and tenant). */
const REF = { serviceUrl: 'https://smba.trafficmanager.net/apac/', tenantId: 't-1' };

let env: Env;
beforeEach(() => {
  env = makeBot();
});

/** The notification each outbox message about a case carries, in event order. */
async function notificationsOf(
  trackingId: string,
): Promise<{ to: Recipient; notification: Notification }[]> {
  const seq = (m: OutboxMessage) => Number(m.idempotencyKey.split('#')[1]);
  return (await env.backend.outbox.list())
    .filter((m) => m.trackingId === trackingId)
    .sort((a, b) => seq(a) - seq(b))
    .map((m) => {
      const read = readNotification(m);
      if (!read.ok) throw new Error(read.error);
      return { to: read.to, notification: read.notification };
    });
}

/** Files a complaint whose messages come with a conversation reference. */
async function fileWithRef(user: string): Promise<string> {
  const c = talk(env, user)
    .send({ text: 'jalan depan rumah saya berlubang besar sudah dua bulan', conversationRef: REF })
    .send({ text: 'ya', conversationRef: REF })
    .send({ text: 'Jl. Melati No. 5, RT 02/RW 03, Kel. Sukamaju', conversationRef: REF })
    .send({ text: 'lewati', conversationRef: REF })
    .send({ text: 'terbuka', conversationRef: REF })
    .send({ text: 'lewati', conversationRef: REF })
    .send({ text: 'Kirim', action: 'confirm', conversationRef: REF })
    .expect(/tercatat dengan nomor/);
  await c;
  return trackingIdIn(c);
}

describe("a channel's conversation reference reaches the citizen's notifications", () => {
  test('kept on the case the message opens, and carried by every notification about it', async () => {
    const id = await fileWithRef('alice');
    expect((await onlyCaseOf(env, 'alice')).reporter).toMatchObject({
      channel: 'test',
      channelUserId: 'alice',
      conversationId: 'alice',
      ref: REF,
    });

    await env.cases.act(id, { type: 'verify' }, STAFF);
    await env.cases.act(id, { type: 'note', note: 'Besok kami cek.', public: true }, STAFF);
    await env.cases.act(id, { type: 'resolve', note: 'Lubang sudah ditambal' }, STAFF);

    const out = await notificationsOf(id);
    const to = {
      kind: 'conversation',
      channel: 'test',
      conversationId: 'alice',
      userId: 'alice',
      ref: REF,
    };
    const agency = 'Dinas Pekerjaan Umum dan Penataan Ruang';
    expect(out).toEqual([
      {
        to,
        notification: {
          kind: 'case_status',
          trackingId: id,
          seq: 2,
          lang: 'id',
          agency,
          event: 'verify',
          text: `Laporan ${id} sudah diverifikasi dan diteruskan ke ${agency}.`,
        },
      },
      {
        to,
        notification: {
          kind: 'officer_reply',
          trackingId: id,
          seq: 3,
          lang: 'id',
          agency,
          note: 'Besok kami cek.',
          text: expect.stringContaining('Besok kami cek.'),
        },
      },
      {
        to,
        notification: {
          kind: 'resolved_ask',
          trackingId: id,
          seq: 4,
          lang: 'id',
          agency,
          note: 'Lubang sudah ditambal',
          text: expect.stringMatching(/Lubang sudah ditambal\nApakah masalahnya sudah beres\?$/),
          choices: [
            { label: 'Sudah beres', value: `resolved:done:${id}` },
            { label: 'Belum', value: `resolved:not_done:${id}` },
          ],
        },
      },
    ]);
  });

  test('a reporter whose channel gave none: the recipient has no ref', async () => {
    const { case: c } = await env.cases.open(
      {
        kind: 'complaint',
        text: 'Lampu jalan mati',
        language: 'en',
        category: 'street_lighting',
        reporter: { channel: 'test', channelUserId: 'bob' },
        identity: 'named',
      },
      { type: 'citizen', id: 'bob' },
    );
    await env.cases.act(c.trackingId, { type: 'request_info', note: 'Which pole?' }, STAFF);
    const [only] = await notificationsOf(c.trackingId);
    expect(only?.to).toEqual({
      kind: 'conversation',
      channel: 'test',
      conversationId: 'bob',
      userId: 'bob',
    });
    expect(only?.notification).toMatchObject({
      kind: 'case_status',
      event: 'request_info',
      note: 'Which pole?',
      lang: 'en',
    });
  });

  test("a turn's replies go to the message's conversation, with its reference", () => {
    const msg = inbound(env, 'carol', { messageId: 'm-1', text: 'halo', conversationRef: REF });
    const m = replyMessage(msg, [{ text: 'Halo!' }], 'id');
    expect(m).toMatchObject({ channel: 'test', recipient: 'carol' });
    expect(readNotification(m)).toEqual({
      ok: true,
      to: {
        kind: 'conversation',
        channel: 'test',
        conversationId: 'carol',
        userId: 'carol',
        ref: REF,
      },
      notification: { kind: 'replies', replies: [{ text: 'Halo!' }], replyTo: 'm-1', lang: 'id' },
    });
  });
});

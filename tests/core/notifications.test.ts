import type { OutboxMessage } from '../../src/outbox/port';
import { type Env, fileComplaint, makeBot, STAFF, sessionOf, talk } from './helpers';

let env: Env;
beforeEach(() => {
  env = makeBot();
});

/** The outbox messages about one case, in event order. */
async function outboxFor(trackingId: string): Promise<OutboxMessage[]> {
  const seq = (m: OutboxMessage) => Number(m.idempotencyKey.split('#')[1]);
  return (await env.backend.outbox.list())
    .filter((m) => m.trackingId === trackingId)
    .sort((a, b) => seq(a) - seq(b));
}

const PUPR = 'Dinas Pekerjaan Umum dan Penataan Ruang';

describe('notifications to the reporter', () => {
  test('id: verify, start and resolve each put a message for the reporter, in Indonesian', async () => {
    const id = await fileComplaint(env, 'alice');
    // Filing it was answered in the conversation: nothing on the outbox.
    expect(await outboxFor(id)).toEqual([]);

    await env.cases.act(id, { type: 'verify' }, STAFF);
    await env.cases.act(id, { type: 'start' }, STAFF);
    await env.cases.act(id, { type: 'resolve', note: 'Lubang sudah ditambal' }, STAFF);

    const out = await outboxFor(id);
    for (const m of out) {
      expect(m).toMatchObject({ channel: 'test', recipient: 'alice', status: 'pending' });
    }
    expect(out.map((m) => m.payload.text)).toEqual([
      `Laporan ${id} sudah diverifikasi dan diteruskan ke ${PUPR}.`,
      `Laporan ${id} sedang ditindaklanjuti oleh ${PUPR}.`,
      `Laporan ${id} dinyatakan selesai oleh ${PUPR}: Lubang sudah ditambal\nApakah masalahnya sudah beres?`,
    ]);
    expect(out[2]?.payload.choices).toEqual([
      { label: 'Sudah beres', value: `resolved:done:${id}` },
      { label: 'Belum', value: `resolved:not_done:${id}` },
    ]);
    expect(out[0]?.payload.choices).toBeUndefined();
  });

  test('en: request_info and reject carry the note, in English', async () => {
    const id = await fileComplaint(env, 'bob', 'en');
    await env.cases.act(id, { type: 'request_info', note: 'Please send a photo' }, STAFF);
    await talk(env, 'bob')
      .say('it is about one metre wide, next to the food stall')
      .expect(`Thank you, your information was added to report ${id} and passed to the officer.`);
    expect((await env.backend.cases.get(id))?.status).toBe('received');
    await env.cases.act(id, { type: 'reject', note: 'Private road, not ours' }, STAFF);

    const out = await outboxFor(id);
    expect(out.map((m) => [m.channel, m.recipient, m.payload.text])).toEqual([
      [
        'test',
        'bob',
        `The officer needs more information for report ${id}: Please send a photo\nReply to this message to answer.`,
      ],
      ['test', 'bob', `Report ${id} could not be processed: Private road, not ours`],
    ]);
  });

  test('a private note on verify is not put in the citizen message', async () => {
    const id = await fileComplaint(env, 'alice');
    await env.cases.act(id, { type: 'verify', note: 'pelapor sudah 3x lapor' }, STAFF);
    const [m] = await outboxFor(id);
    expect(m?.payload.text).toBe(`Laporan ${id} sudah diverifikasi dan diteruskan ke ${PUPR}.`);
  });
});

describe('resolved: the citizen confirms or reopens', () => {
  test('id: "sudah beres" → rating → "5": the case is closed with rating 5', async () => {
    const id = await fileComplaint(env, 'alice');
    await env.cases.act(id, { type: 'start' }, STAFF);
    await env.cases.act(id, { type: 'resolve', note: 'Lubang sudah ditambal' }, STAFF);

    await talk(env, 'alice')
      .say('sudah beres')
      .expect('Terima kasih! Beri nilai layanan kami, 1 (buruk) sampai 5 (sangat baik):')
      .expect('[1] [2] [3] [4] [5]')
      .check(async () =>
        expect((await sessionOf(env, 'alice'))?.dialog).toEqual({ kind: 'rating', trackingId: id }),
      )
      .say('5')
      .expect(`Terima kasih atas penilaian Anda. Laporan ${id} ditutup.`);

    expect(await env.backend.cases.get(id)).toMatchObject({ status: 'closed', rating: 5 });
    const last = (await env.backend.cases.events(id)).at(-1);
    expect(last).toMatchObject({
      type: 'close',
      rating: 5,
      actor: { type: 'citizen', id: 'alice' },
    });
    expect((await sessionOf(env, 'alice'))?.dialog).toBeUndefined();
    // The citizen closed it themselves: answered in the conversation, no extra notification.
    expect((await outboxFor(id)).map((m) => m.idempotencyKey)).toEqual([
      `citizen:${id}#2`,
      `citizen:${id}#3`,
    ]);
  });

  test('the buttons of the resolve message work too (rating by button)', async () => {
    const id = await fileComplaint(env, 'alice', 'en');
    await env.cases.act(id, { type: 'start' }, STAFF);
    await env.cases.act(id, { type: 'resolve', note: 'Patched' }, STAFF);
    const choices = (await outboxFor(id)).at(-1)?.payload.choices as {
      label: string;
      value: string;
    }[];
    const done = choices.find((c) => c.value === `resolved:done:${id}`);
    expect(done?.label).toBe('Yes, fixed');

    await talk(env, 'alice')
      .send({ text: done?.label, action: done?.value })
      .expect(/^Thank you! Please rate our service from 1 \(poor\) to 5 \(excellent\):/)
      .choose('rating:4')
      .expect(`Thank you for your rating. Report ${id} is closed.`);
    expect(await env.backend.cases.get(id)).toMatchObject({ status: 'closed', rating: 4 });
  });

  test('a rating out of 1–5 does not close the case', async () => {
    const id = await fileComplaint(env, 'alice');
    await env.cases.act(id, { type: 'start' }, STAFF);
    await env.cases.act(id, { type: 'resolve', note: 'Lubang sudah ditambal' }, STAFF);
    await talk(env, 'alice').say('sudah selesai').expect('Beri nilai').say('9');
    expect((await env.backend.cases.get(id))?.status).toBe('resolved');
  });

  test('id: "belum" reopens the case and says to whom it goes again', async () => {
    const id = await fileComplaint(env, 'alice');
    await env.cases.act(id, { type: 'start' }, STAFF);
    await env.cases.act(id, { type: 'resolve', note: 'Lubang sudah ditambal' }, STAFF);

    await talk(env, 'alice')
      .say('belum, lubangnya masih ada')
      .expect(
        `Maaf masalahnya belum beres. Laporan ${id} dibuka kembali dan diteruskan lagi ke ${PUPR}.`,
      );
    expect((await env.backend.cases.get(id))?.status).toBe('reopened');
    expect((await env.backend.cases.events(id)).at(-1)).toMatchObject({
      type: 'reopen',
      note: 'belum, lubangnya masih ada',
      actor: { type: 'citizen', id: 'alice' },
    });
  });

  test('en: "not yet" reopens the case', async () => {
    const id = await fileComplaint(env, 'bob', 'en');
    await env.cases.act(id, { type: 'start' }, STAFF);
    await env.cases.act(id, { type: 'resolve', note: 'Patched' }, STAFF);
    await talk(env, 'bob')
      .say('not yet')
      .expect(`Sorry it is not fixed yet. Report ${id} is reopened and sent again to`);
    expect((await env.backend.cases.get(id))?.status).toBe('reopened');
  });

  test('"sudah beres" from someone whose case is not resolved changes nothing', async () => {
    const id = await fileComplaint(env, 'alice');
    await env.cases.act(id, { type: 'start' }, STAFF);
    await talk(env, 'alice').say('sudah beres').expectNot('Beri nilai');
    expect((await env.backend.cases.get(id))?.status).toBe('in_progress');
  });
});

describe('needs info: the citizen answers', () => {
  test('id: the next message is added to the case, which goes back to its status', async () => {
    const id = await fileComplaint(env, 'alice');
    await env.cases.act(id, { type: 'verify' }, STAFF);
    await env.cases.act(id, { type: 'request_info', note: 'Seberapa besar lubangnya?' }, STAFF);
    expect((await env.backend.cases.get(id))?.status).toBe('needs_info');

    await talk(env, 'alice')
      .say('lubangnya sekitar 1 meter, di depan warung')
      .expect(
        `Terima kasih, informasi Anda ditambahkan ke laporan ${id} dan diteruskan ke petugas.`,
      );
    expect((await env.backend.cases.get(id))?.status).toBe('verified');
    expect((await env.backend.cases.events(id)).at(-1)).toMatchObject({
      type: 'info_received',
      note: 'lubangnya sekitar 1 meter, di depan warung',
      public: true,
      actor: { type: 'citizen', id: 'alice' },
      fromStatus: 'needs_info',
      toStatus: 'verified',
    });
  });

  // BUG: an answer is only taken for the case when the NLU does not call it a status check
  // (src/core/dialogs/cases.ts, `ctx.classification.intent !== 'status_check'`), with no
  // confidence threshold and no tracking id needed. "about one metre wide" is status_check at
  // 0.35 (so is "sudah saya kirim fotonya" at 0.66): the citizen gets "Write your report number"
  // and the case stays needs_info.
  test('en: a short answer is added to the case and the reply confirms in English', async () => {
    const id = await fileComplaint(env, 'bob', 'en');
    await env.cases.act(id, { type: 'request_info', note: 'How big is it?' }, STAFF);
    await talk(env, 'bob')
      .say('about one metre wide')
      .expect(`Thank you, your information was added to report ${id} and passed to the officer.`);
    expect((await env.backend.cases.get(id))?.status).toBe('received');
  });

  test("another citizen's message is not added to someone else's case", async () => {
    const id = await fileComplaint(env, 'alice');
    await env.cases.act(id, { type: 'request_info', note: 'Seberapa besar lubangnya?' }, STAFF);
    await talk(env, 'mallory').say('lubangnya sekitar 1 meter').expectNot(id);
    expect((await env.backend.cases.get(id))?.status).toBe('needs_info');
  });

  // BUG: a photo sent in answer to "Mohon kirim foto" is dropped. Photo only: caseReplies
  // (src/core/dialogs/cases.ts, `if (!dialog && ctx.text)`) ignores a message without text, so
  // the bot shows the menu and the case stays needs_info. With a caption the caption is added
  // but the photo is not (the info_received action carries no attachments), while the reply
  // says the information was added.
  test('a photo sent in answer to a request for a photo is added to the case', async () => {
    const id = await fileComplaint(env, 'alice');
    await env.cases.act(id, { type: 'request_info', note: 'Mohon kirim foto lubangnya' }, STAFF);
    await talk(env, 'alice')
      .send({ attachments: [{ kind: 'photo', ref: 'photo-1' }] })
      .expect(`informasi Anda ditambahkan ke laporan ${id}`);
    const c = await env.backend.cases.get(id);
    expect(c?.status).toBe('received');
    expect(c?.attachments).toEqual([{ kind: 'photo', ref: 'photo-1' }]);
  });
});

import {
  choiceValues,
  type Env,
  MENU_VALUES,
  makeBot,
  onlyCaseOf,
  sessionOf,
  TRACKING_ID,
  talk,
  trackingIdIn,
} from './helpers';

let env: Env;
beforeEach(() => {
  env = makeBot();
});

describe('complaint intake', () => {
  test('id: description → category → location → skip photo → identity → contact → send', async () => {
    const c = talk(env, 'siti');
    await c
      .say('jalan depan rumah saya berlubang besar sudah dua bulan, banyak motor jatuh')
      .expect('Sepertinya ini tentang: Jalan, jembatan, dan saluran air. Benar? [Ya] [Tidak]')
      .say('ya')
      .expect(/^Di mana lokasinya\?/)
      .check((x) => expect(x.last[0]?.requestLocation).toBe(true))
      .say('Jl. Melati No. 5, RT 02/RW 03, Kel. Sukamaju')
      .expect('Ada foto pendukung? Kirim fotonya, atau pilih Lewati. [Lewati]')
      .choose('Lewati')
      .expect('Bagaimana identitas Anda ditampilkan?')
      // Each identity mode is explained in one line.
      .expect('• Terbuka: nama Anda diketahui petugas yang menangani.')
      .expect('• Anonim: identitas Anda tidak ditampilkan kepada siapa pun.')
      .expect('• Rahasia: laporan tidak dipublikasikan')
      .choose('Anonim')
      .expect(/nomor HP atau email/)
      .say('0812-3456-7890')
      .expect('• Masalah: jalan depan rumah saya berlubang besar sudah dua bulan')
      .expect('• Kategori: Jalan, jembatan, dan saluran air')
      .expect('• Lokasi: Jl. Melati No. 5, RT 02/RW 03, Kel. Sukamaju')
      .expect('• Foto: -')
      .expect('• Identitas: Anonim')
      .expect('• Kontak: +6281234567890')
      .expect('[Kirim] [Ubah] [Batal]')
      .choose('Kirim')
      .expect(/^Terima kasih, laporan Anda tercatat dengan nomor ADU-[0-9A-HJKMNP-TV-Z]{6}\./)
      .expect('Laporan diteruskan ke Dinas Pekerjaan Umum dan Penataan Ruang.')
      .expect('Batas verifikasi: Rabu, 2 Desember 2026.');

    const stored = await onlyCaseOf(env, 'siti');
    expect(stored.trackingId).toBe(trackingIdIn(c));
    expect(stored).toMatchObject({
      kind: 'complaint',
      text: 'jalan depan rumah saya berlubang besar sudah dua bulan, banyak motor jatuh',
      language: 'id',
      category: 'roads_drainage',
      agencyId: 'dinas-pupr',
      priority: 'normal',
      identity: 'anonymous',
      status: 'received',
      attachments: [],
      location: { text: 'Jl. Melati No. 5, RT 02/RW 03, Kel. Sukamaju' },
      reporter: {
        channel: 'test',
        channelUserId: 'siti',
        conversationId: 'siti',
        phone: '+6281234567890',
      },
      deadlines: { verifyBy: '2026-12-02T16:59:59.999Z' },
    });
    expect(stored.reporter.email).toBeUndefined();
    // The dialog is over; only the language is remembered.
    expect(await sessionOf(env, 'siti')).toEqual({ lang: 'id' });
  });

  test('en: the same intake in English, with an e-mail contact', async () => {
    const c = talk(env, 'john');
    await c
      .say('the street light in front of my house has been broken for two weeks')
      .expect('This looks like: Street lights. Is that right? [Yes] [No]')
      .say('yes')
      .expect(/^Where is it\?/)
      .say('Jalan Melati 5, Sukamaju')
      .expect('Do you have a photo? Send it, or choose Skip. [Skip]')
      .say('skip')
      .expect('• Named: the officers handling it know your name.')
      .say('named')
      .expect(/phone number or email/)
      .say('Warga@Contoh.ID')
      .expect('• Category: Street lights')
      .expect('• Location: Jalan Melati 5, Sukamaju')
      .expect('• Identity: Named')
      .expect('• Contact: warga@contoh.id')
      .expect('[Send] [Edit] [Cancel]')
      .say('send')
      .expect(/^Thank you, your report is recorded as ADU-[0-9A-HJKMNP-TV-Z]{6} and sent to/)
      .expect('sent to Transportation Department.')
      .expect('Verification due by Wednesday, 2 December 2026.');

    const stored = await onlyCaseOf(env, 'john');
    expect(stored.trackingId).toBe(trackingIdIn(c));
    expect(stored).toMatchObject({
      kind: 'complaint',
      language: 'en',
      category: 'street_lighting',
      agencyId: 'dinas-perhubungan',
      identity: 'named',
      status: 'received',
      location: { text: 'Jalan Melati 5, Sukamaju' },
      reporter: { channel: 'test', channelUserId: 'john', email: 'warga@contoh.id' },
    });
    expect(stored.reporter.phone).toBeUndefined();
    expect(await sessionOf(env, 'john')).toEqual({ lang: 'en' });
  });

  test('shared coordinates and a photo are stored on the case', async () => {
    await talk(env, 'dewi')
      .say('sampah di pinggir pasar sudah seminggu tidak diangkut dan bau sekali')
      .say('ya')
      .send({ location: { lat: -6.2146, lon: 106.8451 } })
      .expect('Ada foto pendukung?')
      .send({ attachments: [{ kind: 'photo', ref: 'file123' }] })
      .expect('Foto diterima.')
      .expect('Bagaimana identitas Anda ditampilkan?')
      .choose('Rahasia')
      .choose('skip')
      .expect('• Lokasi: -6.21460, 106.84510')
      .expect('• Foto: 1')
      .expect('• Identitas: Rahasia')
      .choose('confirm')
      .expect(TRACKING_ID);

    const stored = await onlyCaseOf(env, 'dewi');
    expect(stored.location).toEqual({ lat: -6.2146, lon: 106.8451 });
    expect(stored.attachments).toEqual([{ kind: 'photo', ref: 'file123' }]);
    expect(stored.identity).toBe('confidential');
    expect(stored.category).toBe('waste_environment');
  });

  test('a too-short description is asked for more, then accepted (id and en)', async () => {
    await talk(env, 'budi')
      .say('sampah numpuk')
      .expect(/^Ceritanya masih terlalu singkat untuk ditindaklanjuti\./)
      .expectNot('Benar?')
      .check(async () =>
        expect((await sessionOf(env, 'budi'))?.dialog).toMatchObject({
          kind: 'intake',
          step: 'description',
        }),
      )
      .say('di pinggir pasar sudah seminggu tidak diangkut dan bau sekali')
      .expect('Sepertinya ini tentang: Sampah dan lingkungan. Benar?')
      .check(async () =>
        expect((await sessionOf(env, 'budi'))?.dialog).toMatchObject({
          step: 'category',
          draft: {
            text: 'sampah numpuk\ndi pinggir pasar sudah seminggu tidak diangkut dan bau sekali',
          },
        }),
      );

    await talk(env, 'mary')
      .say('trash everywhere')
      .expect('That is a bit short to act on. Could you add what happened and where?')
      .say('next to the market, not collected for a week and it stinks')
      .expect('This looks like: Waste and environment. Is that right?');
    expect((await env.backend.queries.list({})).cases).toEqual([]);
  });

  test('a rejected category is picked from the top choices (button), and stored', async () => {
    await talk(env, 'agus')
      .say('sampah di pinggir pasar sudah seminggu tidak diangkut dan bau sekali')
      .say('tidak')
      .expect('Pilih kategori yang paling sesuai:')
      .check((x) => {
        const values = choiceValues(x);
        // The top candidates (at most 3) and "other".
        expect(values.length).toBeGreaterThanOrEqual(2);
        expect(values.length).toBeLessThanOrEqual(4);
        expect(values.at(-1)).toBe('category:other');
        expect(values).toContain('category:transport_traffic');
        for (const v of values) expect(v).toMatch(/^category:[a-z_]+$/);
      })
      .choose('Lalu lintas dan angkutan')
      .expect(/^Di mana lokasinya\?/)
      .say('Pasar Baru, Jl. Sudirman')
      .say('lewati')
      .say('terbuka')
      .say('lewati')
      .expect('• Kategori: Lalu lintas dan angkutan')
      .say('kirim')
      .expect('Laporan diteruskan ke Dinas Perhubungan.');

    expect(await onlyCaseOf(env, 'agus')).toMatchObject({
      category: 'transport_traffic',
      agencyId: 'dinas-perhubungan',
    });
  });

  test('en: "no" to the category, then "Other" typed: the case goes to the triage desk', async () => {
    await talk(env, 'kate')
      .say('trash next to the market has not been collected for a week and it stinks')
      .say('no')
      .expect('Pick the category that fits best:')
      .expect('[Other]')
      .say('Other')
      .expect(/^Where is it\?/)
      .say('Pasar Baru, Jalan Sudirman')
      .say('skip')
      .say('anonymous')
      .say('skip')
      .expect('• Category: Other')
      .say('send')
      .expect('sent to Complaint verification desk.');

    expect(await onlyCaseOf(env, 'kate')).toMatchObject({
      category: 'other',
      agencyId: 'triage',
      identity: 'anonymous',
    });
  });

  test('an invalid contact is asked again; a valid e-mail is accepted', async () => {
    const bad =
      'Nomor HP atau email itu sepertinya tidak valid. Contoh: 0812 3456 7890 atau nama@contoh.id. Atau pilih Lewati. [Lewati]';
    await talk(env, 'rina')
      .say('lampu jalan di gang kami mati sudah dua minggu, gelap sekali')
      .say('ya')
      .say('Gang Mawar dekat masjid')
      .say('lewati')
      .say('terbuka')
      .say('nomor saya 123')
      .expect(bad)
      .say('budi@@contoh')
      .expect(bad)
      .say('0712 3456 7890') // not a mobile number
      .expect(bad)
      .say('budi@contoh.co.id')
      .expect('• Kontak: budi@contoh.co.id')
      .choose('confirm');

    const stored = await onlyCaseOf(env, 'rina');
    expect(stored.reporter.email).toBe('budi@contoh.co.id');
    expect(stored.reporter.phone).toBeUndefined();
  });

  test('en: an invalid phone is asked again; +62 with spaces and dashes is normalised', async () => {
    await talk(env, 'tom')
      .say('the street light in front of my house has been broken for two weeks')
      .say('yes')
      .say('Jalan Kenanga 12')
      .say('skip')
      .say('named')
      .say('my number is 123')
      .expect(/^That phone number or email does not look valid\./)
      .say('+62 812-3456-7890')
      .expect('• Contact: +6281234567890')
      .say('send');

    expect((await onlyCaseOf(env, 'tom')).reporter.phone).toBe('+6281234567890');
  });

  test('"batal" midway: nothing stored, dialog gone, polite reply with the menu', async () => {
    await talk(env, 'yanti')
      .say('lampu jalan di gang kami mati sudah dua minggu, gelap sekali')
      .say('ya')
      .check(async () => expect((await sessionOf(env, 'yanti'))?.dialog).toBeDefined())
      .say('batal')
      .expect(/^Baik, dibatalkan\. Tidak ada yang dikirim\./)
      .check((x) => expect(choiceValues(x)).toEqual(MENU_VALUES));

    expect((await env.backend.queries.list({})).cases).toEqual([]);
    expect(await sessionOf(env, 'yanti')).toEqual({ lang: 'id' });
  });

  test('"cancel" midway in English, and the Cancel button on the summary', async () => {
    await talk(env, 'sam')
      .say('the street light in our lane has been off for two weeks')
      .say('yes')
      .say('Jalan Kenanga 12')
      .say('cancel')
      .expect(/^Okay, cancelled\. Nothing was sent\./)
      .expect('[Report a problem]');
    expect((await sessionOf(env, 'sam'))?.dialog).toBeUndefined();

    await talk(env, 'sam')
      .say('the street light in our lane has been off for two weeks')
      .say('yes')
      .say('Jalan Kenanga 12')
      .say('skip')
      .say('named')
      .say('skip')
      .expect('Send this report?')
      .choose('Cancel')
      .expect('Okay, cancelled. Nothing was sent.');
    expect((await sessionOf(env, 'sam'))?.dialog).toBeUndefined();
    expect((await env.backend.queries.list({})).cases).toEqual([]);
  });

  test('edit before confirm: a new location in the summary and on the case', async () => {
    await talk(env, 'eko')
      .say('lampu jalan di gang kami mati sudah dua minggu, gelap sekali')
      .say('ya')
      .say('Gang Mawar dekat masjid')
      .choose('skip')
      .choose('Terbuka')
      .choose('skip')
      .expect('• Lokasi: Gang Mawar dekat masjid')
      .choose('Ubah')
      .expect('Bagian mana yang ingin diubah?')
      .expect('[Masalah] [Kategori] [Lokasi] [Foto] [Identitas] [Kontak]')
      .choose('Lokasi')
      .expect(/^Di mana lokasinya\?/)
      .say('Jl. Anggrek No. 7, RT 01/RW 04')
      // Straight back to the summary, not through the remaining steps.
      .expect(/^Ringkasan laporan:/)
      .expect('• Lokasi: Jl. Anggrek No. 7, RT 01/RW 04')
      .expectNot('Gang Mawar')
      .choose('Kirim')
      .expect(TRACKING_ID);

    const stored = await onlyCaseOf(env, 'eko');
    expect(stored.location).toEqual({ text: 'Jl. Anggrek No. 7, RT 01/RW 04' });
    expect(stored.identity).toBe('named');
  });

  /** An English report up to the summary, then "edit". */
  const toEdit = (user: string) =>
    talk(env, user)
      .say('the street light in our lane has been off for two weeks')
      .say('yes')
      .say('Jalan Kenanga 12')
      .say('skip')
      .say('named')
      .say('skip')
      .say('edit')
      .expect('Which part do you want to change?');

  test('en: edit the identity before sending', async () => {
    await toEdit('liz')
      .choose('Identity')
      .choose('Confidential')
      .expect('• Identity: Confidential')
      .expect('• Location: Jalan Kenanga 12')
      .say('send');
    expect((await onlyCaseOf(env, 'liz')).identity).toBe('confidential');
  });

  test('a crafted edit value naming no part (edit:constructor) asks which part again', async () => {
    await toEdit('mallory')
      .send({ action: 'edit:constructor', text: 'constructor' })
      .expect('Which part do you want to change?')
      .choose('Identity')
      .choose('Anonymous')
      .say('send');
    expect((await onlyCaseOf(env, 'mallory')).identity).toBe('anonymous');
  });

  // BUG: sharing coordinates while editing the location keeps the previous typed address
  // (src/core/dialogs/intake.ts, `d.location = { ...d.location, lat, lon }`), so the case says
  // "Jalan Kenanga 12" and points somewhere else.
  test('en: editing the location by sharing coordinates replaces the old address', async () => {
    await talk(env, 'ann')
      .say('the street light in our lane has been off for two weeks')
      .say('yes')
      .say('Jalan Kenanga 12')
      .say('skip')
      .say('anonymous')
      .say('skip')
      .choose('Edit')
      .choose('Location')
      .send({ location: { lat: -6.9, lon: 107.6 } })
      .expect('• Location: -6.90000, 107.60000')
      .expectNot('Kenanga')
      .say('send');
    expect((await onlyCaseOf(env, 'ann')).location).toEqual({ lat: -6.9, lon: 107.6 });
  });
});

describe('aspiration', () => {
  test('id: a suggestion is filed as an aspiration', async () => {
    const c = talk(env, 'wati');
    await c
      .say('sebaiknya ada bus sekolah gratis di kecamatan kami')
      .expect('Sepertinya ini tentang: Pendidikan. Benar?')
      .say('ya')
      .say('Kecamatan Cibeunying')
      .say('lewati')
      .say('anonim')
      .say('lewati')
      .say('kirim')
      .expect(/^Terima kasih, aspirasi Anda tercatat dengan nomor ADU-[0-9A-HJKMNP-TV-Z]{6}/)
      .expect('diteruskan ke Dinas Pendidikan.')
      .expect('Batas verifikasi: Rabu, 2 Desember 2026.')
      .expectNot('laporan Anda');

    expect(await onlyCaseOf(env, 'wati')).toMatchObject({
      trackingId: trackingIdIn(c),
      kind: 'aspiration',
      text: 'sebaiknya ada bus sekolah gratis di kecamatan kami',
      category: 'education',
      agencyId: 'dinas-pendidikan',
    });
  });

  test('en: a suggestion is filed as an aspiration', async () => {
    await talk(env, 'paul')
      .say('it would be great if there were free school buses in our district')
      .say('yes')
      .say('Cibeunying district')
      .say('skip')
      .say('anonymous')
      .say('skip')
      .say('send')
      .expect(/^Thank you, your suggestion is recorded as ADU-[0-9A-HJKMNP-TV-Z]{6}/)
      .expect('sent to Education Department.');
    expect(await onlyCaseOf(env, 'paul')).toMatchObject({ kind: 'aspiration', language: 'en' });
  });
});

describe('emergency', () => {
  test('id: advice to call 112 first, and the case is urgent', async () => {
    const c = talk(env, 'joko');
    await c
      .say('rumah tetangga kebakaran, api besar, tolong!')
      .check((x) =>
        expect(x.last[0]?.text).toMatch(/^Jika ada bahaya bagi nyawa, segera telepon 112/),
      )
      .expect('Sepertinya ini tentang: Bencana dan kebakaran. Benar?')
      .say('ya')
      .say('Jl. Kenari 3 RT 05')
      .say('lewati')
      .say('terbuka')
      .say('lewati')
      .say('kirim')
      .expect('diteruskan ke BPBD dan Pemadam Kebakaran.');

    expect(await onlyCaseOf(env, 'joko')).toMatchObject({
      trackingId: trackingIdIn(c),
      priority: 'urgent',
      category: 'disaster_fire',
      agencyId: 'bpbd-damkar',
    });
  });

  test('en: advice to call 112 first', async () => {
    await talk(env, 'mike')
      .say("my neighbour's house is on fire, big flames, help!")
      .expect(/^If a life is in danger, call 112 now/)
      .expect('This looks like: Disasters and fires.')
      .check(async () =>
        expect((await sessionOf(env, 'mike'))?.dialog).toMatchObject({ draft: { urgent: true } }),
      );
  });

  test('an ordinary complaint is not urgent and says nothing about 112', async () => {
    await talk(env, 'nina')
      .say('lampu jalan di gang kami mati sudah dua minggu, gelap sekali')
      .expectNot('112')
      .say('ya')
      .say('Gang Mawar dekat masjid')
      .say('lewati')
      .say('terbuka')
      .say('lewati')
      .say('kirim');
    expect((await onlyCaseOf(env, 'nina')).priority).toBe('normal');
  });
});

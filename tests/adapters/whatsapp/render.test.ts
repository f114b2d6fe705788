import {
  distinctTitles,
  LIMITS,
  type OutgoingMessage,
  renderReply,
  shortenLabel,
  splitForBody,
  templateMessage,
} from '../../../adapters/whatsapp/render';

const choice = (label: string, value = label.toLowerCase()) => ({ label, value });
const interactive = (m: OutgoingMessage | undefined) =>
  m?.type === 'interactive' ? m.interactive : undefined;

describe('distinctTitles', () => {
  test('labels that shorten to the same title are numbered; the others stay as they are', () => {
    const titles = distinctTitles(
      ['Jalan rusak di depan sekolah', 'Ya', 'Jalan rusak di depan pasar'],
      20,
    );
    expect(titles).toEqual(['1. Jalan rusak di…', 'Ya', '3. Jalan rusak di…']);
    expect(new Set(titles).size).toBe(3);
    expect(titles.every((t) => t.length <= 20)).toBe(true);
  });

  test('buttons and list rows of a rendered reply never share a title', () => {
    const similar = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        choice(`Laporan jalan berlubang nomor ${i + 1}`, `r${i}`),
      );
    for (const n of [3, 12]) {
      const shown = renderReply({ text: 'Pilih', choices: similar(n) }, 'id').flatMap((m) => {
        const i = interactive(m);
        if (i?.type === 'button') return i.action.buttons.map((b) => b.reply.title);
        if (i?.type === 'list') return i.action.sections.flatMap((s) => s.rows.map((r) => r.title));
        return [];
      });
      expect(shown).toHaveLength(n);
      expect(new Set(shown).size).toBe(n);
    }
  });
});

describe('shortenLabel', () => {
  test.each([
    ['Ya', 20, 'Ya'],
    ['Bicara dengan petugas', 20, 'Bicara dengan…'],
    ['Jalan, jembatan, dan saluran air', 24, 'Jalan, jembatan, dan…'],
    ['Civil registry (ID card, family card, certificates)', 24, 'Civil registry (ID…'],
    ['Kependudukan (KTP, KK, akta)', 20, 'Kependudukan (KTP…'],
    ['Laporkan masalah', 20, 'Laporkan masalah'],
    ['  Cek   status  laporan ', 20, 'Cek status laporan'],
  ])('%j at most %i: %j', (label, max, expected) => {
    const short = shortenLabel(label, max);
    expect(short).toBe(expected);
    expect(short.length).toBeLessThanOrEqual(max);
  });

  test('cuts only at word boundaries, and always shows it cut', () => {
    for (const label of [
      'Perilaku aparatur (pungli, pelayanan)',
      'Bantuan sosial dan pemberdayaan',
    ]) {
      // From the length where the first word and the mark fit (below it, see the next test).
      for (let max = label.indexOf(' ') + 1; max < label.length; max++) {
        const short = shortenLabel(label, max);
        expect(short.length).toBeLessThanOrEqual(max);
        expect(short.endsWith('…')).toBe(true);
        // What is kept is whole words of the label.
        const kept = short.slice(0, -1);
        expect(label.startsWith(kept)).toBe(true);
        expect([' ', ',', undefined]).toContain(label[kept.length]);
      }
    }
  });

  test('a first word longer than the limit is the one thing cut inside a word, with the mark', () => {
    expect(shortenLabel('Ketenagakerjaan', 10)).toBe('Ketenagak…');
  });
});

describe('renderReply', () => {
  test('a text as one text message, links not previewed', () => {
    expect(
      renderReply(
        { text: 'Baca ini', link: { title: 'KTP', url: 'https://kota.go.id/ktp' } },
        'id',
      ),
    ).toEqual([
      { type: 'text', text: { body: 'Baca ini\n🔗 https://kota.go.id/ktp', preview_url: false } },
    ]);
    expect(renderReply({ text: '   ' }, 'id')).toEqual([]);
  });

  test('a long text is split into messages of at most 4,096 characters on line boundaries', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `Baris ${i}: ${'x'.repeat(20)}`);
    const out = renderReply({ text: lines.join('\n') }, 'id');
    expect(out.length).toBeGreaterThan(1);
    const bodies = out.map((m) => (m.type === 'text' ? m.text.body : ''));
    for (const body of bodies) expect(body.length).toBeLessThanOrEqual(LIMITS.text);
    // Nothing lost, no line cut in two.
    expect(bodies.join('\n')).toBe(lines.join('\n'));
  });

  test('up to three choices as reply buttons', () => {
    const [m] = renderReply(
      { text: 'Benar?', choices: [choice('Ya', 'yes'), choice('Tidak', 'no')] },
      'id',
    );
    expect(m).toEqual({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Benar?' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'yes', title: 'Ya' } },
            { type: 'reply', reply: { id: 'no', title: 'Tidak' } },
          ],
        },
      },
    });
  });

  test('a button label over 20 characters is shortened, and the full labels are listed in the body', () => {
    const [m] = renderReply(
      {
        text: 'Lanjut?',
        choices: [
          choice('Laporkan masalah', 'menu:report'),
          choice('Bicara dengan petugas', 'menu:agent'),
        ],
      },
      'id',
    );
    const i = interactive(m);
    expect(i?.type).toBe('button');
    if (i?.type !== 'button') return;
    expect(i.action.buttons.map((b) => b.reply.title)).toEqual([
      'Laporkan masalah',
      'Bicara dengan…',
    ]);
    expect(i.body.text).toBe('Lanjut?\n• Laporkan masalah\n• Bicara dengan petugas');
  });

  test('four to ten choices as one list; rows shortened to 24 with the full label as description', () => {
    const labels = [
      'Jalan, jembatan, dan saluran air',
      'Lampu penerangan jalan (PJU)',
      'Sampah dan lingkungan',
      'Lainnya',
    ];
    const out = renderReply(
      { text: 'Pilih kategori:', choices: labels.map((l) => choice(l)) },
      'id',
    );
    expect(out).toHaveLength(1);
    const i = interactive(out[0]);
    expect(i?.type).toBe('list');
    if (i?.type !== 'list') return;
    expect(i.body.text).toBe('Pilih kategori:');
    expect(i.action.button).toBe('Pilih');
    expect(i.action.sections[0]?.rows).toEqual([
      {
        id: 'jalan, jembatan, dan saluran air',
        title: 'Jalan, jembatan, dan…',
        description: 'Jalan, jembatan, dan saluran air',
      },
      {
        id: 'lampu penerangan jalan (pju)',
        title: 'Lampu penerangan jalan…',
        description: 'Lampu penerangan jalan (PJU)',
      },
      { id: 'sampah dan lingkungan', title: 'Sampah dan lingkungan' },
      { id: 'lainnya', title: 'Lainnya' },
    ]);
  });

  test('more than ten choices: lists of ten rows each, in order', () => {
    const choices = Array.from({ length: 16 }, (_, i) => choice(`Pilihan ${i + 1}`, `c:${i + 1}`));
    const out = renderReply({ text: 'Pilih:', choices }, 'en');
    expect(out).toHaveLength(2);
    const rows = out.map((m) => {
      const i = interactive(m);
      return i?.type === 'list' ? i.action.sections.flatMap((s) => s.rows.map((r) => r.id)) : [];
    });
    expect(rows[0]).toHaveLength(10);
    expect(rows.flat()).toEqual(choices.map((c) => c.value));
    expect(interactive(out[1])?.body.text).toBe('More choices:');
  });

  test('the location step as a location request message; with choices, after them', () => {
    expect(renderReply({ text: 'Di mana lokasinya?', requestLocation: true }, 'id')).toEqual([
      {
        type: 'interactive',
        interactive: {
          type: 'location_request_message',
          body: { text: 'Di mana lokasinya?' },
          action: { name: 'send_location' },
        },
      },
    ]);
    const both = renderReply(
      { text: 'Lokasi?', requestLocation: true, choices: [choice('Lewati', 'skip')] },
      'en',
    );
    expect(both.map((m) => interactive(m)?.type)).toEqual(['button', 'location_request_message']);
    expect(interactive(both[1])?.body.text).toMatch(/Share the location/);
  });

  test('a body too long for buttons: the text before them as text messages', () => {
    const text = Array.from({ length: 80 }, (_, i) => `Baris nomor ${i} dari ringkasan`).join('\n');
    const out = renderReply({ text, choices: [choice('Kirim', 'confirm')] }, 'id');
    const last = interactive(out.at(-1));
    expect(last?.type).toBe('button');
    expect(last?.body.text.length).toBeLessThanOrEqual(LIMITS.shortBody);
    const shown = out.map((m) =>
      m.type === 'text' ? m.text.body : (interactive(m)?.body.text ?? ''),
    );
    expect(shown.join('\n')).toBe(text);
  });

  test('splitForBody keeps the last part within the limit', () => {
    expect(splitForBody('a\nb', 1)).toEqual({ head: ['a'], tail: 'b' });
    expect(splitForBody('short', 1024)).toEqual({ head: [], tail: 'short' });
  });
});

describe('templateMessage', () => {
  const template = { name: 'suara_status', languages: ['id', 'en_US'] };

  test('the tracking id and the status as body parameters, in the citizen’s language', () => {
    expect(templateMessage(template, 'en', 'ADU-7K3M9Q', 'verified')).toEqual({
      type: 'template',
      template: {
        name: 'suara_status',
        language: { code: 'en_US' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'ADU-7K3M9Q' },
              { type: 'text', text: 'verified' },
            ],
          },
        ],
      },
    });
  });

  test('a language the template is not approved in falls back to the first', () => {
    const m = templateMessage({ name: 't', languages: ['id'] }, 'en', 'ADU-7K3M9Q', 'x');
    expect(m.type === 'template' && m.template.language.code).toBe('id');
  });
});

import { parseXml, roadForm, startOpen311 } from './helpers';

let h: Awaited<ReturnType<typeof startOpen311>>;
beforeEach(async () => {
  h = await startOpen311();
});
afterEach(() => h.stop());

const REQUEST_FIELDS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
];

type RequestJson = Record<string, unknown> & { service_request_id: string };

async function list(query = ''): Promise<RequestJson[]> {
  const res = await h.get(`/requests.json${query}`);
  expect(res.status).toBe(200);
  return res.json() as RequestJson[];
}
const ids = (requests: RequestJson[]) => requests.map((r) => r.service_request_id);

const STAFF = { type: 'staff' as const, id: 'U0STAFF' };

describe('GET requests/{service_request_id}', () => {
  test('JSON: a one-element list with every field, local datetimes, the public note', async () => {
    const post = await h.post(
      '/requests.json',
      roadForm(h.key, {
        address_string: 'Jl. Merdeka 10',
        media_url: 'https://img.example.org/p/1.jpg',
        first_name: 'Budi',
        phone: '081234567890',
      }),
    );
    const [{ service_request_id: id } = { service_request_id: '' }] = post.json() as RequestJson[];
    h.clock.advance(3_600_000);
    await h.service.cases.act(id, { type: 'verify', note: 'Internal: cek anggaran dulu' }, STAFF);
    await h.service.cases.act(
      id,
      { type: 'note', note: 'Diteruskan ke tim lapangan', public: true },
      STAFF,
    );

    const res = await h.get(`/requests/${id}.json`);
    expect(res.status).toBe(200);
    const [r, ...rest] = res.json() as RequestJson[];
    expect(rest).toEqual([]);
    expect(Object.keys(r ?? {})).toEqual(REQUEST_FIELDS);
    expect(r).toEqual({
      service_request_id: id,
      status: 'open',
      status_notes: 'Diteruskan ke tim lapangan',
      service_name: 'Jalan, jembatan, dan saluran air',
      service_code: 'roads_drainage',
      description: 'Jalan di depan sekolah berlubang besar dan dalam, motor sering jatuh',
      agency_responsible: 'Dinas Pekerjaan Umum dan Penataan Ruang',
      service_notice: expect.stringMatching(/^Ditangani oleh Dinas Pekerjaan Umum/),
      requested_datetime: '2026-11-27T09:00:00+07:00',
      updated_datetime: '2026-11-27T10:00:00+07:00',
      // Verified on Friday: follow-up within 5 working days, by the end of Friday 4 Dec (WIB).
      expected_datetime: '2026-12-04T23:59:59+07:00',
      address: 'Jl. Merdeka 10',
      address_id: null,
      zipcode: null,
      lat: -6.1754,
      long: 106.8272,
      media_url: 'https://img.example.org/p/1.jpg',
    });
    // Neither internal notes nor the reporter's contact details are ever part of a request.
    expect(res.text).not.toMatch(/anggaran|Budi|081234567890/);
  });

  test('XML: <service_requests><request> with the specification elements, in English', async () => {
    const c = await h.openCase({
      text: 'Lampu jalan mati <sejak> "kemarin" & gelap',
      category: 'street_lighting',
    });
    const res = await h.get(`/requests/${c.trackingId.toLowerCase()}.xml?locale=en`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/xml; charset=utf-8');
    const doc = parseXml(res.text) as { service_requests: { request: Record<string, string>[] } };
    const [r] = doc.service_requests.request;
    expect(Object.keys(r ?? {})).toEqual(REQUEST_FIELDS);
    expect(r).toMatchObject({
      service_request_id: c.trackingId,
      status: 'open',
      status_notes: '',
      service_name: 'Street lights',
      description: 'Lampu jalan mati <sejak> "kemarin" & gelap',
      agency_responsible: 'Transportation Department',
      media_url: '',
      lat: '-6.2',
    });
  });

  test('tracking ids are read tolerantly; unknown, malformed and confidential ones are 404', async () => {
    const c = await h.openCase();
    const typed = c.trackingId.replace('ADU-', 'adu');
    expect((await h.get(`/requests/${typed}.json`)).status).toBe(200);
    const secret = await h.openCase({
      identity: 'confidential',
      text: 'Ada pungli di kantor kelurahan, saya takut',
      category: 'civil_servant_conduct',
    });
    const handoff = await h.openCase({ kind: 'handoff', text: 'saya mau bicara dengan petugas' });
    for (const id of ['ADU-ZZZZZZ', 'nonsense', secret.trackingId, handoff.trackingId]) {
      const res = await h.get(`/requests/${id}.json`);
      expect(res.status).toBe(404);
      expect(res.json()).toEqual([
        { code: 404, description: `service_request_id ${id} not found` },
      ]);
      expect(res.text).not.toContain('pungli');
    }
  });

  test('closed statuses, and a rejection note as status_notes', async () => {
    const c = await h.openCase();
    await h.service.cases.act(c.trackingId, { type: 'reject', note: 'Jalan milik swasta' }, STAFF);
    const [r] = (await h.get(`/requests/${c.trackingId}.json`)).json() as RequestJson[];
    expect(r).toMatchObject({
      status: 'closed',
      status_notes: 'Jalan milik swasta',
      expected_datetime: null,
    });
  });
});

describe('GET tokens/{token}', () => {
  test('the token of a realtime request is its id (JSON and XML); unknown is 404', async () => {
    const c = await h.openCase();
    const json = await h.get(`/tokens/${c.trackingId}.json`);
    expect(json.json()).toEqual([{ service_request_id: c.trackingId, token: c.trackingId }]);
    const xml = parseXml((await h.get(`/tokens/${c.trackingId}.xml`)).text);
    expect(xml.service_requests).toEqual({
      request: [{ service_request_id: c.trackingId, token: c.trackingId }],
    });
    expect((await h.get('/tokens/ADU-ZZZZZZ.json')).status).toBe(404);
  });
});

describe('GET requests', () => {
  test('newest first; confidential cases and hand-offs are never listed', async () => {
    const a = await h.openCase();
    h.clock.advance(60_000);
    const secret = await h.openCase({
      identity: 'confidential',
      text: 'Rahasia: pungli di kelurahan',
    });
    await h.openCase({ kind: 'handoff', text: 'saya mau bicara dengan petugas' });
    h.clock.advance(60_000);
    const b = await h.openCase({ identity: 'anonymous', category: 'waste_environment' });
    const all = await list();
    expect(ids(all)).toEqual([b.trackingId, a.trackingId]);
    expect(Object.keys(all[0] ?? {})).toEqual(REQUEST_FIELDS);
    const asked = await h.get(
      `/requests.json?service_request_id=${secret.trackingId},${a.trackingId}`,
    );
    expect(ids(asked.json() as RequestJson[])).toEqual([a.trackingId]);
    expect(asked.text).not.toContain('Rahasia');
    const xml = parseXml((await h.get('/requests.xml')).text) as {
      service_requests: { request: { service_request_id: string }[] };
    };
    expect(xml.service_requests.request.map((r) => r.service_request_id)).toEqual([
      b.trackingId,
      a.trackingId,
    ]);
  });

  test("an anonymous reporter's personal data never appears; nobody's contact details do", async () => {
    await h.openCase({
      identity: 'anonymous',
      text: 'Saluran mampet, NIK saya 3201012345670001, hubungi 0812-3456-7890 atau siti@example.id',
      location: { text: 'Gang Mawar, rumah 0813 9999 0000' },
      reporter: {
        channel: 'telegram',
        channelUserId: 'tg-user-77',
        name: 'Siti Rahasia',
        phone: '0811111111',
      },
    });
    await h.openCase({
      reporter: { channel: 'telegram', channelUserId: 'tg-user-78', email: 'named@example.id' },
    });
    for (const format of ['json', 'xml']) {
      const res = await h.get(`/requests.${format}`);
      for (const secret of [
        '3201012345670001',
        '0812-3456-7890',
        'siti@example.id',
        '0813 9999 0000',
      ]) {
        expect(res.text).not.toContain(secret);
      }
      for (const contact of ['Siti', '0811111111', 'named@example.id', 'tg-user', 'telegram']) {
        expect(res.text).not.toContain(contact);
      }
      expect(res.text).toContain('[nomor telepon disamarkan]');
    }
  });

  test('filters: service_code and status lists; service_request_id overrides the others', async () => {
    const road = await h.openCase();
    h.clock.advance(1000);
    const light = await h.openCase({ category: 'street_lighting' });
    h.clock.advance(1000);
    const waste = await h.openCase({ category: 'waste_environment' });
    await h.service.cases.act(waste.trackingId, { type: 'reject', note: 'Bukan wewenang' }, STAFF);
    expect(ids(await list('?service_code=street_lighting,roads_drainage'))).toEqual([
      light.trackingId,
      road.trackingId,
    ]);
    expect(ids(await list('?status=closed'))).toEqual([waste.trackingId]);
    expect(ids(await list('?status=open&service_code=waste_environment'))).toEqual([]);
    expect(ids(await list('?status=open&status=closed'))).toHaveLength(3);
    expect(ids(await list(`?service_request_id=${road.trackingId}&status=closed`))).toEqual([
      road.trackingId,
    ]);
    expect((await h.get('/requests.json?status=pending')).status).toBe(400);
    expect((await h.get('/requests.json?service_code=potholes')).status).toBe(404);
  });

  test('the latest 90 days by default; a window over 90 days is 400', async () => {
    const old = await h.openCase();
    h.clock.advance(91 * 86_400_000);
    const recent = await h.openCase();
    expect(ids(await list())).toEqual([recent.trackingId]);
    // A window around the old case finds it.
    expect(
      ids(await list('?start_date=2026-11-01T00:00:00Z&end_date=2026-12-01T00:00:00Z')),
    ).toEqual([old.trackingId]);
    expect(ids(await list('?start_date=2026-11-27'))).toEqual([old.trackingId]);
    expect(ids(await list('?end_date=2026-11-26T23:59:59%2B07:00'))).toEqual([]);
    const tooLong = await h.get(
      '/requests.xml?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z',
    );
    expect(tooLong.status).toBe(400);
    const doc = parseXml(tooLong.text) as {
      errors: { error: { code: string; description: string }[] };
    };
    expect(doc.errors.error).toEqual([
      { code: '400', description: 'start_date and end_date may not span more than 90 days' },
    ]);
    for (const bad of [
      'start_date=yesterday',
      'end_date=2026-02-30',
      'start_date=2026-11-27T09:00:00',
    ]) {
      expect((await h.get(`/requests.json?${bad}`)).status).toBe(400);
    }
    expect((await h.get('/requests.json?start_date=2026-12-01&end_date=2026-11-01')).status).toBe(
      400,
    );
  });

  test('pages: page_size and page, a Link to the next page, bounds checked', async () => {
    const opened = [];
    for (let i = 0; i < 5; i++) {
      opened.push((await h.openCase()).trackingId);
      h.clock.advance(1000);
    }
    const newest = opened.reverse();
    const first = await h.get('/requests.json?page_size=2');
    expect(ids(first.json() as RequestJson[])).toEqual(newest.slice(0, 2));
    expect(first.headers.get('link')).toBe(
      `</open311/v2/requests.json?page_size=2&page=2>; rel="next"`,
    );
    expect(ids(await list('?page_size=2&page=2'))).toEqual(newest.slice(2, 4));
    const last = await h.get('/requests.json?page_size=2&page=3');
    expect(ids(last.json() as RequestJson[])).toEqual(newest.slice(4));
    expect(last.headers.get('link')).toBeNull();
    expect(await list('?page_size=2&page=4')).toEqual([]);
    for (const bad of ['page_size=0', 'page_size=201', 'page=0', 'page=51', 'page=x']) {
      expect((await h.get(`/requests.json?${bad}`)).status).toBe(400);
    }
  });
});

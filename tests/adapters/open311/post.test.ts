import { request } from 'node:http';
import { OPEN311_CHANNEL } from '../../../src/cases/types';
import { parseXml, roadForm, startOpen311 } from './helpers';

let h: Awaited<ReturnType<typeof startOpen311>>;
beforeEach(async () => {
  h = await startOpen311();
});
afterEach(() => h.stop());

type Errors = { code: number; description: string }[];

describe('POST requests', () => {
  test('creates a case routed to its agency and answers the tracking id at once (JSON)', async () => {
    const res = await h.post('/requests.json', roadForm(h.key, { account_id: 'acct-42' }));
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json; charset=utf-8');
    const body = res.json() as Record<string, unknown>[];
    expect(body).toHaveLength(1);
    expect(Object.keys(body[0] ?? {})).toEqual([
      'service_request_id',
      'service_notice',
      'account_id',
    ]);
    const id = String(body[0]?.service_request_id);
    expect(id).toMatch(/^ADU-[0-9A-HJKMNP-TV-Z]{6}$/);
    expect(body[0]?.account_id).toBe('acct-42');
    expect(body[0]?.service_notice).toBe(
      'Ditangani oleh Dinas Pekerjaan Umum dan Penataan Ruang: diverifikasi dalam 3 hari kerja, lalu ditindaklanjuti dalam 5 hari kerja.',
    );

    const c = await h.service.backend.cases.get(id);
    expect(c).toMatchObject({
      kind: 'complaint',
      category: 'roads_drainage',
      agencyId: 'dinas-pupr',
      status: 'received',
      language: 'id',
      identity: 'anonymous',
      location: { lat: -6.1754, lon: 106.8272 },
      reporter: {
        channel: OPEN311_CHANNEL,
        channelUserId: h.keyId,
        ref: { account_id: 'acct-42' },
      },
    });
    expect(c?.reporter.name).toBeUndefined();
    const [created] = await h.service.backend.cases.events(id);
    expect(created).toMatchObject({
      type: 'created',
      public: false,
      actor: { type: 'system', id: `open311:${h.keyId}`, name: 'FixMyStreet' },
    });
    expect(created?.note).toBe(
      `Masuk lewat Open311 dari FixMyStreet (kunci API ${h.keyId}).\nJenis kerusakan: Jalan berlubang (pothole)`,
    );
  });

  test('XML answer: <service_requests><request>; contact details make it named', async () => {
    const res = await h.post(
      '/requests.xml',
      roadForm(h.key, {
        first_name: 'Budi',
        last_name: 'Santoso',
        email: 'budi@example.id',
        phone: '+62 812-3456-7890',
        locale: 'en-US',
        media_url: 'https://img.example.org/p/1.jpg',
        'attribute[width_m]': '2.5',
      }),
    );
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/xml; charset=utf-8');
    const doc = parseXml(res.text) as {
      service_requests: { request: Record<string, string>[] };
    };
    const [r] = doc.service_requests.request;
    expect(Object.keys(r ?? {})).toEqual(['service_request_id', 'service_notice', 'account_id']);
    expect(r?.account_id).toBe('');
    expect(r?.service_notice).toMatch(/^Handled by Public Works and Spatial Planning Department/);
    const c = await h.service.backend.cases.get(r?.service_request_id ?? '');
    expect(c).toMatchObject({
      identity: 'named',
      language: 'en',
      reporter: { name: 'Budi Santoso', email: 'budi@example.id', phone: '+62 812-3456-7890' },
      attachments: [{ kind: 'photo', ref: 'https://img.example.org/p/1.jpg' }],
    });
    const [created] = await h.service.backend.cases.events(c?.trackingId ?? '');
    expect(created?.note).toBe(
      [
        `Filed through Open311 by FixMyStreet (API key ${h.keyId}).`,
        'Kind of damage: Pothole (pothole)',
        'Estimated width of the damage: 2.5',
        'Media: https://img.example.org/p/1.jpg',
      ].join('\n'),
    );
  });

  test('a JSON body is accepted too, attributes as an object; an emergency is urgent', async () => {
    const res = await h.postJson('/requests.json', {
      api_key: h.key,
      service_code: 'disaster_fire',
      address_string: 'Jl. Kenanga 3, Kelurahan Menteng',
      description: 'Kebakaran rumah warga, api besar dan asap tebal, tolong segera',
      attribute: { hazards: ['fire', 'other'] },
    });
    expect(res.status).toBe(200);
    const [r] = res.json() as { service_request_id: string; service_notice: string }[];
    expect(r?.service_notice).toContain('hubungi 112');
    const c = await h.service.backend.cases.get(r?.service_request_id ?? '');
    expect(c).toMatchObject({
      category: 'disaster_fire',
      agencyId: 'bpbd-damkar',
      priority: 'urgent',
      location: { text: 'Jl. Kenanga 3, Kelurahan Menteng' },
    });
  });

  test('repeated attribute[code][] values answer a multi-value list', async () => {
    const res = await h.post('/requests.json', [
      ['api_key', h.key],
      ['service_code', 'disaster_fire'],
      ['lat', '-6.2'],
      ['long', '106.8'],
      ['description', 'Pohon tumbang menutup jalan setelah banjir'],
      ['attribute[hazards][]', 'fallen_tree'],
      ['attribute[hazards][]', 'flood'],
    ]);
    expect(res.status).toBe(200);
    const [r] = res.json() as { service_request_id: string }[];
    const [created] = await h.service.backend.cases.events(r?.service_request_id ?? '');
    expect(created?.note).toContain(
      'Apa yang terjadi: Pohon tumbang (fallen_tree), Banjir (flood)',
    );
  });

  test('without a key, with a wrong, revoked or staff key: 403, nothing created', async () => {
    const staff = await h.keys.create({ name: 'agency', kind: 'staff', agencies: ['dinas-pupr'] });
    const revoked = await h.keys.create({ name: 'old app', kind: 'open311' });
    await h.keys.revoke(revoked.record.id);
    const { api_key: _none, ...noKey } = roadForm(h.key);
    const wrong = `${h.key.slice(0, -4)}AAAA`;
    for (const form of [
      noKey,
      roadForm(wrong),
      roadForm('not-a-key'),
      roadForm(revoked.key),
      roadForm(staff.key),
    ]) {
      const res = await h.post('/requests.json', form);
      expect(res.status).toBe(403);
      const [e] = res.json() as Errors;
      expect(e).toEqual({ code: 403, description: expect.stringContaining('api_key') });
    }
    const xml = await h.post('/requests.xml', roadForm(revoked.key));
    expect(xml.status).toBe(403);
    const doc = parseXml(xml.text) as { errors: { error: { code: string }[] } };
    expect(doc.errors.error[0]?.code).toBe('403');
    expect(await h.service.backend.queries.count({})).toBe(0);
  });

  test('each invalid field is named in the 400 error list', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ service_code: '' }, 'service_code is required'],
      [{ description: '' }, 'description is required'],
      [{ description: 'x'.repeat(4001) }, 'description must be at most 4000 characters'],
      [{ lat: '', long: '' }, 'a location is required: lat and long, or address_string'],
      [{ lat: '91' }, 'lat must be a WGS84 latitude from -90 to 90'],
      [{ lat: 'abc' }, 'lat must be a WGS84 latitude from -90 to 90'],
      [{ long: '' }, 'lat and long must be sent together'],
      [
        { 'attribute[damage_kind]': '' },
        'attribute[damage_kind] is required for service_code roads_drainage',
      ],
      [{ 'attribute[damage_kind]': 'sinkhole' }, 'attribute[damage_kind] has no value "sinkhole"'],
      [{ 'attribute[width_m]': 'wide' }, 'attribute[width_m] must be a number from 0 to 1000'],
      [{ media_url: 'javascript:alert(1)' }, 'media_url must be an http or https URL'],
      [{ email: 'not an email' }, 'email must be an e-mail address'],
    ];
    for (const [change, message] of cases) {
      const res = await h.post('/requests.json', roadForm(h.key, change));
      expect([JSON.stringify(change), res.status]).toEqual([JSON.stringify(change), 400]);
      const errors = res.json() as Errors;
      expect(errors).toContainEqual({ code: 400, description: expect.stringContaining(message) });
    }
    // Several problems at once: one entry each.
    const many = await h.post('/requests.xml', {
      api_key: h.key,
      service_code: 'street_lighting',
      'attribute[lamp_count]': '0',
    });
    expect(many.status).toBe(400);
    const doc = parseXml(many.text) as { errors: { error: { description: string }[] } };
    expect(doc.errors.error.map((e) => e.description)).toEqual([
      'description is required',
      'a location is required: lat and long, or address_string',
      'attribute[light_problem] is required for service_code street_lighting',
      'attribute[lamp_count] must be a whole number from 1 to 100',
    ]);
    expect(await h.service.backend.queries.count({})).toBe(0);
  });

  test('an unknown service_code is 404; a body over 64 KiB is refused unread', async () => {
    const res = await h.post('/requests.json', roadForm(h.key, { service_code: 'potholes' }));
    expect(res.status).toBe(404);
    expect(res.json()).toEqual([{ code: 404, description: 'service_code potholes not found' }]);
    const big = await h.post('/requests.json', roadForm(h.key, { device_id: 'x'.repeat(70_000) }));
    expect(big.status).toBe(413);
    expect((big.json() as Errors)[0]?.description).toContain('larger than');
    const html = await h.post('/requests.html', roadForm(h.key));
    expect(html.status).toBe(404);
    expect(await h.service.backend.queries.count({})).toBe(0);
  });

  test('a chunked body (no Content-Length) is cut at 64 KiB with 413', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${h.service.url}/open311/v2/requests.json`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(new URLSearchParams(roadForm(h.key)).toString());
      const chunk = `&device_id=${'x'.repeat(16 * 1024)}`;
      const pump = (left: number) => {
        if (left === 0 || req.destroyed) return req.end();
        req.write(chunk, () => pump(left - 1));
      };
      pump(8);
    });
    expect(status).toBe(413);
    expect(await h.service.backend.queries.count({})).toBe(0);
  });

  test('no citizen notification is queued for the Open311 reporter, even when staff act', async () => {
    const res = await h.post('/requests.json', roadForm(h.key, { email: 'warga@example.id' }));
    const [r] = res.json() as { service_request_id: string }[];
    const id = r?.service_request_id ?? '';
    // The same staff actions on a Telegram citizen's case do queue their notifications.
    const control = await h.openCase();
    const staff = { type: 'staff' as const, id: 'U0STAFF' };
    for (const trackingId of [id, control.trackingId]) {
      await h.service.cases.act(trackingId, { type: 'verify' }, staff);
      await h.service.cases.act(
        trackingId,
        { type: 'note', note: 'Tim akan datang besok', public: true },
        staff,
      );
    }
    const queued = await h.service.backend.outbox.list({});
    expect(queued.some((m) => m.channel === OPEN311_CHANNEL)).toBe(false);
    expect(queued.filter((m) => m.trackingId === id)).toEqual([]);
    expect(queued.filter((m) => m.trackingId === control.trackingId).map((m) => m.channel)).toEqual(
      ['telegram', 'telegram'],
    );
  });
});

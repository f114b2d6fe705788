import { CATEGORIES } from '../../../src/taxonomy';
import { parseXml, startOpen311 } from './helpers';

let h: Awaited<ReturnType<typeof startOpen311>>;
beforeAll(async () => {
  h = await startOpen311();
});
afterAll(() => h.stop());

const SERVICE_FIELDS = [
  'service_code',
  'service_name',
  'description',
  'metadata',
  'type',
  'keywords',
  'group',
];

describe('GET services', () => {
  test('JSON: one realtime service per complaint category, in Indonesian by default', async () => {
    const res = await h.get('/services.json');
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json; charset=utf-8');
    const services = res.json() as Record<string, unknown>[];
    expect(services.map((s) => s.service_code)).toEqual([...CATEGORIES]);
    for (const s of services) {
      expect(Object.keys(s)).toEqual(SERVICE_FIELDS);
      expect(s.type).toBe('realtime');
      expect(typeof s.metadata).toBe('boolean');
      expect(String(s.keywords).split(',').length).toBeGreaterThan(1);
    }
    const roads = services.find((s) => s.service_code === 'roads_drainage');
    expect(roads).toMatchObject({
      service_name: 'Jalan, jembatan, dan saluran air',
      metadata: true,
      group: 'Infrastruktur',
    });
    expect(services.find((s) => s.service_code === 'health')?.metadata).toBe(false);
  });

  test('English with locale=en or en-US', async () => {
    for (const locale of ['en', 'en-US', 'en_GB']) {
      const services = (await h.get(`/services.json?locale=${locale}`)).json() as {
        service_code: string;
        service_name: string;
        group: string;
      }[];
      expect(services[0]).toMatchObject({
        service_code: 'roads_drainage',
        service_name: 'Roads, bridges and drains',
        group: 'Infrastructure',
      });
    }
  });

  test('XML: <services><service> with the specification element names', async () => {
    const res = await h.get('/services.xml?locale=en');
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/xml; charset=utf-8');
    const doc = parseXml(res.text) as { services: { service: Record<string, string>[] } };
    expect(doc.services.service).toHaveLength(CATEGORIES.length);
    const first = doc.services.service[0];
    expect(Object.keys(first ?? {})).toEqual(SERVICE_FIELDS);
    expect(first).toMatchObject({
      service_code: 'roads_drainage',
      metadata: 'true',
      type: 'realtime',
    });
  });

  test('an unknown format or resource is the 404 error list', async () => {
    const html = await h.get('/services.html');
    expect(html.status).toBe(404);
    expect(html.json()).toEqual([{ code: 404, description: expect.stringContaining('format') }]);
    const bare = await h.get('/services');
    expect(bare.status).toBe(404);
    const other = await h.get('/things.xml');
    expect(other.status).toBe(404);
    const doc = parseXml(other.text) as { errors: { error: { code: string }[] } };
    expect(doc.errors.error[0]?.code).toBe('404');
  });
});

describe('GET services/{service_code}', () => {
  test('JSON: the attributes of roads, with their values, in the locale', async () => {
    const res = await h.get('/services/roads_drainage.json?locale=en');
    expect(res.status).toBe(200);
    const def = res.json() as { service_code: string; attributes: Record<string, unknown>[] };
    expect(def.service_code).toBe('roads_drainage');
    const [kind, width] = def.attributes;
    expect(Object.keys(kind ?? {})).toEqual([
      'variable',
      'code',
      'datatype',
      'required',
      'datatype_description',
      'order',
      'description',
      'values',
    ]);
    expect(kind).toMatchObject({
      variable: true,
      code: 'damage_kind',
      datatype: 'singlevaluelist',
      required: true,
      order: 1,
      description: 'Kind of damage',
    });
    expect(kind?.values).toContainEqual({ key: 'pothole', name: 'Pothole' });
    expect(width).toMatchObject({ code: 'width_m', datatype: 'number', required: false, order: 2 });
    const id = (await h.get('/services/roads_drainage.json')).json() as typeof def;
    expect(id.attributes[0]?.values).toContainEqual({ key: 'pothole', name: 'Jalan berlubang' });
  });

  test('XML: <service_definition> with attributes, values and keys', async () => {
    const res = await h.get('/services/disaster_fire.xml');
    expect(res.status).toBe(200);
    const doc = parseXml(res.text) as {
      service_definition: {
        service_code: string;
        attributes: { attribute: Record<string, unknown>[] };
      };
    };
    expect(doc.service_definition.service_code).toBe('disaster_fire');
    const [info, hazards] = doc.service_definition.attributes.attribute;
    expect(info).toMatchObject({ variable: 'false', code: 'emergency', order: '1' });
    expect(String(info?.description)).toContain('112');
    expect(hazards).toMatchObject({
      code: 'hazards',
      datatype: 'multivaluelist',
      required: 'true',
    });
    const values = (hazards?.values as { value: { key: string; name: string }[] } | undefined)
      ?.value;
    expect(values).toContainEqual({ key: 'fire', name: 'Kebakaran' });
  });

  test('a service without attributes has an empty definition', async () => {
    const def = (await h.get('/services/health.json')).json();
    expect(def).toEqual({ service_code: 'health', attributes: [] });
  });

  test('an unknown service code is 404 with the error list (JSON and XML)', async () => {
    const res = await h.get('/services/potholes.json');
    expect(res.status).toBe(404);
    expect(res.json()).toEqual([{ code: 404, description: 'service_code potholes not found' }]);
    const xml = await h.get('/services/potholes.xml');
    expect(xml.status).toBe(404);
    expect(parseXml(xml.text)).toEqual({
      '?xml': expect.anything(),
      errors: { error: [{ code: '404', description: 'service_code potholes not found' }] },
    });
  });
});

describe('jurisdiction_id', () => {
  test('optional and ignored when the service has none configured', async () => {
    expect((await h.get('/services.json?jurisdiction_id=anything.example')).status).toBe(200);
  });

  test('when configured: the same one or none is fine, another one is 404', async () => {
    const j = await startOpen311({ open311JurisdictionId: 'kota-contoh.go.id' });
    try {
      expect((await j.get('/services.json')).status).toBe(200);
      expect((await j.get('/services.json?jurisdiction_id=kota-contoh.go.id')).status).toBe(200);
      expect((await j.get('/services.json?jurisdiction_id=')).status).toBe(200);
      const other = await j.get('/services.xml?jurisdiction_id=sfgov.org');
      expect(other.status).toBe(404);
      expect(other.text).toContain(
        '<description>jurisdiction_id sfgov.org not found</description>',
      );
      for (const path of [
        '/services/roads_drainage.json',
        '/requests.json',
        '/requests/ADU-7K3M9Q.json',
        '/tokens/ADU-7K3M9Q.json',
      ]) {
        expect((await j.get(`${path}?jurisdiction_id=sfgov.org`)).status).toBe(404);
      }
      const post = await j.post('/requests.json', {
        jurisdiction_id: 'sfgov.org',
        api_key: j.key,
        service_code: 'health',
        address_string: 'Puskesmas Menteng',
        description: 'Antrian sangat lama',
      });
      expect(post.status).toBe(404);
      expect(await j.service.backend.queries.count({})).toBe(0);
    } finally {
      await j.stop();
    }
  });
});

import { type StaffApiHarness, startStaffApi } from './harness';

describe('staff API: keys, scopes and agencies', () => {
  let h: StaffApiHarness;
  let pupr: { key: string; id: string };
  beforeAll(async () => {
    h = await startStaffApi();
    pupr = await h.createKey(['dinas-pupr']);
  });
  afterAll(() => h.stop());

  test('no key → 401 with a Bearer challenge, on every operation', async () => {
    const c = await h.openCase();
    const anonymous = h.client();
    for (const res of [
      await anonymous.get('/api/v1/cases'),
      await anonymous.get(`/api/v1/cases/${c.trackingId}`),
      await anonymous.act(c.trackingId, { action: 'acknowledge' }),
      // The key is checked before the body is read: a stranger learns nothing from a bad body.
      await anonymous.post(`/api/v1/cases/${c.trackingId}/actions`, { raw: '{"action' }),
      await anonymous.post(`/api/v1/cases/${c.trackingId}/actions`, { raw: 'x'.repeat(40_000) }),
    ]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="suara"');
      expect(res.body.error.code).toBe('unauthorized');
      expect(res.operationId).not.toBeNull();
    }
    expect((await h.service.cases.find(c.trackingId))?.status).toBe('received');
  });

  test.each([
    ['an unknown key', 'suara_aaaaaaaaaa_notthesecretatall'],
    ['a key with a wrong secret', null],
    ['garbage', 'hello'],
    ['an over-long token', `suara_${'a'.repeat(300)}`],
  ])('%s → 401 invalid_token', async (_what, token) => {
    const key = token ?? `${pupr.key.slice(0, -4)}AAAA`;
    const res = await h.client(key).get('/api/v1/cases');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="suara", error="invalid_token"');
  });

  test('a header that is not "Bearer <key>" → 401', async () => {
    for (const authorization of [`Basic ${pupr.key}`, 'Bearer', `Bearer ${pupr.key} extra`]) {
      const res = await fetch(`${h.service.url}/api/v1/cases`, { headers: { authorization } });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="suara"/);
    }
    // The scheme is case-insensitive (RFC 6750).
    const ok = await fetch(`${h.service.url}/api/v1/cases`, {
      headers: { authorization: `bearer ${pupr.key}` },
    });
    expect(ok.status).toBe(200);
  });

  test('a revoked key → 401; an Open311 key is no staff key → 401', async () => {
    const revoked = await h.createKey(['dinas-pupr']);
    expect((await h.client(revoked.key).get('/api/v1/cases')).status).toBe(200);
    await h.keys.revoke(revoked.id);
    expect((await h.client(revoked.key).get('/api/v1/cases')).status).toBe(401);
    const open311 = await h.keys.create({ name: 'FixMyStreet', kind: 'open311' });
    expect((await h.client(open311.key).get('/api/v1/cases')).status).toBe(401);
  });

  test('a read-only key reads but cannot act (403 insufficient_scope)', async () => {
    const c = await h.openCase();
    const reader = h.client((await h.createKey(['dinas-pupr'], ['cases:read'])).key);
    expect((await reader.get(`/api/v1/cases/${c.trackingId}`)).status).toBe(200);
    const res = await reader.act(c.trackingId, { action: 'acknowledge' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('insufficient_scope');
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="suara", error="insufficient_scope", scope="cases:write"',
    );
    expect((await h.service.cases.find(c.trackingId))?.version).toBe(1);
  });

  test('a write-only key acts but cannot list or read (403)', async () => {
    const c = await h.openCase();
    const writer = h.client((await h.createKey(['dinas-pupr'], ['cases:write'])).key);
    expect((await writer.get('/api/v1/cases')).status).toBe(403);
    expect((await writer.get(`/api/v1/cases/${c.trackingId}`)).status).toBe(403);
    expect((await writer.act(c.trackingId, { action: 'acknowledge' })).status).toBe(200);
  });

  test('a case of another agency is answered 404 exactly like a missing one', async () => {
    const water = await h.openCase({ category: 'water_utility', text: 'Air PDAM mati tiga hari' });
    expect(water.agencyId).toBe('pdam');
    const api = h.client(pupr.key);
    const foreign = await api.get(`/api/v1/cases/${water.trackingId}`);
    const missing = await api.get('/api/v1/cases/ADU-ZZZZZZ');
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(foreign.body.error.code).toBe(missing.body.error.code);
    expect(JSON.stringify(foreign.body)).not.toMatch(/pdam/i);
    for (const action of [
      { action: 'acknowledge' },
      { action: 'note', note: 'cek' },
      { action: 'transfer', to_agency: 'dinas-pupr' },
    ]) {
      const res = await api.act(water.trackingId, action);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        error: { code: 'not_found', message: `no case "${water.trackingId}"` },
      });
    }
    expect((await h.service.cases.find(water.trackingId))?.version).toBe(1);
  });

  test('a key lists only its agencies, and cannot filter by another one (403)', async () => {
    await h.openCase({ category: 'water_utility', text: 'Air PDAM keruh' });
    const api = h.client(pupr.key);
    const all = await api.get('/api/v1/cases?limit=100');
    expect(all.body.cases.length).toBeGreaterThan(0);
    expect(new Set(all.body.cases.map((c: { agency_id: string }) => c.agency_id))).toEqual(
      new Set(['dinas-pupr']),
    );
    const refused = await api.get('/api/v1/cases?agency=pdam');
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({
      code: 'forbidden',
      message: 'this API key does not work for agency pdam',
    });
    expect((await api.get('/api/v1/cases?agency=dinas-pupr,pdam')).status).toBe(403);
    expect((await api.get('/api/v1/cases?agency=dinas-pupr')).status).toBe(200);
  });

  test('a key of two agencies sees both, and can narrow to one', async () => {
    const both = h.client((await h.createKey(['dinas-pupr', 'pdam'], ['cases:read'])).key);
    const agencies = async (path: string) =>
      new Set((await both.get(path)).body.cases.map((c: { agency_id: string }) => c.agency_id));
    expect(await agencies('/api/v1/cases?limit=100')).toEqual(new Set(['dinas-pupr', 'pdam']));
    expect(await agencies('/api/v1/cases?agency=pdam&limit=100')).toEqual(new Set(['pdam']));
  });

  test('the OpenAPI document needs no key; other paths under /api/v1 fall through', async () => {
    const doc = await h.client().get('/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    const unknown = await h.client(pupr.key).get('/api/v1/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    // The classify API in front of it still answers.
    const classify = await h.client().post('/api/v1/classify', { body: { text: 'halo' } });
    expect(classify.status).toBe(200);
  });

  test('a key without agencies sees and works nothing', async () => {
    const c = await h.openCase();
    const none = h.client((await h.createKey([])).key);
    expect((await none.get('/api/v1/cases')).body).toEqual({ cases: [], next: null });
    expect((await none.get(`/api/v1/cases/${c.trackingId}`)).status).toBe(404);
    expect((await none.act(c.trackingId, { action: 'acknowledge' })).status).toBe(404);
  });

  test('answers are never cached', async () => {
    const api = h.client(pupr.key);
    for (const res of [await api.get('/api/v1/cases'), await h.client().get('/api/v1/cases')]) {
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });
});

import { staffApiDocument } from '../../../adapters/staff-api';
import { actionBody } from '../../../adapters/staff-api/schemas';
import { type StaffApiHarness, startStaffApi } from './harness';
import { startChecker } from './openapi-checker';

describe('staff API: the OpenAPI document', () => {
  let h: StaffApiHarness;
  let key: string;
  beforeAll(async () => {
    h = await startStaffApi();
    key = (await h.createKey(['dinas-pupr'])).key;
  });
  afterAll(() => h.stop());

  test('GET /api/openapi.json serves the document, a valid OpenAPI 3.1 document', async () => {
    const res = await h.client().get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(staffApiDocument())));
    const check = await h.checker.document();
    expect(check.errors).toBeNull();
    expect(check.valid).toBe(true);
    for (const name of ['Case', 'CaseEvent', 'CasePage', 'CaseDetail', 'CaseAction', 'Error']) {
      expect(res.body.components.schemas[name]).toBeDefined();
    }
    expect(res.body.components.securitySchemes.bearer).toMatchObject({ scheme: 'bearer' });
  });

  test('the document has the public URL as its server when one is configured', () => {
    const doc = staffApiDocument({ serverUrl: 'https://lapor.kota.go.id' });
    expect(doc.servers).toEqual([{ url: 'https://lapor.kota.go.id' }]);
    expect(staffApiDocument().servers).toBeUndefined();
  });

  test('the document validator finds a broken document', async () => {
    const { info: _info, ...broken } = staffApiDocument();
    const checker = await startChecker(broken);
    try {
      const check = await checker.document();
      expect(check.valid).toBe(false);
      expect(JSON.stringify(check.errors)).toMatch(/info/);
    } finally {
      await checker.stop();
    }
  });

  test('response validation reports answers the document does not describe', async () => {
    const c = await h.openCase();
    const real = await h.client(key).get(`/api/v1/cases/${c.trackingId}`);
    expect(real.status).toBe(200);
    const answer = {
      method: 'GET',
      path: `/api/v1/cases/${c.trackingId}`,
      status: 200,
      contentType: 'application/json; charset=utf-8',
      headers: {},
      body: real.body,
    };
    expect(await h.checker.response(answer)).toMatchObject({ operationId: 'getCase', valid: true });

    const { tracking_id: _id, ...withoutId } = real.body.case;
    const missing = await h.checker.response({
      ...answer,
      body: { ...real.body, case: withoutId },
    });
    expect(missing.valid).toBe(false);
    expect(JSON.stringify(missing.errors)).toMatch(/tracking_id/);

    // A field the document does not list (a leak of the reporter's chat id, say) fails too.
    const leak = { ...real.body, case: { ...real.body.case, reporter_user_id: 'c1' } };
    const leaked = await h.checker.response({ ...answer, body: leak });
    expect(leaked.valid).toBe(false);
    expect(JSON.stringify(leaked.errors)).toMatch(/reporter_user_id/);

    const badEnum = { ...real.body, case: { ...real.body.case, status: 'lost' } };
    expect((await h.checker.response({ ...answer, body: badEnum })).valid).toBe(false);
    const badDate = { ...real.body, case: { ...real.body.case, created_at: 'yesterday' } };
    expect((await h.checker.response({ ...answer, body: badDate })).valid).toBe(false);

    const undocumented = await h.checker.response({ ...answer, status: 418 });
    expect(undocumented).toMatchObject({ valid: false, errors: ['status 418 is not documented'] });
    const notJson = await h.checker.response({ ...answer, contentType: 'text/html' });
    expect(notJson.valid).toBe(false);
    const unchallenged = await h.checker.response({
      ...answer,
      status: 401,
      body: { error: { code: 'unauthorized', message: 'x' } },
    });
    expect(unchallenged).toMatchObject({
      valid: false,
      errors: ['header WWW-Authenticate is missing'],
    });
  });

  const long = (n: number) => 'x'.repeat(n);
  test.each<[string, unknown]>([
    ['acknowledge', { action: 'acknowledge' }],
    ['acknowledge with a note', { action: 'acknowledge', note: 'x' }],
    ['request_info', { action: 'request_info', note: 'Mohon kirim foto lokasinya' }],
    ['request_info without a note', { action: 'request_info' }],
    ['an empty note', { action: 'request_info', note: '' }],
    ['a blank note', { action: 'request_info', note: '   ' }],
    ['a note of 4,000 characters', { action: 'request_info', note: long(4000) }],
    ['a note of 4,001 characters', { action: 'request_info', note: long(4001) }],
    ['resolve', { action: 'resolve', note: 'Sudah ditambal' }],
    ['reject', { action: 'reject', note: 'Bukan wewenang kami' }],
    ['transfer', { action: 'transfer', to_agency: 'pdam' }],
    ['transfer with a note', { action: 'transfer', to_agency: 'pdam', note: 'Pipa bocor' }],
    ['transfer to a malformed id', { action: 'transfer', to_agency: 'Not An Agency' }],
    ['transfer without an agency', { action: 'transfer' }],
    ['reply', { action: 'reply', note: 'Tim kami menuju lokasi' }],
    ['a note that is a number', { action: 'reply', note: 42 }],
    ['note', { action: 'note', note: 'Internal' }],
    ['an unknown field', { action: 'note', note: 'Internal', public: true }],
    ['an unknown action', { action: 'close' }],
    ['no action', { note: 'no action' }],
    ['an array', []],
    ['a string', 'acknowledge'],
    ['null', null],
  ])('the document and the zod schema agree on a body: %s', async (_name, body) => {
    const zod = actionBody.safeParse(body).success;
    const doc = await h.checker.request('post', '/api/v1/cases/ADU-AAAAAA/actions', body);
    expect(doc.operationId).toBe('actOnCase');
    expect({ body, valid: doc.valid }).toEqual({ body, valid: zod });
  });

  test('every operation with a key documents 401, 500 and 503', () => {
    const doc = staffApiDocument();
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const op of [item.get, item.post]) {
        if (!op || path === '/api/openapi.json') continue;
        expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '500', '503']));
      }
    }
  });
});

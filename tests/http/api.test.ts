import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { silentLogger } from '../../src/logger';
import { saveJson } from '../../src/nlu/load';
import { keepFrequentLabels, Router, readHistoryCsv } from '../../src/nlu/router';
import { type RunningService, startService } from '../../src/service';
import { nestedArrays, uploadEndless, withRawField } from '../support/bodies';
import { testConfig } from '../support/config';
import { testNlu } from '../support/nlu';

const root = join(__dirname, '..', '..');
const base = testConfig();

describe('POST /api/v1/classify and /api/v1/ask', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startService(base, { logger: silentLogger, host: '127.0.0.1', nlu: testNlu() });
  });
  afterAll(() => service.stop());

  test('a complaint gets its category and the agency from the directory', async () => {
    const res = await request(service.url)
      .post('/api/v1/classify')
      .send({ text: 'lampu jalan di gang 3 mati seminggu' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      lang: 'id',
      intent: 'complaint',
      category: 'street_lighting',
      urgent: false,
      tracking_ids: [],
      agency: { id: 'dinas-perhubungan', name: { id: 'Dinas Perhubungan' }, reason: 'category' },
    });
  });

  test('a greeting has no category and no agency', async () => {
    const res = await request(service.url).post('/api/v1/classify').send({ text: 'halo min' });
    expect(res.body).toMatchObject({ intent: 'greeting', category: null, agency: null });
  });

  test.each([
    [{}, /text/],
    [{ text: '' }, /text/],
    [{ text: 'x'.repeat(4001) }, /text/],
    [{ text: 'halo', lang: 'fr' }, /lang/],
    [{ text: 'halo', extra: 1 }, /extra/],
  ])('%j → 400 with a clear message', async (body, message) => {
    const res = await request(service.url).post('/api/v1/classify').send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.message).toMatch(message);
  });

  test('malformed JSON → 400 JSON error', async () => {
    const res = await request(service.url)
      .post('/api/v1/classify')
      .set('content-type', 'application/json')
      .send('{"text": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
  });

  test('a body nested 10,000 levels deep → 400 too_deep, before validation', async () => {
    for (const path of ['/api/v1/classify', '/api/v1/ask']) {
      const res = await request(service.url)
        .post(path)
        .set('content-type', 'application/json')
        .send(withRawField({}, 'text', nestedArrays(10_000)));
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual({
        code: 'too_deep',
        message: 'JSON nested deeper than 32 levels',
      });
    }
  });

  test('a body over 32 KB → 413 JSON by its Content-Length, and the connection closes', async () => {
    const res = await request(service.url)
      .post('/api/v1/classify')
      .send({ text: 'x'.repeat(40 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    expect(res.headers.connection).toBe('close');
  });

  test('an endless chunked body is cut off soon after the limit, not read to its end', async () => {
    const up = await uploadEndless(`${service.url}/api/v1/ask`);
    expect(up.written).toBeLessThan(16 * 1024 * 1024);
    if (up.status !== undefined) expect(up.status).toBe(413);
  });

  test('a compressed body → 415 JSON, unread', async () => {
    const res = await request(service.url)
      .post('/api/v1/classify')
      .set('content-type', 'application/json')
      .set('content-encoding', 'gzip')
      .send('not really gzip');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_encoding');
  });

  test('ask answers from the knowledge base, or says there is no answer', async () => {
    const found = await request(service.url)
      .post('/api/v1/ask')
      .send({ question: 'syarat bikin ktp apa aja' });
    expect(found.body).toMatchObject({ lang: 'id', answered: true });
    expect(found.body.results[0]).toMatchObject({
      id: 'ktp-el-baru',
      title: 'Membuat KTP-el baru',
    });
    const none = await request(service.url)
      .post('/api/v1/ask')
      .send({ question: 'siapa presiden pertama amerika' });
    expect(none.body.answered).toBe(false);
  });
});

describe('with SUARA_ROUTER_MODEL', () => {
  test('the trained router decides the agency; labels are matched to the directory by name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'suara-api-router-'));
    try {
      // History labelled with agency names as a city's system would have them.
      const rows = keepFrequentLabels(
        readHistoryCsv(join(root, 'tests/fixtures/router-history.csv'), {
          text: 'keluhan',
          label: 'instansi',
          id: 'id',
        }),
        5,
      ).map((r) => ({
        ...r,
        label: r.label === 'Dinas Lingkungan Hidup' ? 'Dinas Lingkungan Hidup' : r.label,
      }));
      const path = join(dir, 'router.json');
      saveJson(path, Router.train(rows, 5).toJSON());
      const warnings: object[] = [];
      const service = await startService(
        { ...base, routerModelFile: path },
        {
          logger: { ...silentLogger, warn: (o) => warnings.push(o) },
          host: '127.0.0.1',
          nlu: testNlu(),
        },
      );
      try {
        const res = await request(service.url)
          .post('/api/v1/classify')
          .send({ text: 'sampah menumpuk di depan rumah tidak diangkut' });
        expect(res.body.agency).toMatchObject({ id: 'dinas-lingkungan-hidup', reason: 'model' });
        const water = await request(service.url)
          .post('/api/v1/classify')
          .send({ text: 'air pdam mati sejak pagi' });
        expect(water.body.agency).toMatchObject({ id: 'pdam', reason: 'model' }); // label "PDAM" = id "pdam"
        // "Dinas Pekerjaan Umum" is no agency id or name of the shipped directory: it goes to triage.
        expect(warnings).toEqual([expect.objectContaining({ labels: ['Dinas Pekerjaan Umum'] })]);
        const road = await request(service.url)
          .post('/api/v1/classify')
          .send({ text: 'jalan berlubang besar di depan sekolah' });
        expect(road.body.agency).toMatchObject({ id: 'triage', reason: 'unknown_label' });
      } finally {
        await service.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bodies on routes that do not read them', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startService(base, { logger: silentLogger, host: '127.0.0.1', nlu: testNlu() });
  });
  afterAll(() => service.stop());

  test('an endless body to an unknown route: JSON 404, and the connection closes at once', async () => {
    const up = await uploadEndless(`${service.url}/nope`);
    // The answer arrives whole (the connection closes gracefully after it), and the server
    // stopped the client while it was still writing: what it sent after the answer is thrown
    // away up to a bound, then the connection is cut.
    expect(up.status).toBe(404);
    expect(up.written).toBeLessThan(16 * 1024 * 1024);
  });

  test('a GET without a body keeps its connection', async () => {
    const res = await fetch(`${service.url}/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get('connection')).toBe('keep-alive');
    await res.body?.cancel();
  });
});

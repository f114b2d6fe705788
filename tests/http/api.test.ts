import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { silentLogger } from '../../src/logger';
import { saveJson } from '../../src/nlu/load';
import { keepFrequentLabels, Router, readHistoryCsv } from '../../src/nlu/router';
import { type RunningService, startService } from '../../src/service';
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

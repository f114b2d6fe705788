import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../src/cli/io';
import { main } from '../../src/cli/main';
import { isCodedError } from '../../src/errors';
import {
  isTestRow,
  keepFrequentLabels,
  Router,
  type RouterJSON,
  readHistoryCsv,
} from '../../src/nlu/router';
import { INTENTS_DIR } from '../support/nlu';

const CSV = join(__dirname, '..', 'fixtures', 'router-history.csv');
const COLUMNS = { text: 'keluhan', label: 'instansi', id: 'id' };

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = {
    env: { SUARA_INTENTS: INTENTS_DIR },
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
  };
  return { io: value, out: () => out.join(''), err: () => err.join('') };
}

describe('history CSV', () => {
  test('quoted multi-line fields with commas and quotes are one row; empty texts are skipped', () => {
    const rows = readHistoryCsv(CSV, COLUMNS);
    expect(rows).toHaveLength(50); // 51 data rows, one with an empty text
    const multi = rows.find((r) => r.id === '1294');
    expect(multi?.text).toBe(
      'tagihan air Pasar Baru naik,\n"mohon segera" ditindaklanjuti.\nTerima kasih',
    );
    expect(multi?.label).toBe('PDAM');
  });

  test('a missing column is a clear error naming the columns there are', () => {
    const err = (() => {
      try {
        readHistoryCsv(CSV, { ...COLUMNS, text: 'complaint' });
      } catch (e) {
        return e;
      }
    })();
    expect(isCodedError(err, 'bad_csv')).toBe(true);
    expect((err as Error).message).toContain(
      'no column "complaint" (columns: id, keluhan, instansi, kecamatan)',
    );
  });

  test('--min-count keeps frequent labels only', () => {
    const kept = keepFrequentLabels(readHistoryCsv(CSV, COLUMNS), 5);
    expect(new Set(kept.map((r) => r.label))).toEqual(
      new Set(['Dinas Pekerjaan Umum', 'Dinas Lingkungan Hidup', 'PDAM']),
    );
  });

  test('the held-out split follows md5(id) % 5 === 0', () => {
    for (const id of ['1000', '1077', '12345', 'abc', '0']) {
      const expected =
        Number.parseInt(createHash('md5').update(id).digest('hex').slice(0, 8), 16) % 5 === 0;
      expect(isTestRow(id)).toBe(expected);
    }
    // About one in five over many ids.
    const share =
      Array.from({ length: 5000 }, (_, i) => isTestRow(String(i))).filter(Boolean).length / 5000;
    expect(share).toBeGreaterThan(0.17);
    expect(share).toBeLessThan(0.23);
  });
});

describe('Router', () => {
  test('learns the agencies of a small history and survives save → load', () => {
    const rows = keepFrequentLabels(readHistoryCsv(CSV, COLUMNS), 5);
    const router = Router.train(rows, 5);
    const loaded = Router.fromJSON(JSON.parse(JSON.stringify(router.toJSON())) as RouterJSON);
    for (const [text, label] of [
      ['jalan depan sekolah berlubang', 'Dinas Pekerjaan Umum'],
      ['sampah tidak diangkut tiga hari', 'Dinas Lingkungan Hidup'],
      ['air pdam mati sejak pagi', 'PDAM'],
    ]) {
      expect(router.predict(text as string).label).toBe(label);
      expect(loaded.predict(text as string)).toEqual(router.predict(text as string));
    }
  });
});

describe('suara eval-router / train-router', () => {
  test('eval-router --json reports the held-out evaluation with known counts', async () => {
    const t = io();
    const code = await main(
      [
        'eval-router',
        '--csv',
        CSV,
        '--text',
        'keluhan',
        '--label',
        'instansi',
        '--id',
        'id',
        '--min-count',
        '5',
        '--json',
      ],
      t.io,
    );
    expect(t.err()).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(t.out());
    const kept = keepFrequentLabels(readHistoryCsv(CSV, COLUMNS), 5);
    const nTest = kept.filter(
      (r) =>
        Number.parseInt(createHash('md5').update(r.id).digest('hex').slice(0, 8), 16) % 5 === 0,
    ).length;
    expect(report.n_test).toBe(nTest);
    expect(report.n_train).toBe(48 - nTest);
    expect(report.accuracy).toBe(1);
    expect(report.macro_f1).toBe(1);
    expect(report.classes.map((c: { label: string }) => c.label).sort()).toEqual([
      'Dinas Lingkungan Hidup',
      'Dinas Pekerjaan Umum',
      'PDAM',
    ]);
  });

  test('eval-router prints a readable table', async () => {
    const t = io();
    await main(
      ['eval-router', '--csv', CSV, '--text', 'keluhan', '--label', 'instansi', '--min-count', '5'],
      t.io,
    );
    expect(t.out()).toMatch(/accuracy 1\.000 {2}macro-F1 1\.000/);
    expect(t.out()).toMatch(/PDAM\s+1\.000\s+1\.000\s+1\.000/);
  });

  test('train-router writes a model the service can load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'suara-router-'));
    try {
      const out = join(dir, 'router.json');
      const t = io();
      const code = await main(
        [
          'train-router',
          '--csv',
          CSV,
          '--text',
          'keluhan',
          '--label',
          'instansi',
          '--min-count',
          '5',
          '--out',
          out,
        ],
        t.io,
      );
      expect(code).toBe(0);
      expect(t.out()).toContain('trained on 48 rows, 3 labels');
      const router = Router.fromJSON(JSON.parse(readFileSync(out, 'utf8')));
      expect(router.predict('pipa pdam bocor').label).toBe('PDAM');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each([
    [['eval-router', '--text', 'keluhan', '--label', 'instansi'], 64, '--csv is required'],
    [
      ['eval-router', '--csv', CSV, '--text', 'keluhan', '--label', 'instansi', '--min-count', 'x'],
      64,
      '--min-count must be a positive integer',
    ],
    [
      ['eval-router', '--csv', '/nonexistent.csv', '--text', 'a', '--label', 'b'],
      64,
      'no such file',
    ],
    [['eval-router', '--csv', CSV, '--text', 'isi', '--label', 'instansi'], 65, 'no column "isi"'],
    [
      ['train-router', '--csv', CSV, '--text', 'keluhan', '--label', 'instansi'],
      64,
      '--out is required',
    ],
    [
      [
        'eval-router',
        '--csv',
        CSV,
        '--text',
        'keluhan',
        '--label',
        'instansi',
        '--min-count',
        '100',
      ],
      65,
      'fewer than two labels',
    ],
  ])('%j → exit %i', async (args, exit, message) => {
    const t = io();
    expect(await main(args as string[], t.io)).toBe(exit);
    expect(t.err()).toContain(message);
  });

  test('an unquoted comma that would shift columns is an error, not wrong labels; a stray quote is text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'suara-shift-'));
    try {
      const shifted = join(dir, 'shifted.csv');
      writeFileSync(shifted, 'id,keluhan,instansi\n1,jalan rusak,PU\n2,jalan rusak, aspal,PU\n');
      expect(() => readHistoryCsv(shifted, COLUMNS)).toThrow(/shifted\.csv: /);
      const quote = join(dir, 'quote.csv');
      writeFileSync(quote, 'id,keluhan,instansi\n1,pipa 5" bocor,PDAM\n');
      expect(readHistoryCsv(quote, COLUMNS)).toEqual([
        { id: '1', text: 'pipa 5" bocor', label: 'PDAM' },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('without an id column the row index is the id', () => {
    const dir = mkdtempSync(join(tmpdir(), 'suara-noid-'));
    try {
      const path = join(dir, 'noid.csv');
      writeFileSync(path, '\uFEFFkeluhan,instansi\njalan rusak,PU\nair mati,PDAM\n');
      expect(readHistoryCsv(path, { text: 'keluhan', label: 'instansi' })).toEqual([
        { id: '0', text: 'jalan rusak', label: 'PU' },
        { id: '1', text: 'air mati', label: 'PDAM' },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a CSV with unbalanced quotes is reported, not thrown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'suara-badcsv-'));
    try {
      const path = join(dir, 'bad.csv');
      writeFileSync(path, 'id,keluhan,instansi\n1,"tidak ditutup,PDAM\n');
      const t = io();
      expect(
        await main(
          ['eval-router', '--csv', path, '--text', 'keluhan', '--label', 'instansi'],
          t.io,
        ),
      ).toBe(65);
      expect(t.err()).toMatch(/bad\.csv: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadNluResources } from '../../src/nlu/load';
import { evaluate } from '../../src/nlu/metrics';
import { Nlu } from '../../src/nlu/nlu';
import { INTENTS_DIR, testNlu } from '../support/nlu';

const nlu = testNlu();

describe('language detection', () => {
  test.each([
    ['jalan depan rumah saya berlubang sudah dua bulan', 'id'],
    ['lampu jalan mati min, tolong dong', 'id'],
    ['gmn cara bikin ktp', 'id'],
    ['the streetlight on my road has been off for a week', 'en'],
    ['how do I renew my passport?', 'en'],
    ['can I talk to a real person', 'en'],
  ] as const)('%j → %s', (text, lang) => {
    expect(nlu.classify(text).lang).toBe(lang);
  });
});

describe('intent', () => {
  test.each([
    ['jalan depan rumah saya berlubang sudah 2 bulan', 'complaint'],
    ['the streetlight on my road has been off for a week', 'complaint'],
    ['syarat bikin KTP baru apa aja?', 'question'],
    ['what are the opening hours of the civil registry office?', 'question'],
    ['sebaiknya ada bus sekolah gratis di kecamatan kami', 'aspiration'],
    ['gimana status laporan saya ADU-7K3M9Q?', 'status_check'],
    ['any update on my complaint?', 'status_check'],
    ['halo min', 'greeting'],
    ['selamat pagi', 'greeting'],
    ['makasih ya', 'thanks'],
    ['terima kasih banyak', 'thanks'],
    ['saya mau bicara dengan petugas', 'human_agent'],
    ['can I talk to a real person?', 'human_agent'],
    ['jual pulsa murah', 'other'],
  ] as const)('%j → %s', (text, intent) => {
    expect(nlu.classify(text).intent).toBe(intent);
  });

  test('intent accuracy on the independent hold-out set is at least 0.90', () => {
    const rows = readFileSync(
      join(__dirname, '..', '..', 'bench', 'data', 'nlu-holdout.jsonl'),
      'utf8',
    )
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { text: string; intent: string });
    const report = evaluate(
      rows.map((r) => r.intent),
      rows.map((r) => nlu.classify(r.text).intent),
    );
    expect(report.accuracy).toBeGreaterThanOrEqual(0.9);
  });
});

describe('category', () => {
  test.each([
    ['lampu jalan di gang 3 mati seminggu', 'street_lighting'],
    ['sampah di RT 5 gak diangkut2 udah seminggu', 'waste_environment'],
    ['jalan depan rumah saya berlubang sudah 2 bulan', 'roads_drainage'],
    ['air pdam mati dari kemarin', 'water_utility'],
  ] as const)('%j → %s', (text, category) => {
    expect(nlu.classify(text).category).toBe(category);
  });

  test('only complaints and aspirations get a category', () => {
    for (const text of ['halo min', 'makasih ya', 'syarat bikin ktp apa aja?']) {
      const c = nlu.classify(text);
      expect([c.category, c.categoryConfidence]).toEqual([null, null]);
    }
  });

  test('below the confidence threshold the category is "other" (→ triage)', () => {
    const strict = Nlu.fromJSON(
      { ...nlu.toJSON(), categoryThreshold: 1.01 },
      loadNluResources(INTENTS_DIR),
    );
    const c = strict.classify('jalan depan rumah saya berlubang sudah 2 bulan');
    expect(c.intent).toBe('complaint');
    expect(c.category).toBe('other');
    expect(c.categoryCandidates[0]?.category).toBe('roads_drainage');
  });
});

describe('urgency', () => {
  test.each([
    ['rumah tetangga kebakaran tolong cepat', true],
    ['ada kecelakaan di perempatan, korban luka parah', true],
    ['tanah longsor menimpa rumah warga', true],
    ['there is a fire in the market', true],
    ['lampu jalan mati seminggu', false],
    ['sampah numpuk bgt', false],
    ['tidak ada kebakaran, cuma asap sampah dibakar tetangga', false],
  ] as const)('%j → %s', (text, urgent) => {
    expect(nlu.classify(text).urgent).toBe(urgent);
  });

  test.each(['tolong ada orang tenggelam', 'ada yang mau bunuh diri'])(
    'an emergency that reads like small talk is still a report: %j',
    (text) => {
      const c = nlu.classify(text);
      expect([c.intent, c.urgent]).toEqual(['complaint', true]);
    },
  );
});

test('tracking ids in the message are reported canonically', () => {
  expect(nlu.classify('status laporan adu-7k3m9q dan ADU 12AB34?').trackingIds).toEqual([
    'ADU-7K3M9Q',
    'ADU-12AB34',
  ]);
  // Normalising collapses a letter repeated three times ("bangettt"): an id is read as written.
  expect(nlu.classify('cek status ADU-4W7GGG').trackingIds).toEqual(['ADU-4W7GGG']);
  // Full-width letters and a zero-width space pasted inside an id still read as the id.
  expect(nlu.classify('status ＡＤＵ-7K3M\u200B9Q').trackingIds).toEqual(['ADU-7K3M9Q']);
});

test('save → load gives identical classifications', () => {
  const loaded = Nlu.fromJSON(
    JSON.parse(JSON.stringify(nlu.toJSON())),
    loadNluResources(INTENTS_DIR),
  );
  for (const text of [
    'jalan rusak parah',
    'halo',
    'how do I get a passport',
    'kebakaran!!',
    'asdfgh',
  ]) {
    expect(loaded.classify(text)).toEqual(nlu.classify(text));
  }
});

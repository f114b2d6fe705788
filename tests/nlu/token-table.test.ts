import { applySlang } from '../../src/nlu/lexicon';
import { LinearClassifier } from '../../src/nlu/linear/classifier';
import type { FeatureInput } from '../../src/nlu/linear/vectorizer';
import { nluPaths } from '../../src/nlu/load';
import { normalizeText } from '../../src/nlu/normalize';
import { TextPipeline } from '../../src/nlu/pipeline';
import { stem } from '../../src/nlu/stem';
import { TokenTable } from '../../src/nlu/token-table';
import { tokenize } from '../../src/nlu/tokenize';
import { loadTrainingData } from '../../src/nlu/training-data';
import { INTENTS_DIR, testSlang } from '../support/nlu';

describe('TokenTable', () => {
  test('one id per distinct token, kept until the table starts afresh', () => {
    const table = new TokenTable(4);
    table.reserve(3);
    const a = table.get('jalan');
    expect(table.get('rusak').id).toBe(1);
    expect(table.get('jalan')).toBe(a);
    expect(table.size).toBe(2);
    table.reserve(2); // fits
    expect(table.generation).toBe(0);
    table.reserve(3); // would not: a new generation
    expect(table.generation).toBe(1);
    expect(table.size).toBe(0);
    expect(table.get('sampah').id).toBe(0);
    expect(table.get('jalan')).not.toBe(a);
  });

  test('room is reserved per message; a message larger than the table makes it larger', () => {
    const table = new TokenTable(2);
    table.get('a');
    table.get('b');
    expect(() => table.get('c')).toThrow(/reserve/);
    table.reserve(3);
    expect(table.capacity).toBe(3);
    expect(table.generation).toBe(1);
    expect([table.get('c').id, table.get('d').id, table.get('e').id]).toEqual([0, 1, 2]);
  });
});

describe('TextPipeline', () => {
  const slang = testSlang();
  const pipeline = new TextPipeline(slang);
  const texts = loadTrainingData(nluPaths(INTENTS_DIR).training)
    .intents.map((e) => e.text)
    .concat('Jalannya RUSAKKK bgt min, gak diperbaiki²', 'min min min', '');

  test('tokens are the slang forms of the surface tokens, words their stems', () => {
    const expected: unknown[] = [];
    const actual: unknown[] = [];
    for (const lang of ['id', 'en'] as const) {
      for (const text of texts) {
        const raw = tokenize(normalizeText(text));
        const tokens = lang === 'id' ? applySlang(raw, slang) : raw;
        const a = pipeline.analyze(text, lang);
        const ids = [...(a.doc.charIds?.ids ?? [])];
        expected.push([tokens, tokens, tokens.map((t) => stem(t, lang)), tokens.map((t) => t)]);
        // Same token, same id: ids map one to one onto the tokens.
        const byId = new Map(ids.map((id, k) => [id, tokens[k]]));
        actual.push([a.tokens, a.doc.chars, a.doc.words, ids.map((id) => byId.get(id))]);
        expect(new Set(ids).size).toBe(new Set(tokens).size);
      }
    }
    expect(actual).toEqual(expected);
  });
});

describe('models read token ids', () => {
  const TRAIN: [string, string][] = [
    ['jalan berlubang besar di depan rumah', 'road'],
    ['aspal jalan rusak parah sekali', 'road'],
    ['sampah menumpuk tidak diangkut', 'waste'],
    ['bau sampah di tps', 'waste'],
    ['air pdam mati dari pagi', 'water'],
    ['pipa pdam bocor', 'water'],
  ];
  const plain = (text: string): FeatureInput => {
    const words = text.split(' ');
    return { words, chars: words };
  };
  const model = LinearClassifier.train(
    TRAIN.map(([t]) => plain(t)),
    TRAIN.map(([, l]) => l),
    {
      features: { wordNgrams: [1, 2], charNgrams: [3, 4], minDf: 1, maxFeatures: 10_000 },
      svm: { C: 1, tolerance: 0.01, maxPasses: 50, seed: 3 },
      calibrationShare: 0,
    },
  );

  test('scores with ids equal scores without, across generations of the table', () => {
    const table = new TokenTable(6);
    const withIds = (text: string): FeatureInput => {
      const d = plain(text);
      table.reserve(d.chars.length);
      const ids = Int32Array.from(d.chars, (t) => table.get(t).id);
      return { ...d, charIds: { table, generation: table.generation, ids } };
    };
    // The small table starts afresh every other message, giving its ids to other tokens.
    const texts = ['jalan rusak parah', 'sampah bau sekali', 'pdam air mati', 'jalan rusak'];
    texts.push('jalan rusak parah sekali di depan rumah'); // more tokens than the table holds
    for (const text of texts) {
      for (let round = 0; round < 2; round++) {
        expect(model.predict(withIds(text))).toEqual(model.predict(plain(text)));
      }
    }
    expect(table.generation).toBeGreaterThan(2);
    expect(table.capacity).toBe(7);
  });
});

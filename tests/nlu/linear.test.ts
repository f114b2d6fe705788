import { fitTemperature, softmaxInPlace } from '../../src/nlu/linear/calibration';
import { LinearClassifier, type TrainOptions } from '../../src/nlu/linear/classifier';
import { type SparseVector, seededRandom } from '../../src/nlu/linear/sparse';
import { DEFAULT_SVM, trainLinearSvm } from '../../src/nlu/linear/svm';
import type { FeatureInput } from '../../src/nlu/linear/vectorizer';
import { evaluate } from '../../src/nlu/metrics';

const doc = (text: string): FeatureInput => {
  const words = text.toLowerCase().split(/\s+/);
  return { words, chars: words };
};

// A small fixed data set: three topics, written with typos and overlaps on purpose.
const TRAIN: [string, string][] = [
  ['jalan berlubang besar di depan rumah', 'road'],
  ['aspal jalan rusak parah', 'road'],
  ['jalanan retak dan berlubang', 'road'],
  ['lubang di jalan bikin jatuh', 'road'],
  ['jalan rusak belum diperbaiki', 'road'],
  ['trotoar dan jalan hancur', 'road'],
  ['sampah menumpuk tidak diangkut', 'waste'],
  ['bau sampah di tps', 'waste'],
  ['truk sampah tidak datang', 'waste'],
  ['sampah berserakan di pinggir jalan', 'waste'],
  ['tumpukan sampah bau busuk', 'waste'],
  ['pengangkutan sampah terlambat', 'waste'],
  ['air pdam mati dari pagi', 'water'],
  ['air keruh dan bau', 'water'],
  ['pipa pdam bocor', 'water'],
  ['tagihan air naik', 'water'],
  ['air tidak mengalir', 'water'],
  ['meteran air rusak', 'water'],
  ['sampah di saluran', 'waste'],
  ['jalan licin karena lubang', 'road'],
];
const TEST: [string, string][] = [
  ['jalann berlubangg', 'road'],
  ['aspal rusak di jalan kampung', 'road'],
  ['smpah tidak diangkut seminggu', 'waste'],
  ['tps penuh sampah', 'waste'],
  ['air pdm mati', 'water'],
  ['pipa bocor air muncrat', 'water'],
];

const OPTIONS: TrainOptions = {
  features: { wordNgrams: [1, 2], charNgrams: [2, 4], minDf: 1, maxFeatures: 10_000 },
  svm: { C: 1, tolerance: 0.01, maxPasses: 100, seed: 3 },
  calibrationShare: 0.25,
};

function train(options = OPTIONS) {
  return LinearClassifier.train(
    TRAIN.map(([t]) => doc(t)),
    TRAIN.map(([, l]) => l),
    options,
  );
}

describe('LinearClassifier', () => {
  test('beats the majority baseline by a wide margin on unseen, misspelt messages', () => {
    const model = train();
    const gold = TEST.map(([, l]) => l);
    const accuracy = evaluate(
      gold,
      TEST.map(([t]) => model.predict(doc(t)).label),
    ).accuracy;
    const majority =
      Math.max(...['road', 'waste', 'water'].map((l) => gold.filter((g) => g === l).length)) /
      gold.length;
    expect(majority).toBeCloseTo(1 / 3);
    expect(accuracy).toBeGreaterThanOrEqual(majority + 0.5);
  });

  test('is deterministic for a seed', () => {
    expect(JSON.stringify(train().toJSON())).toBe(JSON.stringify(train().toJSON()));
  });

  test('scoring without building the vector gives the scores of the built vector', () => {
    const model = train();
    for (const [text] of [...TEST, ['kata yang tidak dikenal sama sekali', ''], ['', '']]) {
      const d = doc(text as string);
      const fused = Array.from(model.rawLogits(d));
      const built = Array.from(model.rawLogits(model.vectorize(d)));
      expect(fused).toHaveLength(3);
      fused.forEach((z, c) => {
        expect(z).toBeCloseTo(built[c] as number, 5);
      });
    }
  });

  test('save → load gives identical predictions', () => {
    const model = train();
    const loaded = LinearClassifier.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    const texts = [...TRAIN, ...TEST].map(([t]) => t).concat('sesuatu yang lain sama sekali');
    for (const t of texts) {
      expect(loaded.predict(doc(t))).toEqual(model.predict(doc(t)));
    }
  });

  test('confidences are probabilities: scores sum to 1, best first', () => {
    const p = train().predict(doc('air sampah jalan'));
    expect(p.scores.reduce((s, x) => s + x.p, 0)).toBeCloseTo(1, 10);
    expect(p.scores[0]?.label).toBe(p.label);
    expect(p.confidence).toBe(p.scores[0]?.p);
  });

  test('refuses a model whose weights do not match its vocabulary', () => {
    const json = train().toJSON();
    json.weights = Buffer.from(new Float32Array(3).buffer).toString('base64');
    expect(() => LinearClassifier.fromJSON(json)).toThrow(/do not match/);
  });
});

describe('temperature calibration', () => {
  test('over-confident scores get a temperature above 1, under-confident below 1', () => {
    // Scores that always favour the right class by 10 but are right only 60% of the time.
    const over = Array.from({ length: 100 }, (_, i) =>
      Float64Array.from(i < 60 ? [10, 0] : [0, 10]),
    );
    const labels = Array.from({ length: 100 }, () => 0);
    expect(fitTemperature(over, labels)).toBeGreaterThan(1);
    // Scores that are always right but timid.
    const under = Array.from({ length: 100 }, () => Float64Array.from([0.2, 0]));
    expect(fitTemperature(under, labels)).toBeLessThan(1);
  });

  test('softmax with a temperature', () => {
    const p = softmaxInPlace(Float64Array.from([2, 0]), 2);
    expect(p[0]).toBeCloseTo(Math.exp(1) / (Math.exp(1) + 1), 10);
  });
});

describe('trainLinearSvm', () => {
  // Random sparse documents whose class shows in a few marker features.
  function problem(n: number, classes: number) {
    const random = seededRandom(5);
    const y = Array.from({ length: n }, (_, i) => i % classes);
    const X: SparseVector[] = y.map((c) => {
      const idx = Int32Array.from(
        new Set([c, ...Array.from({ length: 30 }, () => classes + Math.floor(random() * 500))]),
      ).sort();
      return { idx, val: new Float32Array(idx.length).fill(1 / Math.sqrt(idx.length)) };
    });
    return { X, y, features: classes + 500 };
  }

  test('the model is the same on one thread and on several', () => {
    const { X, y, features } = problem(600, 5);
    const one = trainLinearSvm(X, y, features, 5, { ...DEFAULT_SVM, threads: 1 });
    const three = trainLinearSvm(X, y, features, 5, { ...DEFAULT_SVM, threads: 3 });
    expect(Array.from(three.weights)).toEqual(Array.from(one.weights));
    expect(Array.from(three.bias)).toEqual(Array.from(one.bias));
    // And it learnt the markers: each class's own marker weighs most for it.
    for (let c = 0; c < 5; c++) {
      const row = Array.from(one.weights.subarray(c * 5, c * 5 + 5));
      expect(row.indexOf(Math.max(...row))).toBe(c);
    }
  });

  test('another seed gives another (shuffled) model; the same seed the same one', () => {
    const { X, y, features } = problem(200, 3);
    const a = trainLinearSvm(X, y, features, 3, { ...DEFAULT_SVM, seed: 1, tolerance: 0.5 });
    const b = trainLinearSvm(X, y, features, 3, { ...DEFAULT_SVM, seed: 1, tolerance: 0.5 });
    const c = trainLinearSvm(X, y, features, 3, { ...DEFAULT_SVM, seed: 2, tolerance: 0.5 });
    expect(Array.from(b.weights)).toEqual(Array.from(a.weights));
    expect(Array.from(c.weights)).not.toEqual(Array.from(a.weights));
  });
});

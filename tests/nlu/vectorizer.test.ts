import { LinearClassifier } from '../../src/nlu/linear/classifier';
import {
  charTokenCount,
  type FeatureConfig,
  type FeatureInput,
  featureHashes,
  MAX_CHAR_NGRAM_CHARS,
} from '../../src/nlu/linear/vectorizer';

const CONFIG: FeatureConfig = {
  wordNgrams: [1, 2],
  charNgrams: [3, 4],
  minDf: 1,
  maxFeatures: 1000,
};

describe('character n-gram budget', () => {
  test('tokens count while their lengths add up to at most MAX_CHAR_NGRAM_CHARS', () => {
    const half = 'a'.repeat(MAX_CHAR_NGRAM_CHARS / 2);
    expect(charTokenCount([])).toBe(0);
    expect(charTokenCount(['jalan', 'rusak'])).toBe(2);
    expect(charTokenCount([half, half])).toBe(2); // exactly the budget
    expect(charTokenCount([half, half, 'x'])).toBe(2); // one past it: that token and the rest out
    expect(charTokenCount([half, `${half}b`, 'x'])).toBe(1);
    expect(charTokenCount(['a'.repeat(MAX_CHAR_NGRAM_CHARS + 1), 'x'])).toBe(0);
  });

  test('a long message has the character n-grams of its first tokens only, and every word', () => {
    const words = Array.from({ length: 400 }, (_, i) => `kata${i}`);
    const fit = charTokenCount(words);
    expect(fit).toBeLessThan(words.length);
    const all = featureHashes({ words, chars: words }, CONFIG);
    const head = featureHashes({ words, chars: words.slice(0, fit) }, CONFIG);
    expect(all).toEqual(head);
    const noChars = featureHashes({ words, chars: [] }, CONFIG);
    expect(noChars.length).toBe(400 + 399); // unigrams and bigrams of all 400 words
    expect(all.length).toBeLessThanOrEqual(noChars.length + 2 * MAX_CHAR_NGRAM_CHARS);
  });
});

describe('scoring a document through the token memo', () => {
  const TRAIN: [string, string][] = [
    ['jalan berlubang besar di depan rumah', 'road'],
    ['aspal jalan rusak parah sekali', 'road'],
    ['lubang di jalan bikin jatuh', 'road'],
    ['sampah menumpuk tidak diangkut', 'waste'],
    ['bau sampah di tps', 'waste'],
    ['truk sampah tidak datang', 'waste'],
    ['air pdam mati dari pagi', 'water'],
    ['pipa pdam bocor', 'water'],
    ['air tidak mengalir', 'water'],
  ];
  const doc = (text: string): FeatureInput => {
    const words = text.split(' ');
    return { words, chars: words };
  };
  const model = LinearClassifier.train(
    TRAIN.map(([t]) => doc(t)),
    TRAIN.map(([, l]) => l),
    {
      features: CONFIG,
      svm: { C: 1, tolerance: 0.01, maxPasses: 50, seed: 3 },
      calibrationShare: 0,
    },
  );
  const texts = [
    'jalan rusak',
    // Repeats within and across tokens, so that n-grams occur many times.
    'sampah sampah sampah di jalan jalan, sampahnya bau sampah',
    `air ${'x'.repeat(45)} bocor ${'pdam'.repeat(12)}`, // tokens too long for the memo
    `${'sampah'.repeat(20)} ${'jalan'.repeat(30)}`, // …with many known n-grams
    'kata yang tidak dikenal',
    '',
  ];

  test('gives the scores of the feature hashes scored one by one', () => {
    for (let round = 0; round < 2; round++) {
      // (the second round reads the memo)
      for (const text of texts) {
        const d = doc(text);
        const viaMemo = model.predict(d).scores;
        const direct = model.predictHashes(featureHashes(d, model.features)).scores;
        expect(viaMemo.map((s) => s.label)).toEqual(direct.map((s) => s.label));
        viaMemo.forEach((s, i) => {
          expect(Math.abs(s.p - (direct[i]?.p as number))).toBeLessThan(1e-12);
        });
      }
    }
  });
});

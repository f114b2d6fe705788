import {
  charTokenCount,
  type FeatureConfig,
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

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../src/nlu/linear/sparse';
import { nluPaths } from '../../src/nlu/load';
import { MAX_TEXT_LENGTH, normalizeText } from '../../src/nlu/normalize';
import { tokenize } from '../../src/nlu/tokenize';
import { loadTrainingData } from '../../src/nlu/training-data';
import { stripInvisible } from '../../src/text';
import { INTENTS_DIR } from '../support/nlu';

/** normalizeText as it was written before its fast paths: the definition it must keep. */
function reference(raw: string, maxLength = MAX_TEXT_LENGTH): string {
  return (
    stripInvisible(raw.slice(0, maxLength * 2).normalize('NFKC'))
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the definition strips them
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '')
      .toLowerCase()
      .replace(/(\p{L})\1{2,}(?!\.)/gu, '$1')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, maxLength)
  );
}

describe('normalizeText keeps its definition', () => {
  const texts = [
    ...loadTrainingData(nluPaths(INTENTS_DIR).training).intents.map((e) => e.text),
    ...readFileSync(join(INTENTS_DIR, '..', 'bench', 'data', 'nlu-holdout.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { text: string }).text),
  ];
  // Letters, repeats (also of astral letters and with a dot after), every kind of space.
  const alphabet = ['a', 'b', 'A', 'é', 'e\u0301', '𠀀', '𝐚', '1', '.', ' ', '  ', '\t'];
  alphabet.push('\n', '\r\n', '\u00a0', '\u3000', '\u2028', '\u200b', '\u0000', 'ｋ', 'ß', 'İ');
  const random = seededRandom(11);
  for (let i = 0; i < 3000; i++) {
    let s = '';
    const n = Math.floor(random() * 30);
    for (let k = 0; k < n; k++) {
      const piece = alphabet[Math.floor(random() * alphabet.length)] as string;
      s += piece.repeat(1 + Math.floor(random() * 4));
    }
    texts.push(s);
  }
  texts.push('aaa.', 'bangettt!!', '𠀀𠀀𠀀 x', ' \t\n ', 'x'.repeat(9000));

  test('on the training and hold-out messages and on random texts', () => {
    const differing = texts.filter((t) => normalizeText(t) !== reference(t));
    expect(differing).toEqual([]);
    expect(normalizeText('ab', 1)).toBe(reference('ab', 1));
  });
});

describe('tokenize', () => {
  test('a run of three or more digits, and only that, is a number', () => {
    expect(tokenize('no 123 a12 1234x 12 ٣٤٥ 0000')).toEqual([
      'no',
      'xnum',
      'a12',
      '1234x',
      '12',
      '٣٤٥', // \d is ASCII digits only
      'xnum',
    ]);
  });
});

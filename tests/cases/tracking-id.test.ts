import {
  extractTrackingIds,
  generateTrackingId,
  isTrackingId,
  normalizeTrackingId,
} from '../../src/cases/tracking-id';
import { bytesSequence, seededBytes } from './helpers';

const FORMAT = /^ADU-[0-9A-HJKMNP-TV-Z]{6}$/;

describe('generateTrackingId', () => {
  test('maps each byte mod 32 onto the Crockford alphabet', () => {
    // 0–9 → digits, 10 A, 17 H, 18 J, 19 K, 20 M, 21 N, 22 P, 23 Q, 26 T, 27 V, 30 Y, 31 Z
    expect(generateTrackingId(bytesSequence([0, 1, 2, 3, 4, 5]))).toBe('ADU-012345');
    expect(generateTrackingId(bytesSequence([7, 19, 3, 20, 9, 23]))).toBe('ADU-7K3M9Q');
    expect(generateTrackingId(bytesSequence([31, 32, 255, 10, 18, 30]))).toBe('ADU-Z0ZAJY');
    expect(generateTrackingId(bytesSequence([17, 21, 22, 26, 27, 64 + 20]))).toBe('ADU-HNPTVM');
  });

  test('is deterministic for the same bytes', () => {
    const a = Array.from({ length: 50 }, (_, i) => i);
    const first = a.map((i) => generateTrackingId(seededBytes(i)));
    const second = a.map((i) => generateTrackingId(seededBytes(i)));
    expect(second).toEqual(first);
  });

  test('10 000 ids from a seeded source: right format, only Crockford characters, all 32 used', () => {
    const random = seededBytes(20261127);
    const used = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const id = generateTrackingId(random);
      expect(id).toMatch(FORMAT);
      expect(id.slice(4)).not.toMatch(/[ILOU]/);
      for (const ch of id.slice(4)) used.add(ch);
    }
    expect([...used].sort().join('')).toBe('0123456789ABCDEFGHJKMNPQRSTVWXYZ');
  });

  test('asks for 6 bytes', () => {
    const sizes: number[] = [];
    generateTrackingId((size) => {
      sizes.push(size);
      return new Uint8Array(size);
    });
    expect(sizes).toEqual([6]);
  });
});

describe('isTrackingId', () => {
  test.each([
    ['ADU-7K3M9Q', true],
    ['ADU-000000', true],
    ['adu-7k3m9q', false],
    ['ADU7K3M9Q', false],
    ['ADU-7K3M9U', false],
    ['ADU-7K3MOQ', false],
    ['ADU-7K3M9', false],
  ])('%s → %p', (id, ok) => {
    expect(isTrackingId(id)).toBe(ok);
  });
});

describe('normalizeTrackingId', () => {
  test.each([
    ['ADU-7K3M9Q', 'ADU-7K3M9Q'],
    ['adu-7k3m9q', 'ADU-7K3M9Q'], // lower case
    ['Adu-7K3m9Q', 'ADU-7K3M9Q'], // mixed case
    [' adu 7k3m9q ', 'ADU-7K3M9Q'], // spaces instead of the hyphen
    ['ADU - 7K3M9Q', 'ADU-7K3M9Q'],
    ['ADU7K3M9Q', 'ADU-7K3M9Q'], // missing hyphen
    ['adu7k3m9q', 'ADU-7K3M9Q'],
    ['ADU-7K3MOQ', 'ADU-7K3M0Q'], // O → 0
    ['ADU-o0o0o0', 'ADU-000000'],
    ['ADU-I1L1il', 'ADU-111111'], // I and L → 1
    ['ADU-7K3M9Q.', 'ADU-7K3M9Q'], // end of a sentence
    ['(ADU-7K3M9Q)?', null],
    ['ADU-7K3M9Q)!', 'ADU-7K3M9Q'],
    ['ADU-7K3\u200bM9Q', 'ADU-7K3M9Q'], // zero-width space pasted from a chat app
    ['ＡＤＵ－７Ｋ３Ｍ９Ｑ', 'ADU-7K3M9Q'], // full-width characters
  ])('%j → %s', (typed, id) => {
    expect(normalizeTrackingId(typed)).toBe(id);
  });

  test.each([
    ['ADU-7K3M9U', 'U is not in the alphabet'],
    ['ADU-UUUUUU', 'U is not in the alphabet'],
    ['ADU-7K3M9', 'too short'],
    ['ADU-7K3M9QQ', 'too long'],
    ['ADU-', 'empty body'],
    ['', 'empty'],
    ['7K3M9Q', 'no prefix'],
    ['ADX-7K3M9Q', 'other prefix'],
    ['LPR-7K3M9Q', 'other prefix'],
    ['AD-7K3M9Q', 'other prefix'],
    ['XADU-7K3M9Q', 'longer prefix'],
    ['ADU-7K3M9!', 'punctuation in the body'],
    ['ADU-7K3M9Q.X', 'more text after the punctuation'],
    ['ADU-7K 3M9Q', 'space inside the body'],
  ])('%j → null (%s)', (typed) => {
    expect(normalizeTrackingId(typed)).toBeNull();
  });

  test('every normalised id has the canonical format', () => {
    for (const typed of ['adu oiliol', 'ADU zzzzzz', 'adu-000000']) {
      expect(normalizeTrackingId(typed)).toMatch(FORMAT);
    }
  });
});

describe('extractTrackingIds', () => {
  test.each([
    ['Status laporan ADU-7K3M9Q bagaimana?', ['ADU-7K3M9Q']],
    ['Mohon cek adu-7k3m9q dan ADU 12AB34, terima kasih', ['ADU-7K3M9Q', 'ADU-12AB34']],
    ['What is the status of ADU-7K3M9Q and ADU-Z0ZAJY?', ['ADU-7K3M9Q', 'ADU-Z0ZAJY']],
    ['(ADU-7K3M9Q), "adu7k3m9q" and ADU-7K3MOQ.', ['ADU-7K3M9Q', 'ADU-7K3M0Q']],
    ['nomor: ADU-7K3M9Q\nnomor lain: ADU-HNPTVM', ['ADU-7K3M9Q', 'ADU-HNPTVM']],
  ])('%j → %j', (text, ids) => {
    expect(extractTrackingIds(text)).toEqual(ids);
  });

  test('duplicates (in any spelling) are listed once, in order of first mention', () => {
    const text = 'ADU-12AB34 lalu ADU-7K3M9Q, lalu lagi adu 7k3m9q dan ADU7K3M9Q, dan adu-12ab34';
    expect(extractTrackingIds(text)).toEqual(['ADU-12AB34', 'ADU-7K3M9Q']);
  });

  test.each([
    ['KADU-7K3M9Q', 'letters before the prefix'],
    ['xadu7k3m9q', 'letters before the prefix'],
    ['9ADU-7K3M9Q', 'a digit before the prefix'],
    ['ADU-7K3M9QX', 'a seventh character'],
    ['ADU-7K3M9Q1', 'a seventh digit'],
    ['ADU-7K3M9', 'too short'],
    ['ADU-7K3M9U', 'U is not in the alphabet'],
    ['Saya ingin mengadu tentang jalan rusak', 'the word mengadu'],
    ['pengaduan 123456 sudah lama', 'the word pengaduan'],
  ])('%j → nothing (%s)', (text) => {
    expect(extractTrackingIds(text)).toEqual([]);
  });

  test.each([
    ['Jangan adu gengsi, jalan ini rusak', []],
    ['adu sampai kapan ini dibiarkan', []],
    ['ADU-GENGSQ was the id', ['ADU-GENGSQ']],
    ['cek adu 7k3m9q', ['ADU-7K3M9Q']],
  ])('without a hyphen an id needs a digit: %j → %j', (text, ids) => {
    expect(extractTrackingIds(text)).toEqual(ids);
  });

  test('no ids in plain text', () => {
    expect(extractTrackingIds('Jalan di depan rumah saya rusak parah')).toEqual([]);
    expect(extractTrackingIds('')).toEqual([]);
  });
});

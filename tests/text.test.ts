import { normalizeTrackingId } from '../src/cases/tracking-id';
import { normalizeText } from '../src/nlu/normalize';
import { stripInvisible } from '../src/text';

describe('stripInvisible', () => {
  test.each([
    ['ADU-\u200B7K3M9Q', 'ADU-7K3M9Q'],
    ['\uFEFFhalo', 'halo'],
    ['ja\u00ADlan', 'jalan'],
    ['\u202Erusak\u202C', 'rusak'],
    ['lampu\u2060mati', 'lampumati'],
  ])('%j → %j', (input, expected) => {
    expect(stripInvisible(input)).toBe(expected);
  });

  test('keeps ordinary text, emoji and Indonesian letters as they are', () => {
    const text = 'Jalan rusak 🙏 di Jl. Ahmad Yani, café — “parah”';
    expect(stripInvisible(text)).toBe(text);
  });

  test('the NLU and tracking-id look-up see the same characters as invisible', () => {
    for (const mark of ['\u200E', '\u202A', '\u2066', '\u00AD']) {
      expect(normalizeTrackingId(`ADU-7K${mark}3M9Q`)).toBe('ADU-7K3M9Q');
      expect(normalizeText(`lam${mark}pu`)).toBe('lampu');
    }
  });
});

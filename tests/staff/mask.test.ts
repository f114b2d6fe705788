import { maskPii } from '../../src/staff/mask';
import { MASK_LABELS } from '../../src/staff/mask-labels';

const L = { nik: '[NIK]', phone: '[HP]', email: '[EMAIL]' };

describe('maskPii', () => {
  test.each([
    ['NIK saya 3201012345670001.', 'NIK saya [NIK].'],
    ['NIK: 3201 0123 4567 0001', 'NIK: [NIK]'],
    ['KK 3201-0123-4567-0002 ya', 'KK [NIK] ya'],
    ['hp 081234567890', 'hp [HP]'],
    ['hp 0812-3456-7890 / 0812 3456 7890', 'hp [HP] / [HP]'],
    ['WA +62 812-3456-7890', 'WA [HP]'],
    ['wa 6281234567890', 'wa [HP]'],
    ['kantor (021) 555-1234', 'kantor [HP]'],
    ['mail budi.s+lapor@mail.co.id ok', 'mail [EMAIL] ok'],
    ['BUDI@EXAMPLE.ORG', '[EMAIL]'],
    // Glued to words, next to other numbers, or with spaced dashes and a bracketed area code.
    ['NIK3201012345670001', 'NIK[NIK]'],
    ['no.hp081234567890', 'no.hp[HP]'],
    ['NIK 3201012345670001 0812 3456 7890', 'NIK [NIK] [HP]'],
    ['Jl Melati 5 3201012345670001', 'Jl Melati 5 [NIK]'],
    ['rumah no 12 081234567890', 'rumah no 12 [HP]'],
    ['WA 0812 - 3456 - 7890', 'WA [HP]'],
    ['telp +62(21)5551234', 'telp [HP]'],
  ])('%s', (input, expected) => {
    expect(maskPii(input, L)).toBe(expected);
  });

  // Separators and digit forms an attacker (or a phone keyboard) may use instead of ASCII ones.
  test.each([
    ['hp 0812/3456/7890', 'hp [HP]'],
    ['hp 0812_3456_7890', 'hp [HP]'],
    ['hp 0812\\3456\\7890', 'hp [HP]'],
    ['wa 0857\u20131111\u20132222 ya', 'wa [HP] ya'],
    ['wa 0857\u20141111\u20142222', 'wa [HP]'],
    ['wa 0857\u22121111\u22122222', 'wa [HP]'],
    ['wa 0857\u20111111\u20112222', 'wa [HP]'],
    ['wa 0857\u00b71111\u00b72222', 'wa [HP]'],
    ['wa 0857 / 1111 / 2222', 'wa [HP]'],
    ['wa 0857--1111--2222', 'wa [HP]'],
    ['wa 0857  1111\u00a02222', 'wa [HP]'],
    ['wa 0857\n1111\n2222', 'wa [HP]'],
    ['wa 08\u200b57\u200d1111\u2060\u00ad2222', 'wa [HP]'],
    ['hp \uff10\uff18\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19\uff10', 'hp [HP]'],
    [
      'hp \uff10\uff18\uff11\uff12\uff0d\uff13\uff14\uff15\uff16\uff0d\uff17\uff18\uff19\uff10',
      'hp [HP]',
    ],
    ['hp \u0660\u0668\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660', 'hp [HP]'],
    ['hp \u{1d7ce}\u{1d7d6}\u{1d7cf}\u{1d7d0}3456 7890', 'hp [HP]'],
    ['wa \uff0b62 812 3456 7890', 'wa [HP]'],
    ['wa (+62) 812-3456-7890', 'wa ([HP]'],
    ['NIK 3201/0123/4567/0001', 'NIK [NIK]'],
    ['NIK 3201_0123_4567_0001', 'NIK [NIK]'],
    ['NIK 3201\u20130123\u20134567\u20130001', 'NIK [NIK]'],
    [
      'NIK \uff13\uff12\uff10\uff11\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff10\uff10\uff10\uff11',
      'NIK [NIK]',
    ],
    // E-mail addresses with letters of any script, IDN domains and full-width forms.
    ['mail bud\u00ed@gmail.com ok', 'mail [EMAIL] ok'],
    ['mail budi\u0301@gmail.com ok', 'mail [EMAIL] ok'],
    ['mail siti@b\u00fccher.de', 'mail [EMAIL]'],
    ['mail \u0441\u0438\u0442\u0438@\u043f\u043e\u0447\u0442\u0430.\u0440\u0444', 'mail [EMAIL]'],
    ['mail budi\uff20gmail\uff0ecom', 'mail [EMAIL]'],
    ['mail budi@gmail\u3002com', 'mail [EMAIL]'],
    ['mail budi\u200b@gmail.com', 'mail [EMAIL]'],
    ["mail o'neil_99@mail.co.id", 'mail [EMAIL]'],
  ])('other forms: %j', (input, expected) => {
    expect(maskPii(input, L)).toBe(expected);
  });

  test('e-mail and number scanning stay linear on long hostile texts', () => {
    for (const text of [
      'a'.repeat(50_000),
      'a.'.repeat(50_000),
      'a@'.repeat(50_000),
      '@a.'.repeat(35_000),
      'a-'.repeat(50_000),
      '1 '.repeat(50_000),
      '1/'.repeat(50_000),
      '\u200b1'.repeat(50_000),
      '\uff11\u2013'.repeat(50_000),
    ]) {
      const started = process.hrtime.bigint();
      maskPii(text, L);
      expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1500);
    }
  });

  test.each([
    'Jl. Melati No. 5, RT 02/RW 03, Kel. Sukamaju',
    'RT 002/RW 003 No 12/3',
    'sejak 05/11/2026 08.30 sampai 06/11/2026 10.00',
    'tanggal 08-12-2026 0830',
    'sejak 27-11-2026 jam 10.30',
    'biaya Rp 1.500.000 dan 250000',
    'laporan ADU-7K3M9Q',
    'koordinat -6.2088, 106.8456',
    'nomor seri 12345678901234567',
    'tanggal 27 11 2026, 08.30-10.00',
    'harga Rp 2.500.000-3.000.000',
  ])('keeps other numbers: %s', (input) => {
    expect(maskPii(input, L)).toBe(input);
  });

  test('labels come from the staff language', () => {
    expect(maskPii('0812-3456-7890', MASK_LABELS.id)).toBe('[nomor telepon disamarkan]');
    expect(maskPii('0812-3456-7890', MASK_LABELS.en)).toBe('[phone hidden]');
  });
});

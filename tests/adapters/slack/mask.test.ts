import { maskPii } from '../../../adapters/slack/mask';
import { STAFF_TEXTS } from '../../../adapters/slack/texts';

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

  test.each([
    'Jl. Melati No. 5, RT 02/RW 03, Kel. Sukamaju',
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
    expect(maskPii('0812-3456-7890', STAFF_TEXTS.id.mask)).toBe('[nomor telepon disamarkan]');
    expect(maskPii('0812-3456-7890', STAFF_TEXTS.en.mask)).toBe('[phone hidden]');
  });
});

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
  ])('keeps other numbers: %s', (input) => {
    expect(maskPii(input, L)).toBe(input);
  });

  test('labels come from the staff language', () => {
    expect(maskPii('0812-3456-7890', STAFF_TEXTS.id.mask)).toBe('[nomor telepon disamarkan]');
    expect(maskPii('0812-3456-7890', STAFF_TEXTS.en.mask)).toBe('[phone hidden]');
  });
});

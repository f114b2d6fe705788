import type { Language } from '../taxonomy';
import type { MaskLabels } from './mask';

/**
 * What replaces each kind of personal data in what staff read, per staff language.
 *
 * @example
 * maskPii('hp 0812-3456-7890', MASK_LABELS.en) // 'hp [phone hidden]'
 */
export const MASK_LABELS: Readonly<Record<Language, MaskLabels>> = {
  id: {
    nik: '[NIK disamarkan]',
    phone: '[nomor telepon disamarkan]',
    email: '[email disamarkan]',
  },
  en: { nik: '[NIK hidden]', phone: '[phone hidden]', email: '[e-mail hidden]' },
};

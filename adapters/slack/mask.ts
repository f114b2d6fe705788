/** What replaces each kind of personal data (in the staff's language). */
export interface MaskLabels {
  nik: string;
  phone: string;
  email: string;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
/**
 * A number written in groups of digits separated by one space, dot or dash, optionally with a
 * leading `+` and parentheses around a group: `3201012345670001`, `0812-3456-7890`,
 * `+62 812 3456 7890`, `(021) 555 1234`. Not glued to letters or other digits.
 */
const NUMBER = /(?<![\w+])\+?\(?\d+\)?(?:(?:[ .-]|(?<=\)))\(?\d+\)?)*(?![\w])/g;

/** Indonesian phone numbers: +62 / 62 / 0 then 8 to 13 more digits. */
function isPhone(raw: string, digits: string): boolean {
  const international = raw.startsWith('+');
  if (international) return digits.length >= 9 && digits.length <= 15;
  return /^(62|0)/.test(digits) && digits.length >= 9 && digits.length <= 15;
}

/**
 * Hides personal data in free text shown to staff on anonymous and confidential reports: NIK
 * (16-digit population numbers, also KK numbers), phone numbers and e-mail addresses. Pure.
 * Other numbers (house numbers, dates, amounts, RT/RW) are kept.
 *
 * @example
 * maskPii('NIK 3201012345670001, hp 0812-3456-7890', labels)
 * // 'NIK [NIK], hp [phone]'
 */
export function maskPii(text: string, labels: MaskLabels): string {
  return text
    .replace(EMAIL, () => labels.email)
    .replace(NUMBER, (raw) => {
      const digits = raw.replace(/\D/g, '');
      if (digits.length === 16) return labels.nik;
      if (isPhone(raw, digits)) return labels.phone;
      return raw;
    });
}

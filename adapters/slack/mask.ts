/** What replaces each kind of personal data (in the staff's language). */
export interface MaskLabels {
  nik: string;
  phone: string;
  email: string;
}

/** An e-mail address; it starts where its local part does (linear time on long texts). */
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
/**
 * A run of digit groups separated by one space, dot or dash (a dash may have spaces around it),
 * optionally with a leading `+` and parentheses around a group: `3201012345670001`,
 * `0812-3456-7890`, `+62 812 3456 7890`, `(021) 555 1234`, `+62(21)5551234`. Letters may touch
 * it (`NIK3201…`), other digits may not. A run can hold several numbers (`No. 5 0812…`): its
 * groups are checked one span at a time (see `maskRun`).
 */
const RUN = /(?<![\d+])\+?\(?\d+\)?(?:(?: ?[.-] ?| |(?<=\))|(?=\())\(?\d+\)?)*(?!\d)/g;
const GROUP = /\+?\(?\d+\)?/g;
/** The longest number worth masking (a NIK); longer spans are not tried. */
const MAX_DIGITS = 16;

/** Indonesian phone numbers: +62 / 62 / 0 then 8 to 13 more digits. */
function isPhone(raw: string, digits: string): boolean {
  const international = raw.startsWith('+');
  if (international) return digits.length >= 9 && digits.length <= 15;
  return /^(62|0)/.test(digits) && digits.length >= 9 && digits.length <= 15;
}

/** What a span of a number run is, or null when it is no personal data. */
function labelOf(span: string, labels: MaskLabels): string | null {
  const digits = span.replace(/\D/g, '');
  if (digits.length === 16) return labels.nik;
  if (isPhone(span, digits)) return labels.phone;
  return null;
}

/**
 * Masks the numbers in one run of digit groups: from each group that starts a word (the run's
 * first, or one after a space), the longest span of groups up to a word end (at most 16 digits)
 * that is a NIK or a phone number is replaced; other groups are kept. `Rp 2.500.000-3.000.000`
 * stays whole; `No. 5 0812 3456 7890` masks the phone number only.
 */
function maskRun(run: string, labels: MaskLabels): string {
  const groups = [...run.matchAll(GROUP)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    digits: m[0].replace(/\D/g, '').length,
  }));
  const spaceBefore = (i: number) =>
    i === 0 || run.slice(groups[i - 1]?.end, groups[i]?.start).includes(' ');
  const spaceAfter = (j: number) => j === groups.length - 1 || spaceBefore(j + 1);
  let out = '';
  let kept = 0;
  let i = 0;
  while (i < groups.length) {
    const first = groups[i];
    if (!first) break;
    let last = i;
    let digits = first.digits;
    for (let j = i + 1; j < groups.length; j++) {
      digits += groups[j]?.digits ?? 0;
      if (digits > MAX_DIGITS) break;
      last = j;
    }
    let masked = false;
    for (let j = last; j >= i && !masked && spaceBefore(i); j--) {
      const end = groups[j]?.end ?? first.end;
      const label = spaceAfter(j) ? labelOf(run.slice(first.start, end), labels) : null;
      if (label) {
        out += run.slice(kept, first.start) + label;
        kept = end;
        i = j + 1;
        masked = true;
      }
    }
    if (!masked) i++;
  }
  return out + run.slice(kept);
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
  return text.replace(EMAIL, () => labels.email).replace(RUN, (run) => maskRun(run, labels));
}

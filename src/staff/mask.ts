/** What replaces each kind of personal data (in the staff's language). */
export interface MaskLabels {
  nik: string;
  phone: string;
  email: string;
}

/**
 * The scanning form of a text. Every character is folded to what it stands for: any decimal
 * digit (full-width, Arabic-Indic, mathematical…) and NFKC digit forms (superscripts, circled)
 * to ASCII digits; every dash (hyphen, non-breaking hyphen, en/em dash, minus sign…) to `-`;
 * dot-like marks to `.`; slash-like to `/`; underscore-like to `_`; a run of white space (any
 * kind, line breaks too) to one space; invisible characters (zero-width, soft hyphen, bidi
 * controls, variation selectors, combining marks) to nothing; anything else to its NFKC form
 * (`＋`→`+`, `＠`→`@`). `from`/`to` give, per scanning character, the span of the original text
 * it came from, so a match in the scan masks exactly the original characters.
 */
interface Scan {
  text: string;
  from: number[];
  to: number[];
}

const INVISIBLE = /^[\p{Cf}\p{M}\u115f\u1160\u3164\uffa0]$/u;
const DASH = /^[\p{Pd}\u2212\u2796\u02d7\u2043\ufe63\uff0d]$/u;
const DOT = /^[.\u00b7\u2022\u2024\u2027\u2219\u22c5\u30fb\uff0e\uff65\u3002\uff61]$/u;
const SLASH = /^[/\\\u2044\u2215\u29f8\u29f9\uff0f\uff3c]$/u;
const UNDERSCORE = /^\p{Pc}$/u;
const SPACE = /^\s$/u;
const DIGITS = /^\p{Nd}+$/u;

const folded = new Map<string, string>();

/** The ASCII value of a decimal digit of any script (Unicode encodes each as 0–9 in a row). */
function digitValue(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp >= 0x30 && cp <= 0x39) return ch;
  let zero = cp;
  while (zero > 0 && /\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero--;
  return String((cp - zero) % 10);
}

/** What one character (code point) is folded to for scanning; '' for invisible ones. */
function fold(ch: string): string {
  if (ch.length === 1 && ch.charCodeAt(0) < 0x80)
    return SPACE.test(ch) ? ' ' : ch === '\\' ? '/' : ch;
  const known = folded.get(ch);
  if (known !== undefined) return known;
  let out: string;
  const nfkc = ch.normalize('NFKC');
  if (INVISIBLE.test(ch)) out = '';
  else if (SPACE.test(ch)) out = ' ';
  else if (DASH.test(ch) || DASH.test(nfkc)) out = '-';
  else if (DOT.test(ch) || DOT.test(nfkc)) out = '.';
  else if (SLASH.test(ch) || SLASH.test(nfkc)) out = '/';
  else if (UNDERSCORE.test(ch) || UNDERSCORE.test(nfkc)) out = '_';
  else if (DIGITS.test(nfkc)) out = [...nfkc].map(digitValue).join('');
  else out = nfkc.replace(/\p{M}/gu, '');
  if (folded.size < 10_000) folded.set(ch, out);
  return out;
}

function scanOf(text: string): Scan {
  const out: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  let i = 0;
  for (const ch of text) {
    const f = fold(ch);
    const end = i + ch.length;
    if (f === '' || (f === ' ' && out[out.length - 1] === ' ')) {
      // Invisible, or more white space: it joins the previous character's span.
      if (to.length > 0) to[to.length - 1] = end;
    } else {
      for (const c of f) {
        out.push(c);
        from.push(i);
        to.push(end);
      }
    }
    i = end;
  }
  return { text: out.join(''), from, to };
}

/**
 * An e-mail address in the scan: letters of any script in the local part and the domain (IDN).
 * It starts where its local part does (the look-behind), so a long text without `@` is one
 * linear pass, not a retry at every character.
 */
const EMAIL =
  /(?<![\p{L}\p{N}!#$%&'*+/=?^_`{|}~.-])[\p{L}\p{N}!#$%&'*+/=?^_`{|}~.-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
/**
 * A run of digit groups in the scan, separated by white space, or by up to three dashes, dots,
 * slashes or underscores (white space around them allowed), optionally with a leading `+` and
 * parentheses around a group: `3201012345670001`, `0812-3456-7890`, `0812/3456/7890`,
 * `+62 812 3456 7890`, `(021) 555 1234`, `+62(21)5551234`. Letters may touch it (`NIK3201…`),
 * other digits may not. A run can hold several numbers (`No. 5 0812…`): its groups are checked
 * one span at a time (see `numberSpans`).
 */
const RUN = /(?<![\d+])\+?\(?\d+\)?(?:(?: ?[-./_]{1,3} ?| |(?<=\))|(?=\())\(?\d+\)?)*(?!\d)/g;
const GROUP = /\+?\(?\d+\)?/g;
/** A date as a first word (`27/11/2026`, `05-11-26`): what follows it is not part of a number. */
const DATE = /^\(?\d{1,2}([-./])\d{1,2}\1\d{2,4}\)?$/;
/** The longest number worth masking (a NIK); longer spans are not tried. */
const MAX_DIGITS = 16;

/** Indonesian phone numbers: +62 / 62 / 0 then 8 to 13 more digits. */
function isPhone(raw: string, digits: string): boolean {
  const international = raw.startsWith('+');
  if (international) return digits.length >= 9 && digits.length <= 15;
  return /^(62|0)/.test(digits) && digits.length >= 9 && digits.length <= 15;
}

type Kind = keyof MaskLabels;

/** What a span of a number run is, or null when it is no personal data. */
function kindOf(span: string): Kind | null {
  const firstWord = span.split(' ')[0] ?? '';
  if (DATE.test(firstWord)) return null;
  const digits = span.replace(/\D/g, '');
  // A NIK (and a KK number) starts with its province code, 11 to 94: never with 0.
  if (digits.length === 16 && digits[0] !== '0') return 'nik';
  if (isPhone(span, digits)) return 'phone';
  return null;
}

interface Span {
  start: number;
  end: number;
  kind: Kind;
}

/**
 * The numbers to mask in one run of digit groups (offsets in the run): from each group that
 * starts a word (the run's first, or one after a space), the longest span of groups up to a
 * word end (at most 16 digits) that is a NIK or a phone number; other groups are kept.
 * `Rp 2.500.000-3.000.000` stays whole; `No. 5 0812 3456 7890` masks the phone number only.
 */
function numberSpans(run: string): Span[] {
  const groups = [...run.matchAll(GROUP)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    digits: m[0].replace(/\D/g, '').length,
  }));
  const spaceBefore = (i: number) =>
    i === 0 || run.slice(groups[i - 1]?.end, groups[i]?.start).includes(' ');
  const spaceAfter = (j: number) => j === groups.length - 1 || spaceBefore(j + 1);
  const spans: Span[] = [];
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
      const kind = spaceAfter(j) ? kindOf(run.slice(first.start, end)) : null;
      if (kind) {
        spans.push({ start: first.start, end, kind });
        i = j + 1;
        masked = true;
      }
    }
    if (!masked) i++;
  }
  return spans;
}

/**
 * Hides personal data in free text shown to staff on anonymous and confidential reports: NIK
 * (16-digit population numbers, also KK numbers), phone numbers and e-mail addresses. Pure.
 * Numbers are found whatever their digits and separators look like (full-width or other
 * scripts' digits; spaces, dashes of any kind, dots, slashes, underscores; zero-width
 * characters inside), and e-mail addresses with letters of any script. Other numbers (house
 * numbers, dates, amounts, RT/RW) are kept.
 *
 * @example
 * maskPii('NIK 3201012345670001, hp 0812/3456/7890', labels)
 * // 'NIK [NIK], hp [phone]'
 */
export function maskPii(text: string, labels: MaskLabels): string {
  const scan = scanOf(text);
  const spans: Span[] = [];
  // Numbers are looked for outside the e-mail addresses only.
  const rest = scan.text.replace(EMAIL, (address: string, start: number) => {
    spans.push({ start, end: start + address.length, kind: 'email' });
    return '@'.repeat(address.length);
  });
  for (const m of rest.matchAll(RUN))
    for (const s of numberSpans(m[0]))
      spans.push({ start: m.index + s.start, end: m.index + s.end, kind: s.kind });
  spans.sort((a, b) => a.start - b.start);
  let out = '';
  let kept = 0;
  for (const s of spans) {
    const start = scan.from[s.start] ?? text.length;
    const end = scan.to[s.end - 1] ?? text.length;
    out += text.slice(kept, start) + labels[s.kind];
    kept = end;
  }
  return out + text.slice(kept);
}

import type { Language } from '../../src/taxonomy';

/**
 * The words the Open311 interface writes itself: the `service_notice` of a request and the
 * internal note on a case it creates (read by staff on their desk).
 */

/**
 * The language a `locale` parameter asks for: English for `en`, `en-US`, `en_GB`…; Indonesian
 * for `id`, `id-ID` and the legacy `in`; undefined otherwise (the caller's default applies).
 *
 * @example
 * localeLanguage('en-US') // 'en'
 * localeLanguage('fr')    // undefined
 */
export function localeLanguage(locale: string | undefined): Language | undefined {
  const primary = /^([a-z]{2,3})(?:[-_][a-z0-9-]*)?$/i.exec(locale?.trim() ?? '')?.[1];
  switch (primary?.toLowerCase()) {
    case 'en':
      return 'en';
    case 'id':
    case 'in':
      return 'id';
    default:
      return undefined;
  }
}

/** What the agency does next, with the deadlines in working days. */
export function serviceNotice(
  lang: Language,
  facts: { agency: string; verifyDays: number; followUpDays: number; urgent: boolean },
): string {
  const { agency, verifyDays, followUpDays } = facts;
  const text =
    lang === 'en'
      ? `Handled by ${agency}: verified within ${verifyDays} working days, then followed up within ${followUpDays} working days.`
      : `Ditangani oleh ${agency}: diverifikasi dalam ${verifyDays} hari kerja, lalu ditindaklanjuti dalam ${followUpDays} hari kerja.`;
  if (!facts.urgent) return text;
  return `${text} ${lang === 'en' ? 'If lives are in danger, call 112.' : 'Jika ada bahaya bagi jiwa, hubungi 112.'}`;
}

/**
 * The internal note on the `created` event of a request filed through Open311: which client
 * (API key) sent it, the attribute answers and the media URL. Nothing about the reporter: staff
 * see who reported through the case's identity rules, never through this note.
 */
export function createdNote(
  lang: Language,
  facts: { client: string; keyId: string; answers: string[]; mediaUrl?: string },
): string {
  const en = lang === 'en';
  const lines = [
    en
      ? `Filed through Open311 by ${facts.client} (API key ${facts.keyId}).`
      : `Masuk lewat Open311 dari ${facts.client} (kunci API ${facts.keyId}).`,
    ...facts.answers,
  ];
  if (facts.mediaUrl) lines.push(`Media: ${facts.mediaUrl}`);
  return lines.join('\n');
}

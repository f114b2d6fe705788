/** Languages of the Bot Framework adapter's own lines (the core has its own texts). */
export type Lang = 'id' | 'en';

/** The adapter's own user-visible lines, in Indonesian and English. */
export const TEXTS = {
  group: {
    id: 'Halo! Agar data Anda aman, laporan dan pertanyaan pribadi hanya saya layani lewat chat pribadi. Buka chat langsung dengan Suara.',
    en: 'Hello! To keep your data safe, I take reports and personal questions only in a private chat. Open a chat with Suara directly.',
  },
  typeAddress: {
    id: 'Di sini lokasi tidak bisa dibagikan: tulis alamatnya saja.',
    en: 'A location cannot be shared here: just type the address.',
  },
} as const satisfies Record<string, Record<Lang, string>>;

/**
 * The adapter's language from an activity's `locale` ("en-US", "en" → en; else id).
 *
 * @example
 * localeLang('en-GB') // 'en'
 */
export function localeLang(locale: string | undefined): Lang {
  return locale?.slice(0, 2).toLowerCase() === 'en' ? 'en' : 'id';
}

/** One adapter line in a language. */
export function text(key: keyof typeof TEXTS, lang: Lang): string {
  return TEXTS[key][lang];
}

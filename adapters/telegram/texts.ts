/** Languages of the Telegram adapter's own lines (the core has its own texts). */
export type Lang = 'id' | 'en';

/** The adapter's own user-visible lines, in Indonesian and English. */
export const TEXTS = {
  help: {
    id: [
      'Saya Suara, layanan pengaduan dan informasi warga. Tulis saja masalah atau pertanyaan Anda.',
      'Perintah:',
      '/start - menu utama',
      '/status ADU-XXXXXX - cek status laporan',
      '/lang - ganti bahasa',
      '/help - bantuan ini',
      'Ketik "batal" untuk membatalkan, "petugas" untuk bicara dengan petugas.',
    ].join('\n'),
    en: [
      'I am Suara, the citizen complaint and information service. Just write your problem or question.',
      'Commands:',
      '/start - main menu',
      '/status ADU-XXXXXX - check a report',
      '/lang - change language',
      '/help - this help',
      'Type "cancel" to stop, "agent" to talk to an officer.',
    ].join('\n'),
  },
  group: {
    id: 'Halo! Agar data Anda aman, saya hanya melayani lewat chat pribadi. Silakan kirim pesan langsung ke saya.',
    en: 'Hello! To keep your data safe, I only help in a private chat. Please send me a direct message.',
  },
  chooseLanguage: {
    id: 'Pilih bahasa / Choose a language:',
    en: 'Choose a language / Pilih bahasa:',
  },
  shareLocation: {
    id: '📍 Kirim lokasi saya',
    en: '📍 Send my location',
  },
  failed: {
    id: 'Maaf, terjadi gangguan. Silakan coba lagi sebentar lagi.',
    en: 'Sorry, something went wrong. Please try again in a moment.',
  },
} as const satisfies Record<string, Record<Lang, string>>;

/** Labels of the /lang buttons, each in its own language. */
export const LANGUAGE_LABELS: Record<Lang, string> = {
  id: 'Bahasa Indonesia',
  en: 'English',
};

/** What the core understands as "switch to this language". */
export const LANGUAGE_SWITCH_TEXT: Record<Lang, string> = {
  id: 'bahasa indonesia',
  en: 'english',
};

/**
 * The adapter's language from Telegram's `language_code` ("en", "en-GB" → en; else id).
 *
 * @example
 * localeLang('en-US') // 'en'
 */
export function localeLang(code: string | undefined): Lang {
  return code?.slice(0, 2).toLowerCase() === 'en' ? 'en' : 'id';
}

/** One adapter line in a language. */
export function text(key: keyof typeof TEXTS, lang: Lang): string {
  return TEXTS[key][lang];
}

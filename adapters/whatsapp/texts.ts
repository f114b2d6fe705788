import type { Notification } from '../../src/core/notifications';

/** Languages of the WhatsApp adapter's own lines (the core has its own texts). */
export type Lang = 'id' | 'en';

/** The adapter's own user-visible lines, in Indonesian and English. */
export const TEXTS = {
  failed: {
    id: 'Maaf, terjadi gangguan. Silakan coba lagi sebentar lagi.',
    en: 'Sorry, something went wrong. Please try again in a moment.',
  },
  unsupported: {
    id: 'Maaf, saya hanya bisa membaca teks, foto, lokasi, dan pilihan tombol. Silakan tulis pesan Anda.',
    en: 'Sorry, I can only read text, photos, locations and button choices. Please type your message.',
  },
  shareLocation: {
    id: '📍 Bagikan lokasi dengan tombol di bawah, atau tulis alamatnya.',
    en: '📍 Share the location with the button below, or type the address.',
  },
  /** The button that opens a list of choices (at most 20 characters). */
  listButton: { id: 'Pilih', en: 'Choose' },
  moreChoices: { id: 'Pilihan lainnya:', en: 'More choices:' },
} as const satisfies Record<string, Record<Lang, string>>;

/**
 * What a notification says happened, for the {{2}} of the notification template: one short
 * phrase per kind of notice (a template parameter holds no line breaks).
 */
export const STATUS_LABELS = {
  verify: { id: 'diverifikasi', en: 'verified' },
  start: { id: 'sedang ditindaklanjuti', en: 'in progress' },
  request_info: { id: 'perlu informasi tambahan', en: 'more information needed' },
  reject: { id: 'ditolak', en: 'rejected' },
  close: { id: 'ditutup', en: 'closed' },
  reopen: { id: 'dibuka kembali', en: 'reopened' },
  officer_reply: { id: 'ada pesan dari petugas', en: 'a message from an officer' },
  resolved_ask: { id: 'selesai ditangani', en: 'resolved' },
} as const satisfies Record<string, Record<Lang, string>>;

/** One adapter line in a language. */
export function text(key: keyof typeof TEXTS, lang: Lang): string {
  return TEXTS[key][lang];
}

/**
 * The status phrase of a notice about a case, or null for a notification that is none.
 *
 * @example
 * statusLabel({ kind: 'case_status', event: 'verify', … }, 'id') // 'diverifikasi'
 */
export function statusLabel(n: Notification, lang: Lang): string | null {
  switch (n.kind) {
    case 'case_status':
      return STATUS_LABELS[n.event][lang];
    case 'officer_reply':
    case 'resolved_ask':
      return STATUS_LABELS[n.kind][lang];
    default:
      return null;
  }
}

/**
 * A language of the core's as the adapter's (anything but English is read as Indonesian).
 *
 * @example
 * adapterLang('en') // 'en'
 */
export function adapterLang(lang: string | undefined): Lang {
  return lang === 'en' ? 'en' : 'id';
}

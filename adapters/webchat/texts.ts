/** What the web chat itself says to citizens (the bot's own replies come from the core). */
export const WEBCHAT_TEXTS = {
  turnFailed: {
    id: 'Maaf, ada gangguan di sistem kami. Silakan coba lagi sebentar lagi.',
    en: 'Sorry, something went wrong on our side. Please try again in a moment.',
  },
} as const;

/** The text in the user's language: English for an `en…` locale, Indonesian otherwise. */
export function webchatText(key: keyof typeof WEBCHAT_TEXTS, locale?: string): string {
  return WEBCHAT_TEXTS[key][locale?.toLowerCase().startsWith('en') ? 'en' : 'id'];
}

import type { types } from '@slack/bolt';
import type { Choice, Reply } from '../../src/core/types';
import { splitText } from '../../src/text';

/** Languages of the citizen-facing lines of the Slack adapter. */
export type CitizenLang = 'id' | 'en';

/** The Slack adapter's own lines for citizens, in Indonesian and English. */
export const CITIZEN_TEXTS = {
  mention: {
    id: 'Halo! Agar data Anda aman, laporan dan pertanyaan pribadi hanya saya layani lewat pesan langsung (DM). Kirim pesan langsung ke Suara.',
    en: 'Hello! To keep your data safe, I take reports and personal questions only in a direct message. Send Suara a direct message.',
  },
  typeAddress: {
    id: 'Di sini lokasi tidak bisa dibagikan: tulis alamatnya saja.',
    en: 'A location cannot be shared here: just type the address.',
  },
} as const satisfies Record<string, Record<CitizenLang, string>>;

/** A section holds 3,000 characters; one per message keeps long answers readable. */
export const MAX_SECTION_LENGTH = 3000;
/** The action ids of citizens' choice buttons (never `suara:…`, the staff desk's). */
export const CHOICE_ACTION_PREFIX = 'citizen:choice:';
/** Slack takes at most 25 elements in an actions block, and 75 characters on a button. */
const ACTIONS_PER_BLOCK = 25;
const BUTTON_LABEL_MAX = 75;

/** One chat.postMessage of a reply to a citizen (channel and thread added by the sender). */
export interface CitizenPost {
  text: string;
  blocks: types.KnownBlock[];
}

/**
 * One core reply as the messages that show it in a Slack DM: the text (plain, so nothing anyone
 * wrote is taken for markup or a mention) with its link and, when the step wants a location, a
 * line asking for the address (Slack shares none); split into sections of 3,000 characters, one
 * message each; the choices as buttons on the last, whose `value` is the choice's.
 *
 * @example
 * renderCitizenReply({ text: 'Benar?', choices: [{ label: 'Ya', value: 'yes' }] }, 'id')
 * // [{ text: 'Benar?', blocks: [{ type: 'section', text: { type: 'plain_text', text: 'Benar?' } },
 * //   { type: 'actions', elements: [{ type: 'button', action_id: 'citizen:choice:0', value: 'yes', … }] }] }]
 */
export function renderCitizenReply(reply: Reply, lang: CitizenLang): CitizenPost[] {
  const lines = [reply.text];
  if (reply.link) lines.push(`${reply.link.title}: ${reply.link.url}`);
  if (reply.requestLocation) lines.push(CITIZEN_TEXTS.typeAddress[lang]);
  const body = lines.filter((l) => l.trim() !== '').join('\n');
  const choices = reply.choices ?? [];
  if (body === '' && choices.length === 0) return [];
  const posts: CitizenPost[] = splitText(body === '' ? '…' : body, MAX_SECTION_LENGTH).map((t) => ({
    text: t,
    blocks: [{ type: 'section', text: { type: 'plain_text', text: t, emoji: true } }],
  }));
  const last = posts[posts.length - 1];
  if (last && choices.length > 0) {
    for (let i = 0; i < choices.length; i += ACTIONS_PER_BLOCK) {
      last.blocks.push({
        type: 'actions',
        elements: choices.slice(i, i + ACTIONS_PER_BLOCK).map((c, j) => button(c, i + j)),
      });
    }
  }
  return posts;
}

function button(choice: Choice, index: number): types.Button {
  const label = (choice.label.trim() || choice.value).slice(0, BUTTON_LABEL_MAX);
  return {
    type: 'button',
    action_id: `${CHOICE_ACTION_PREFIX}${index}`,
    text: { type: 'plain_text', text: label, emoji: true },
    value: choice.value,
  };
}

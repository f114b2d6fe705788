import type { WhatsAppTemplate } from '../../src/config/env';
import type { Choice, Reply } from '../../src/core/types';
import { splitText } from '../../src/text';
import { type Lang, text } from './texts';

/** WhatsApp's limits on what Suara sends (characters, counted as UTF-16 code units: safe). */
export const LIMITS = {
  /** A text message's body. */
  text: 4096,
  /** The body of reply buttons and of a location request. */
  shortBody: 1024,
  /** The body of a list message. */
  listBody: 4096,
  /** Reply buttons per message. */
  buttons: 3,
  buttonTitle: 20,
  /** Rows of one list message (over all its sections). */
  rows: 10,
  rowTitle: 24,
  rowDescription: 72,
} as const;

/** A message as the Cloud API takes it, without the addressee (the client adds `to`). */
export type OutgoingMessage =
  | { type: 'text'; text: { body: string; preview_url: boolean } }
  | { type: 'interactive'; interactive: Interactive }
  | { type: 'template'; template: TemplateBody };

export type Interactive =
  | {
      type: 'button';
      body: { text: string };
      action: { buttons: { type: 'reply'; reply: { id: string; title: string } }[] };
    }
  | {
      type: 'list';
      body: { text: string };
      action: {
        button: string;
        sections: { rows: { id: string; title: string; description?: string }[] }[];
      };
    }
  | { type: 'location_request_message'; body: { text: string }; action: { name: 'send_location' } };

export interface TemplateBody {
  name: string;
  language: { code: string };
  components: { type: 'body'; parameters: { type: 'text'; text: string }[] }[];
}

/**
 * A label shortened on purpose to at most `max` characters: cut after the last whole word that
 * fits and marked with "…", so a shortened label always shows it was shortened. A first word
 * longer than `max` is the only thing cut inside a word (still with the "…").
 *
 * @example
 * shortenLabel('Jalan, jembatan, dan saluran air', 24) // 'Jalan, jembatan, dan…'
 * shortenLabel('Ya', 20) // 'Ya'
 */
export function shortenLabel(label: string, max: number): string {
  const clean = label.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const room = clean.slice(0, max); // the "…" takes the place of the space after the last word
  const cut = room.lastIndexOf(' ');
  const kept = cut > 0 ? room.slice(0, cut) : clean.slice(0, max - 1);
  return `${kept.replace(/[\s,.;:–—-]+$/, '')}…`;
}

/**
 * The labels shortened to `max` characters (see {@link shortenLabel}), each title distinct: Meta
 * refuses a message whose buttons share a title. Labels whose shortened forms collide are numbered
 * by their place ("2. Jalan rusak…"), so each still points at its choice.
 *
 * @example
 * distinctTitles(['Jalan rusak di depan sekolah', 'Jalan rusak di depan pasar'], 20)
 * // ['1. Jalan rusak di…', '2. Jalan rusak di…']
 */
export function distinctTitles(labels: string[], max: number): string[] {
  const titles = labels.map((l) => shortenLabel(l, max));
  const count = new Map<string, number>();
  for (const t of titles) count.set(t, (count.get(t) ?? 0) + 1);
  return titles.map((t, i) =>
    (count.get(t) ?? 0) > 1 ? shortenLabel(`${i + 1}. ${labels[i]}`, max) : t,
  );
}

/**
 * One core reply as the Cloud API messages that show it, in order:
 * - its text (with the link) as text messages of at most 4,096 characters, split on lines;
 * - up to 3 choices as reply buttons on the last part (titles of at most 20 characters, labels
 *   shortened at a word boundary; then the full labels are listed in the body), more as a list
 *   (rows of at most 24 characters, a shortened label's full text as the row's description; 10
 *   rows a list, further lists after it);
 * - a location request as a `location_request_message` (its own message after any choices).
 *
 * @example
 * renderReply({ text: 'Benar?', choices: [{ label: 'Ya', value: 'yes' }] }, 'id')
 * // [{ type: 'interactive', interactive: { type: 'button', body: { text: 'Benar?' },
 * //    action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Ya' } }] } } }]
 */
export function renderReply(reply: Reply, lang: Lang): OutgoingMessage[] {
  const body = reply.link ? `${reply.text}\n🔗 ${reply.link.url}` : reply.text;
  const choices = reply.choices ?? [];
  const location = reply.requestLocation === true;
  if (body.trim() === '' && choices.length === 0 && !location) return [];
  const shown = body.trim() === '' ? '…' : body;
  if (choices.length === 0 && !location) return splitText(shown, LIMITS.text).map(textMessage);
  if (choices.length === 0) {
    const { head, tail } = splitForBody(shown, LIMITS.shortBody);
    return [...head.map(textMessage), locationRequest(tail)];
  }
  const out =
    choices.length <= LIMITS.buttons ? buttons(shown, choices) : lists(shown, choices, lang);
  if (location) out.push(locationRequest(text('shareLocation', lang)));
  return out;
}

function buttons(body: string, choices: Choice[]): OutgoingMessage[] {
  const labels = choices.map(labelOf);
  const titles = distinctTitles(labels, LIMITS.buttonTitle);
  // A shortened title is never the only place its choice is named.
  const full = titles.some((t, i) => t !== labels[i]) ? labels.map((l) => `• ${l}`) : [];
  const { head, tail } = splitForBody([body, ...full].join('\n'), LIMITS.shortBody);
  return [
    ...head.map(textMessage),
    {
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: tail },
        action: {
          buttons: choices.map((c, i) => ({
            type: 'reply',
            reply: { id: c.value, title: titles[i] ?? c.value },
          })),
        },
      },
    },
  ];
}

function lists(body: string, choices: Choice[], lang: Lang): OutgoingMessage[] {
  const { head, tail } = splitForBody(body, LIMITS.listBody);
  const out: OutgoingMessage[] = head.map(textMessage);
  const titles = distinctTitles(choices.map(labelOf), LIMITS.rowTitle);
  for (let i = 0; i < choices.length; i += LIMITS.rows) {
    const rows = choices.slice(i, i + LIMITS.rows).map((c, j) => {
      const label = labelOf(c);
      const title = titles[i + j] ?? shortenLabel(label, LIMITS.rowTitle);
      return {
        id: c.value,
        title,
        ...(title !== label ? { description: shortenLabel(label, LIMITS.rowDescription) } : {}),
      };
    });
    out.push({
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: i === 0 ? tail : text('moreChoices', lang) },
        action: { button: text('listButton', lang), sections: [{ rows }] },
      },
    });
  }
  return out;
}

function labelOf(c: Choice): string {
  return c.label.replace(/\s+/g, ' ').trim() || c.value;
}

function textMessage(body: string): OutgoingMessage {
  return { type: 'text', text: { body, preview_url: false } };
}

function locationRequest(body: string): OutgoingMessage {
  return {
    type: 'interactive',
    interactive: {
      type: 'location_request_message',
      body: { text: body },
      action: { name: 'send_location' },
    },
  };
}

/**
 * A text as text messages (`head`, each at most 4,096 characters) followed by the body of an
 * interactive message (`tail`, at most `max`), split on line boundaries when it can.
 *
 * @example
 * splitForBody('a\nb', 1) // { head: ['a'], tail: 'b' }
 */
export function splitForBody(value: string, max: number): { head: string[]; tail: string } {
  const parts = splitText(value, max);
  const tail = parts.pop() ?? '…';
  const rest = parts.join('\n');
  return { head: rest === '' ? [] : splitText(rest, LIMITS.text), tail };
}

/**
 * The notification template: its name, the language that fits the citizen's (else the first
 * approved one), and the body parameters {{1}} tracking id and {{2}} status.
 *
 * @example
 * templateMessage({ name: 'suara_status', languages: ['id', 'en_US'] }, 'en', 'ADU-7K3M9Q', 'verified')
 * // { type: 'template', template: { name: 'suara_status', language: { code: 'en_US' },
 * //    components: [{ type: 'body', parameters: [{ type: 'text', text: 'ADU-7K3M9Q' },
 * //    { type: 'text', text: 'verified' }] }] } }
 */
export function templateMessage(
  template: WhatsAppTemplate,
  lang: Lang,
  trackingId: string,
  status: string,
): OutgoingMessage {
  const code =
    template.languages.find((l) => l.split('_')[0] === lang) ?? template.languages[0] ?? lang;
  return {
    type: 'template',
    template: {
      name: template.name,
      language: { code },
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: trackingId },
            { type: 'text', text: status },
          ],
        },
      ],
    },
  };
}

import type { Choice, Reply } from '../../src/core/types';
import { splitText } from '../../src/text';
import { type Lang, text } from './texts';

/**
 * Characters per message. Teams takes about 28 KB per message and Web Chat more; long answers
 * read better in a few messages, split on line boundaries.
 */
export const MAX_MESSAGE_LENGTH = 4000;

/** Buttons per card: Teams shows at most six on a hero card. */
const CARD_BUTTONS = 6;

/** A card action that posts `{ action }` back and shows the label as the user's message. */
export interface MessageBackAction {
  type: 'messageBack';
  title: string;
  text: string;
  displayText: string;
  value: { action: string };
}

/** One outgoing message activity, before the sender addresses it. */
export interface OutgoingActivity {
  type: 'message';
  text: string;
  /** Plain: nothing a citizen or an officer wrote is taken for markup. */
  textFormat: 'plain';
  attachments?: { contentType: 'application/vnd.microsoft.card.hero'; content: HeroCard }[];
  attachmentLayout?: 'list';
  suggestedActions?: { actions: MessageBackAction[] };
}

interface HeroCard {
  buttons: MessageBackAction[];
}

/**
 * One core reply as the message activities that show it: the text (with its link) split into
 * messages of at most {@link MAX_MESSAGE_LENGTH} characters; the choices on the last one. Where
 * choices show:
 * - Microsoft Teams (`msteams`): as a hero card with `messageBack` buttons. Teams does show
 *   suggested actions in personal chats today, but only the first three ("Even if you include
 *   more than three actions, Teams displays only the first three":
 *   https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/suggested-actions),
 *   and our menus and category lists have more; card buttons stay visible and all of them show.
 * - every other channel (Web Chat, the Emulator…): as suggested actions, which disappear once
 *   one is pressed.
 * A location request adds a line asking for the address in text: no Bot Framework channel shares
 * a location from a button.
 *
 * @example
 * renderReply({ text: 'Benar?', choices: [{ label: 'Ya', value: 'yes' }] }, 'id', 'webchat')
 * // [{ type: 'message', text: 'Benar?', textFormat: 'plain', suggestedActions: { actions:
 * //    [{ type: 'messageBack', title: 'Ya', text: 'Ya', displayText: 'Ya', value: { action: 'yes' } }] } }]
 */
export function renderReply(reply: Reply, lang: Lang, channelId: string): OutgoingActivity[] {
  const lines = [reply.text];
  if (reply.link) lines.push(`${reply.link.title}: ${reply.link.url}`);
  if (reply.requestLocation) lines.push(text('typeAddress', lang));
  const body = lines.filter((l) => l.trim() !== '').join('\n');
  const choices = reply.choices ?? [];
  if (body === '' && choices.length === 0) return [];
  const messages: OutgoingActivity[] = splitText(body === '' ? '…' : body, MAX_MESSAGE_LENGTH).map(
    (t) => ({ type: 'message', text: t, textFormat: 'plain' }),
  );
  const last = messages[messages.length - 1];
  if (!last || choices.length === 0) return messages;
  const actions = choices.map(messageBack);
  if (channelId === 'msteams') {
    last.attachments = [];
    for (let i = 0; i < actions.length; i += CARD_BUTTONS) {
      last.attachments.push({
        contentType: 'application/vnd.microsoft.card.hero',
        content: { buttons: actions.slice(i, i + CARD_BUTTONS) },
      });
    }
    last.attachmentLayout = 'list';
  } else {
    last.suggestedActions = { actions };
  }
  return messages;
}

function messageBack(choice: Choice): MessageBackAction {
  const label = choice.label.trim() || choice.value;
  return {
    type: 'messageBack',
    title: label,
    text: label,
    displayText: label,
    value: { action: choice.value },
  };
}

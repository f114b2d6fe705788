import type { Attachment } from '../../src/cases/types';
import type { InboundMessage } from '../../src/core/types';
import type { Address } from './client';
import type { KeptMessage, WaContact, WaMessage } from './schema';

/** The channel name Suara's core and outbox know WhatsApp by. */
export const CHANNEL = 'whatsapp';

/**
 * What one inbound WhatsApp message asks of Suara.
 * - `turn`: run one core turn with `message`.
 * - `unsupported`: a kind Suara cannot read (voice note, video, sticker…): say so.
 * - `ignore`: nothing to do (a reaction, a system notice, a group message…).
 */
export type MappedMessage =
  | { kind: 'turn'; message: InboundMessage }
  | { kind: 'unsupported'; type: string }
  | { kind: 'ignore'; reason: string };

export interface MapOptions {
  receivedAt: Date;
  /**
   * The case a template message was about, when the citizen pressed one of its quick-reply
   * buttons (found from the message it answers, `context.id`): the press asks for its status.
   */
  templateCase?: string;
}

/**
 * The key a user's conversation is kept under: the business-scoped user id (BSUID) when Meta
 * gives one (`from_user_id`, or the sender's `contacts[].user_id`), else the phone number
 * (`from` / `wa_id`). Phone numbers may be withheld from users who adopt a username (from 2026);
 * the BSUID is stable for this business. Null when neither is there.
 *
 * @example
 * userKeyOf({ from: '6281234567890', from_user_id: 'ID.1234567890' }) // 'ID.1234567890'
 */
export function userKeyOf(m: Pick<WaMessage, 'from' | 'from_user_id'>, contact?: WaContact) {
  return m.from_user_id ?? contact?.user_id ?? m.from ?? contact?.wa_id ?? null;
}

/**
 * The entry of `contacts` that is the message's sender (by BSUID or phone), or the only one.
 *
 * @example
 * senderContact(msg, [{ wa_id: '6281234567890', profile: { name: 'Sari' } }])
 */
export function senderContact(m: WaMessage, contacts: WaContact[]): WaContact | undefined {
  return (
    contacts.find(
      (c) =>
        (c.user_id !== undefined && c.user_id === m.from_user_id) ||
        (c.wa_id !== undefined && c.wa_id === m.from),
    ) ?? (contacts.length === 1 ? contacts[0] : undefined)
  );
}

/**
 * What the sender needs to write to the user later, kept as the core's opaque conversation
 * reference (on the cases the message opens): the phone number and the BSUID, as far as known.
 *
 * @example
 * conversationRefOf({ from: '6281234567890', … }) // { waId: '6281234567890' }
 */
export function conversationRefOf(m: WaMessage, contact?: WaContact): Record<string, string> {
  const waId = m.from ?? contact?.wa_id;
  const bsuid = m.from_user_id ?? contact?.user_id;
  return { ...(waId ? { waId } : {}), ...(bsuid ? { bsuid } : {}) };
}

/**
 * Where to send to a conversation: its phone number when known (from the reference, or a key that
 * is one), else its BSUID. Null for anything else.
 *
 * @example
 * addressOf('ID.1234567890', { waId: '6281234567890' }) // { phone: '6281234567890' }
 * addressOf('ID.1234567890', undefined)                 // { bsuid: 'ID.1234567890' }
 */
export function addressOf(conversationId: string, ref?: Record<string, string>): Address | null {
  const phone = ref?.waId ?? (/^\d{3,20}$/.test(conversationId) ? conversationId : undefined);
  if (phone && /^\d{3,20}$/.test(phone)) return { phone };
  const bsuid = ref?.bsuid ?? conversationId;
  return /^[A-Z]{2}(\.ENT)?\.[A-Za-z0-9]{1,128}$/.test(bsuid) ? { bsuid } : null;
}

/** Kinds of message Suara does not read, answered with a line saying what it does read. */
const UNSUPPORTED = new Set(['audio', 'voice', 'video', 'sticker', 'contacts', 'order']);

/**
 * Translates a kept inbound message into what Suara should do. Pure: no I/O.
 * Text as text; a reply button or list row as its id (the choice's value) with its title as
 * text; a template's quick-reply button as a status request for the case the template was
 * about (else as its text); a location; an image (or an image sent as a document) as a photo
 * attachment whose `ref` is Meta's media id — the file itself is fetched only when someone opens
 * it; `request_welcome` (a user opening the chat) as the menu.
 *
 * @example
 * mapMessage({ message: { id: 'wamid.1', from: '6281234567890', timestamp: '1764208800',
 *   type: 'text', text: { body: 'halo' } } }, { receivedAt: new Date() })
 * // { kind: 'turn', message: { channel: 'whatsapp', conversationId: '6281234567890', text: 'halo', … } }
 */
export function mapMessage(kept: KeptMessage, options: MapOptions): MappedMessage {
  const { message: m, contact } = kept;
  if (m.group_id) return { kind: 'ignore', reason: 'group message' };
  const key = userKeyOf(m, contact);
  if (!key) return { kind: 'ignore', reason: 'no sender' };
  const ref = conversationRefOf(m, contact);
  const name = contact?.profile?.name?.trim();
  const base: InboundMessage = {
    channel: CHANNEL,
    channelUserId: key,
    conversationId: key,
    messageId: m.id,
    receivedAt: options.receivedAt,
    conversationRef: ref,
    ...(name ? { userName: name } : {}),
  };
  const turn = (extra: Partial<InboundMessage>): MappedMessage => ({
    kind: 'turn',
    message: { ...base, text: '', ...extra },
  });
  switch (m.type) {
    case 'text':
      return turn({ text: m.text?.body ?? '' });
    case 'interactive': {
      const picked = m.interactive?.button_reply ?? m.interactive?.list_reply;
      if (!picked) return { kind: 'unsupported', type: `interactive/${m.interactive?.type}` };
      return turn({ text: picked.title, action: picked.id });
    }
    case 'button':
      if (options.templateCase) return turn({ text: options.templateCase, action: 'menu:status' });
      return turn({ text: m.button?.text ?? '' });
    case 'location':
      if (!m.location) return { kind: 'ignore', reason: 'location without coordinates' };
      return turn({ location: { lat: m.location.latitude, lon: m.location.longitude } });
    case 'image':
    case 'document': {
      const media = m.image ?? m.document;
      if (!media) return { kind: 'ignore', reason: `${m.type} without media` };
      const photo = m.type === 'image' || media.mime_type?.startsWith('image/') === true;
      const attachment: Attachment = {
        kind: photo ? 'photo' : 'document',
        ref: media.id,
        ...(media.mime_type ? { mimeType: media.mime_type } : {}),
      };
      return turn({ text: media.caption ?? '', attachments: [attachment] });
    }
    case 'request_welcome':
      return turn({ action: 'menu' });
    default:
      return UNSUPPORTED.has(m.type)
        ? { kind: 'unsupported', type: m.type }
        : { kind: 'ignore', reason: `message type ${m.type}` };
  }
}

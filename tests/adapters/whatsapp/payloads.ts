/** Webhook calls as Meta posts them (WhatsApp Business Cloud API, `messages` field). */

export const PHONE_NUMBER_ID = '106540352242922';

/** A WhatsApp user: the phone number (withheld for some from 2026), the BSUID, a profile name. */
export interface WaUser {
  waId?: string;
  bsuid?: string;
  name?: string;
}

let counter = 0;

/** A fresh inbound message id, like Meta's. */
export function nextWamid(): string {
  counter += 1;
  return `wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFDNB${String(counter).padStart(6, '0')}`;
}

/** A webhook call with one `messages` change holding `value`. */
export function webhook(value: Record<string, unknown>): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '6281100000000', phone_number_id: PHONE_NUMBER_ID },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

/** The `contacts` entry of a user. */
function contactOf(user: WaUser): Record<string, unknown> {
  return {
    profile: { name: user.name ?? 'Sari' },
    ...(user.waId ? { wa_id: user.waId } : {}),
    ...(user.bsuid ? { user_id: user.bsuid } : {}),
  };
}

/** A message from `user`, sent at `at` (Meta's `timestamp`, in seconds). */
export function messageFrom(
  user: WaUser,
  at: Date,
  message: Record<string, unknown>,
  id = nextWamid(),
): Record<string, unknown> {
  return {
    ...(user.waId ? { from: user.waId } : {}),
    ...(user.bsuid ? { from_user_id: user.bsuid } : {}),
    id,
    timestamp: String(Math.floor(at.getTime() / 1000)),
    ...message,
  };
}

/** A call with messages of one user. */
export function inbound(user: WaUser, ...messages: Record<string, unknown>[]) {
  return webhook({ contacts: [contactOf(user)], messages });
}

export const text = (user: WaUser, at: Date, body: string, id?: string) =>
  inbound(user, messageFrom(user, at, { type: 'text', text: { body } }, id));

export const buttonReply = (user: WaUser, at: Date, id: string, title: string) =>
  inbound(
    user,
    messageFrom(user, at, {
      type: 'interactive',
      context: { from: '6281100000000', id: 'wamid.OUT1' },
      interactive: { type: 'button_reply', button_reply: { id, title } },
    }),
  );

export const listReply = (user: WaUser, at: Date, id: string, title: string) =>
  inbound(
    user,
    messageFrom(user, at, {
      type: 'interactive',
      interactive: { type: 'list_reply', list_reply: { id, title, description: title } },
    }),
  );

export const location = (user: WaUser, at: Date, latitude: number, longitude: number) =>
  inbound(
    user,
    messageFrom(user, at, {
      type: 'location',
      location: { latitude, longitude, name: 'Pasar Baru', address: 'Jl. Pasar Baru, Jakarta' },
    }),
  );

export const image = (user: WaUser, at: Date, mediaId: string, caption?: string) =>
  inbound(
    user,
    messageFrom(user, at, {
      type: 'image',
      image: {
        id: mediaId,
        mime_type: 'image/jpeg',
        sha256: 'IQ8Bq2nAUbP+9r0kSzIm5PNAklJUfpDw6cYHXyrYIO0=',
        ...(caption ? { caption } : {}),
      },
    }),
  );

/** A press of a template's quick-reply button, answering the template message `context`. */
export const templateButton = (user: WaUser, at: Date, label: string, context: string) =>
  inbound(
    user,
    messageFrom(user, at, {
      type: 'button',
      context: { from: '6281100000000', id: context },
      button: { payload: label, text: label },
    }),
  );

/** A status callback for a message Suara sent; `failed` with Meta's error code. */
export function status(wamid: string, user: WaUser, state: string, code?: number) {
  return webhook({
    statuses: [
      {
        id: wamid,
        status: state,
        timestamp: '1764208800',
        ...(user.waId ? { recipient_id: user.waId } : {}),
        ...(user.bsuid ? { recipient_user_id: user.bsuid } : {}),
        ...(code !== undefined
          ? {
              errors: [
                {
                  code,
                  title: 'Message undeliverable.',
                  message: 'Message undeliverable.',
                  error_data: { details: 'Message Undeliverable.' },
                  href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
                },
              ],
            }
          : {}),
      },
    ],
  });
}

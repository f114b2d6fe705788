import { z } from 'zod';
import type { NewOutboxMessage } from '../outbox/port';
import type { Language } from '../taxonomy';
import type { InboundMessage, Reply } from './types';

const replySchema = z.object({
  text: z.string(),
  choices: z.array(z.object({ label: z.string(), value: z.string() })).optional(),
  requestLocation: z.boolean().optional(),
  link: z.object({ title: z.string(), url: z.string() }).optional(),
});

/**
 * What an outbox message to a citizen carries: the bot's replies to one of their messages
 * (`{ replies, replyTo, lang }`), or a notification (`{ text, choices? }`: one reply).
 */
const citizenPayloadSchema = z.union([
  z.object({
    replies: z.array(replySchema).min(1),
    /** The citizen's message these answer (the channel's message id). */
    replyTo: z.string().optional(),
    lang: z.enum(['id', 'en']).optional(),
  }),
  replySchema.transform((reply) => ({ replies: [reply] })),
]);

/** A citizen message read from an outbox payload. */
export interface CitizenMessage {
  replies: Reply[];
  replyTo?: string;
  lang?: Language;
}

/**
 * Reads the payload of an outbox message to a citizen (any channel's sender uses it).
 *
 * @example
 * readCitizenPayload({ text: 'Laporan ADU-7K3M9Q selesai.' })
 * // { ok: true, message: { replies: [{ text: 'Laporan ADU-7K3M9Q selesai.' }] } }
 */
export function readCitizenPayload(
  payload: unknown,
): { ok: true; message: CitizenMessage } | { ok: false; error: string } {
  const parsed = citizenPayloadSchema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      error: `bad payload: ${issue?.path.join('.') || '(root)'} ${issue?.message}`,
    };
  }
  return { ok: true, message: parsed.data as CitizenMessage };
}

/**
 * An outbox message of replies to a citizen, in the payload shape {@link readCitizenPayload}
 * reads (the one place that shape is written).
 */
export function citizenMessage(m: {
  idempotencyKey: string;
  channel: string;
  recipient: string;
  replies: Reply[];
  lang: Language;
  replyTo?: string;
}): NewOutboxMessage {
  const payload: Record<string, unknown> = { replies: m.replies, lang: m.lang };
  if (m.replyTo !== undefined) payload.replyTo = m.replyTo;
  return { idempotencyKey: m.idempotencyKey, channel: m.channel, recipient: m.recipient, payload };
}

/**
 * The outbox message that delivers a turn's replies to the citizen, written in the turn's own
 * transaction: a reply is never lost (a failed send is retried) and a message handled again
 * after a crash or a redelivery queues nothing new (the key is the inbound message's).
 */
export function replyMessage(
  msg: InboundMessage,
  replies: Reply[],
  lang: Language,
): NewOutboxMessage {
  return citizenMessage({
    idempotencyKey: replyKey(msg.channel, msg.messageId),
    channel: msg.channel,
    recipient: msg.conversationId,
    replies,
    lang,
    replyTo: msg.messageId,
  });
}

/** The idempotency key of the replies to an inbound message. */
export function replyKey(channel: string, messageId: string): string {
  return `reply:${channel}:${messageId}`;
}

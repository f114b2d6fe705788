import { z } from 'zod';

/**
 * The parts of a WhatsApp Business Cloud API webhook call Suara reads, validated at the boundary.
 * Objects are loose (unknown fields pass), so a field Meta adds never makes a real call fail;
 * only the fields we rely on are checked, and bounded.
 */

const id = z.string().min(1).max(512);

/** A user's phone number as Meta gives it (`wa_id`, `from`): digits only, no `+`. */
const phone = z.string().regex(/^\d{3,20}$/);
/** A business-scoped user id (BSUID): `CC.<alphanumerics>`, or a parent one `CC.ENT.<…>`. */
const bsuid = z.string().regex(/^[A-Z]{2}(\.ENT)?\.[A-Za-z0-9]{1,128}$/);

const contact = z.looseObject({
  wa_id: phone.optional(),
  user_id: bsuid.optional(),
  profile: z.looseObject({ name: z.string().max(256).optional() }).optional(),
});

const media = z.looseObject({
  id,
  mime_type: z.string().max(256).optional(),
  caption: z.string().max(4096).optional(),
  filename: z.string().max(1024).optional(),
});

const reply = z.looseObject({ id: z.string().max(512), title: z.string().max(256) });

const message = z.looseObject({
  id,
  from: phone.optional(),
  from_user_id: bsuid.optional(),
  group_id: z.string().max(256).optional(),
  timestamp: z.string().regex(/^\d{1,12}$/),
  type: z.string().max(64),
  context: z.looseObject({ id: z.string().max(512).optional() }).optional(),
  text: z.looseObject({ body: z.string().max(65_536) }).optional(),
  interactive: z
    .looseObject({
      type: z.string().max(64),
      button_reply: reply.optional(),
      list_reply: reply.optional(),
    })
    .optional(),
  button: z
    .looseObject({ payload: z.string().max(4096).optional(), text: z.string().max(256) })
    .optional(),
  location: z
    .looseObject({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
      name: z.string().max(1024).optional(),
      address: z.string().max(1024).optional(),
    })
    .optional(),
  image: media.optional(),
  document: media.optional(),
});

const status = z.looseObject({
  id,
  status: z.string().max(64),
  recipient_id: z.string().max(256).optional(),
  recipient_user_id: z.string().max(256).optional(),
  errors: z
    .array(
      z.looseObject({
        code: z.number().int(),
        title: z.string().max(1024).optional(),
        message: z.string().max(4096).optional(),
        error_data: z.looseObject({ details: z.string().max(4096).optional() }).optional(),
      }),
    )
    .max(20)
    .optional(),
});

/** A change's messages and statuses are read one by one: an odd one never hides the others. */
const value = z.looseObject({
  metadata: z.looseObject({ phone_number_id: z.string().max(64).optional() }).optional(),
  contacts: z.array(z.unknown()).max(1000).optional(),
  messages: z.array(z.unknown()).max(1000).optional(),
  statuses: z.array(z.unknown()).max(1000).optional(),
});

/** One webhook call as Meta posts it (`object: whatsapp_business_account`). */
export const webhookSchema = z.looseObject({
  object: z.string().max(128),
  entry: z
    .array(
      z.looseObject({
        id: z.string().max(128).optional(),
        changes: z
          .array(z.looseObject({ field: z.string().max(128), value: z.unknown() }))
          .max(1000),
      }),
    )
    .max(1000),
});

/** What one `messages` change holds (its items are read with the schemas below). */
export const changeValueSchema = value;
export const contactSchema = contact;
export const messageSchema = message;
export const statusSchema = status;

export type WebhookPayload = z.infer<typeof webhookSchema>;
export type WaContact = z.infer<typeof contact>;
export type WaMessage = z.infer<typeof message>;
export type WaStatus = z.infer<typeof status>;
export type WaChangeValue = z.infer<typeof value>;

/** What is kept of one inbound message until it is handled: the message and its sender. */
export const keptMessageSchema = z.object({ message, contact: contact.optional() });
export type KeptMessage = z.infer<typeof keptMessageSchema>;

/**
 * Validates a value with a schema. Returns it, or a one-line reason naming the first bad field.
 *
 * @example
 * parseWith(webhookSchema, { object: 1 }) // { ok: false, error: 'object: Invalid input: …' }
 */
export function parseWith<T>(
  schema: z.ZodType<T>,
  body: unknown,
): { ok: true; value: T } | { ok: false; error: string } {
  const r = schema.safeParse(body);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  const path = issue?.path.map(String).join('.') || 'body';
  return { ok: false, error: `${path}: ${issue?.message ?? 'invalid'}` };
}

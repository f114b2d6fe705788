import { z } from 'zod';

/**
 * The parts of a Telegram Bot API `Update` Suara reads, validated at the boundary. Objects are
 * loose (unknown fields pass), so a new Bot API field never makes a real update fail; only the
 * fields we rely on are checked.
 */

const user = z.looseObject({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  language_code: z.string().optional(),
});

const chat = z.looseObject({
  id: z.number().int(),
  type: z.string(),
});

const photoSize = z.looseObject({
  file_id: z.string().min(1),
  width: z.number().optional(),
  height: z.number().optional(),
  file_size: z.number().optional(),
});

const inlineButton = z.looseObject({
  text: z.string(),
  callback_data: z.string().optional(),
});

const message = z.looseObject({
  message_id: z.number().int(),
  chat,
  from: user.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  location: z.looseObject({ latitude: z.number(), longitude: z.number() }).optional(),
  photo: z.array(photoSize).optional(),
  document: z
    .looseObject({ file_id: z.string().min(1), mime_type: z.string().optional() })
    .optional(),
  contact: z.looseObject({ phone_number: z.string() }).optional(),
  new_chat_members: z.array(user).optional(),
  reply_markup: z
    .looseObject({ inline_keyboard: z.array(z.array(inlineButton)).optional() })
    .optional(),
});

const callbackQuery = z.looseObject({
  id: z.string().min(1),
  from: user,
  data: z.string().optional(),
  // Inaccessible (old) messages only carry chat, message_id and date.
  message: z
    .looseObject({
      message_id: z.number().int(),
      chat,
      reply_markup: message.shape.reply_markup,
    })
    .optional(),
});

/** One update as Telegram sends it to the webhook or returns from getUpdates. */
export const updateSchema = z.looseObject({
  update_id: z.number().int().nonnegative(),
  message: message.optional(),
  edited_message: z.unknown().optional(),
  channel_post: z.unknown().optional(),
  edited_channel_post: z.unknown().optional(),
  callback_query: callbackQuery.optional(),
});

export type TelegramUpdate = z.infer<typeof updateSchema>;
export type TelegramMessage = z.infer<typeof message>;
export type TelegramCallbackQuery = z.infer<typeof callbackQuery>;
export type TelegramUser = z.infer<typeof user>;

/**
 * Validates one update. Returns it, or a one-line reason naming the first bad field.
 *
 * @example
 * parseUpdate({ update_id: 'x' }) // { ok: false, error: 'update_id: expected number, …' }
 */
export function parseUpdate(
  body: unknown,
): { ok: true; update: TelegramUpdate } | { ok: false; error: string } {
  const r = updateSchema.safeParse(body);
  if (r.success) return { ok: true, update: r.data };
  const issue = r.error.issues[0];
  const path = issue?.path.map(String).join('.') || 'body';
  return { ok: false, error: `${path}: ${issue?.message ?? 'invalid update'}` };
}

import { z } from 'zod';

const account = z.object({
  id: z.string().min(1).max(1024),
  name: z.string().max(512).optional(),
});

/**
 * The fields of a Bot Framework activity Suara reads (the SDK has checked its overall shape and
 * its sender first). Bounded: nothing a channel sends can make Suara keep more than this.
 */
export const activitySchema = z.object({
  type: z.string().min(1).max(64),
  id: z.string().min(1).max(1024).optional(),
  channelId: z.string().min(1).max(64),
  serviceUrl: z.url({ protocol: /^https?$/ }).max(2048),
  from: account,
  recipient: account,
  conversation: z.object({
    id: z.string().min(1).max(1024),
    isGroup: z.boolean().optional(),
    conversationType: z.string().max(64).optional(),
    tenantId: z.string().max(256).optional(),
  }),
  text: z.string().max(100_000).optional(),
  locale: z.string().max(64).optional(),
  value: z.unknown().optional(),
  attachments: z
    .array(
      z.looseObject({
        contentType: z.string().max(256),
        contentUrl: z.string().max(8192).optional(),
        name: z.string().max(1024).optional(),
        content: z.unknown().optional(),
      }),
    )
    .max(50)
    .optional(),
  entities: z
    .array(z.looseObject({ type: z.string().max(128) }))
    .max(100)
    .optional(),
  membersAdded: z.array(account).max(1000).optional(),
  channelData: z
    .looseObject({ tenant: z.object({ id: z.string().max(256) }).optional() })
    .optional(),
});

/** A Bot Framework activity as Suara reads it. */
export type BotActivity = z.infer<typeof activitySchema>;

/**
 * Validates an activity's body; an error names the first wrong field.
 *
 * @example
 * parseActivity({ type: 'message' }) // { ok: false, error: 'id: …' } (or the first missing field)
 */
export function parseActivity(
  body: unknown,
): { ok: true; activity: BotActivity } | { ok: false; error: string } {
  const r = activitySchema.safeParse(body);
  if (r.success) return { ok: true, activity: r.data };
  const issue = r.error.issues[0];
  return { ok: false, error: `${issue?.path.join('.') || '(root)'}: ${issue?.message}` };
}

/**
 * What the sender needs to write to a conversation later (a Bot Framework conversation
 * reference), kept as the core's opaque `conversationRef`: the Bot Connector's service URL, the
 * channel, the bot's id on it, and the tenant (Teams).
 */
export const conversationRefSchema = z.object({
  serviceUrl: z.url({ protocol: /^https?$/ }),
  channelId: z.string().min(1),
  botId: z.string().min(1),
  botName: z.string().optional(),
  tenantId: z.string().optional(),
  conversationType: z.string().optional(),
});

export type ConversationRef = z.infer<typeof conversationRefSchema>;

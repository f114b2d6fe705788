import { z } from 'zod';

/**
 * The parts of Slack's request payloads Suara uses, validated at the boundary (Bolt has checked
 * the signature; these check the shape). Unknown fields are ignored.
 */

const slackUser = z.object({
  id: z.string().min(1),
  username: z.string().optional(),
  name: z.string().optional(),
});

/** A button press or a select in a case message (`block_actions`). */
export const blockActionPayload = z.object({
  type: z.literal('block_actions'),
  trigger_id: z.string().min(1),
  user: slackUser,
  channel: z.object({ id: z.string().min(1) }).optional(),
  container: z.object({ channel_id: z.string().optional() }).optional(),
  actions: z
    .array(
      z.object({
        action_id: z.string(),
        block_id: z.string(),
        action_ts: z.string().optional(),
        value: z.string().optional(),
        selected_option: z.object({ value: z.string() }).optional(),
      }),
    )
    .min(1),
});
export type BlockActionPayload = z.infer<typeof blockActionPayload>;

const stateValue = z.object({
  value: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
});

/** A submitted modal (`view_submission`). */
export const viewSubmissionPayload = z.object({
  type: z.literal('view_submission'),
  trigger_id: z.string().optional(),
  user: slackUser,
  view: z.object({
    id: z.string().min(1),
    hash: z.string().optional(),
    callback_id: z.string(),
    private_metadata: z.string(),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), stateValue)) }),
  }),
});
export type ViewSubmissionPayload = z.infer<typeof viewSubmissionPayload>;

/** A slash command. */
export const commandPayload = z.object({
  command: z.string(),
  text: z.string().default(''),
  channel_id: z.string().min(1),
  user_id: z.string().min(1),
  trigger_id: z.string().min(1).optional(),
});

import type { App } from '@slack/bolt';
import { z } from 'zod';
import { adapterReply } from '../../src/core/outbound';
import { actAsStaff } from '../../src/staff/workflow';
import type { CaseMessages } from './case-messages';
import {
  CITIZEN_CHANNEL,
  choiceMessage,
  localeLang,
  type MappedEvent,
  mapMessageEvent,
  messageEventSchema,
} from './citizen-inbound';
import { CHOICE_ACTION_PREFIX, CITIZEN_TEXTS } from './citizen-render';
import {
  claimRequest,
  failureText,
  type InteractionDeps,
  staffIdentity,
  staffWork,
  tellUser,
} from './interaction';
import { errorFields } from './web';

/** What the citizen side needs besides the interaction deps. */
export interface CitizenDeps extends InteractionDeps {
  messages: CaseMessages;
  /** The app's own ids (from auth.test), to ignore its own messages. */
  identity: { botId?: string; botUserId?: string };
}

const choicePayload = z.object({
  user: z.object({ id: z.string() }),
  channel: z.object({ id: z.string().regex(/^D[A-Z0-9]+$/) }),
  actions: z
    .array(z.object({ value: z.string().min(1).max(2000), action_ts: z.string().max(40) }))
    .min(1),
});

/** Users' locales learnt from users.info, per process (bounded). */
const LOCALES_MAX = 10_000;

/**
 * Slack as a citizen channel (`slack`), and case threads as the case's discussion:
 * - a direct message to the app is one core turn (the same dialogs as Telegram; the language
 *   from the user's Slack locale when the text does not say); a pressed choice button is its
 *   action;
 * - an @mention in a channel is answered in its thread with one line pointing to a DM; nothing
 *   of it is kept;
 * - a message an officer writes in the thread of a case message is added to the case's history
 *   as an internal note (actor: that Slack user, with the channel's agencies), never sent to the
 *   citizen.
 * Bots' messages (ours too), edits and deletions are ignored; Slack's retries of an event have
 * one effect (its message id, or the request claimed once).
 */
export function registerCitizens(app: App, deps: CitizenDeps): void {
  const { ctx } = deps;
  const locales = new Map<string, string | null>();
  const localeOf = async (user: string): Promise<string | undefined> => {
    if (locales.has(user)) return locales.get(user) ?? undefined;
    let locale: string | null = null;
    try {
      const info = await deps.web.users.info({ user, include_locale: true });
      locale = typeof info.user?.locale === 'string' ? info.user.locale : null;
    } catch (err) {
      ctx.logger.debug({ ...errorFields(err) }, 'slack: users.info failed');
    }
    if (locales.size >= LOCALES_MAX) locales.clear();
    locales.set(user, locale);
    return locale ?? undefined;
  };

  const onEvent = async (event: unknown) => {
    const parsed = messageEventSchema.safeParse(event);
    if (!parsed.success) return;
    const e = parsed.data;
    const first = mapMessageEvent(e, { ...deps.identity, receivedAt: ctx.clock() });
    // Only a citizen's turn or an @mention needs the user's language.
    const locale =
      (first.kind === 'turn' || first.kind === 'mention') && e.user
        ? await localeOf(e.user)
        : undefined;
    const mapped: MappedEvent =
      first.kind === 'turn' && locale ? { ...first, message: { ...first.message, locale } } : first;
    await handle(deps, mapped, localeLang(locale));
  };
  app.event('message', async ({ event }) => onEvent(event));
  app.event('app_mention', async ({ event }) => onEvent(event));

  app.action(new RegExp(`^${CHOICE_ACTION_PREFIX}`), async ({ ack, body }) => {
    await ack();
    const p = choicePayload.safeParse(body);
    const action = p.success ? p.data.actions[0] : undefined;
    if (!p.success || !action) return;
    const locale = await localeOf(p.data.user.id);
    await ctx.bot.handle(
      choiceMessage(
        {
          channel: p.data.channel.id,
          user: p.data.user.id,
          value: action.value,
          actionTs: action.action_ts,
          ...(locale ? { locale } : {}),
        },
        ctx.clock(),
      ),
    );
  });
}

async function handle(deps: CitizenDeps, mapped: MappedEvent, lang: 'id' | 'en'): Promise<void> {
  const { ctx } = deps;
  switch (mapped.kind) {
    case 'ignore':
      return;
    case 'turn':
      await ctx.bot.handle(mapped.message);
      return;
    case 'mention':
      await ctx.backend.outbox.enqueue(
        [
          adapterReply(
            {
              kind: 'conversation',
              channel: CITIZEN_CHANNEL,
              conversationId: mapped.channel,
              ref: { threadTs: mapped.threadTs },
            },
            { text: CITIZEN_TEXTS.mention[lang] },
            lang,
            `slack:mention:${mapped.key}`,
          ),
        ],
        ctx.clock(),
      );
      ctx.dispatcher.wake(CITIZEN_CHANNEL);
      return;
    case 'thread_note': {
      const trackingId = await deps.messages.caseOf({
        channel: mapped.channel,
        ts: mapped.threadTs,
      });
      if (!trackingId) return;
      if (!(await claimRequest(deps, `note:${mapped.channel}:${mapped.ts}`, mapped))) return;
      const identity = staffIdentity(deps.desk, mapped.channel, { id: mapped.user });
      try {
        await actAsStaff(staffWork(ctx), identity, trackingId, {
          type: 'note',
          note: mapped.text,
          public: false,
        });
      } catch (err) {
        await tellUser(deps, mapped.channel, mapped.user, await failureText(deps, trackingId, err));
      }
      return;
    }
  }
}

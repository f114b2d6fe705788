import type { Case } from '../../cases/types';
import type { TurnContext } from '../context';

/**
 * Hands the conversation to an officer: a `handoff` case for the triage desk. From an intake, the
 * hand-off keeps what the citizen already chose there: their identity mode (an anonymous or
 * confidential report stays so: the desk hides the reporter and masks personal data in the text)
 * and the contact they left. Before the identity step nothing was chosen: the hand-off is named,
 * like any request to talk to an officer in person.
 */
export function handoff(ctx: TurnContext): void {
  // The officer gets the context: the report being written, else the question the knowledge
  // base could not settle, and the citizen's own words.
  const intake = ctx.session.dialog?.kind === 'intake' ? ctx.session.dialog.draft : undefined;
  const draft = intake ? intake.text : (ctx.session.lastQuestion ?? '');
  delete ctx.session.dialog;
  delete ctx.session.lastQuestion;
  const own =
    ctx.text &&
    ctx.msg.action === undefined &&
    !/^(petugas|agent|operator|admin|cs)$/i.test(ctx.text)
      ? ctx.text
      : '';
  const text = [draft, own].filter(Boolean).join('\n') || ctx.t('menu.agent');
  ctx.effect = {
    kind: 'open',
    input: {
      kind: 'handoff',
      text,
      language: ctx.lang,
      category: 'other',
      agencyId: ctx.deps.directory.triage.id,
      attachments: [],
      reporter: {
        ...ctx.reporter,
        ...(intake?.phone ? { phone: intake.phone } : {}),
        ...(intake?.email ? { email: intake.email } : {}),
      },
      identity: intake?.identity ?? 'named',
    },
    reply: (c) => [
      {
        text: ctx.t('agent.handoff', {
          id: c.trackingId,
          date: ctx.date(c.deadlines.verifyBy ?? c.createdAt),
        }),
      },
    ],
  };
}

const DONE =
  /^(sudah|udah|sdh|dah)\s*(beres|selesai|oke|ok|bagus|diperbaiki)|^(fixed|yes,? fixed|it'?s fixed|done|resolved)\b/i;
const NOT_DONE = /^(belum|blm|not yet|no,? not|masih)\b/i;

/** The citizen's open cases on this channel in a status that expects their answer. */
async function ownCasesIn(ctx: TurnContext, status: Case['status']): Promise<Case[]> {
  const page = await ctx.deps.backend.queries.list(
    {
      reporter: { channel: ctx.msg.channel, channelUserId: ctx.msg.channelUserId },
      status: [status],
    },
    { limit: 5 },
  );
  return page.cases;
}

/**
 * Answers that belong to a case rather than to a dialog: "sudah beres" / "belum" on a resolved
 * case (or its buttons), a 1–5 rating, and the citizen's reply to a request for information.
 * Returns true when the message was handled.
 */
export async function caseReplies(ctx: TurnContext): Promise<boolean> {
  const action = ctx.msg.action ?? '';
  const dialog = ctx.session.dialog;

  if (dialog?.kind === 'rating') {
    const rating = Number(action.startsWith('rating:') ? action.slice(7) : ctx.text);
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) return false;
    const trackingId = dialog.trackingId;
    delete ctx.session.dialog;
    ctx.effect = {
      kind: 'act',
      trackingId,
      action: { type: 'close', rating },
      reply: () => [{ text: ctx.t('resolved.rated', { id: trackingId }) }],
    };
    return true;
  }

  const [actionKind, actionId] = action.startsWith('resolved:') ? action.slice(9).split(':') : [];
  const done = actionKind === 'done' || (!action && DONE.test(ctx.text));
  const notDone = actionKind === 'not_done' || (!action && NOT_DONE.test(ctx.text));
  if (done || notDone) {
    const resolved = await ownCasesIn(ctx, 'resolved');
    const target = actionId ? resolved.find((c) => c.trackingId === actionId) : resolved[0];
    if (!target) return false;
    if (done) {
      ctx.session.dialog = { kind: 'rating', trackingId: target.trackingId };
      ctx.say(
        'resolved.ask_rating',
        {},
        {
          choices: [1, 2, 3, 4, 5].map((n) => ({ label: String(n), value: `rating:${n}` })),
        },
      );
    } else {
      ctx.effect = {
        kind: 'act',
        trackingId: target.trackingId,
        action: ctx.text ? { type: 'reopen', note: ctx.text } : { type: 'reopen' },
        reply: (c) => [
          {
            text: ctx.t('resolved.reopened', {
              id: c.trackingId,
              agency: ctx.agencyName(c.agencyId),
            }),
          },
        ],
      };
    }
    return true;
  }

  // A reply (text and/or photos) while a case waits for the citizen's information goes to that
  // case — unless it is a greeting or thanks, or it names a report (a status question).
  const photos = (ctx.msg.attachments ?? []).filter((a) => a.kind === 'photo');
  const smallTalk = ctx.text && ['greeting', 'thanks'].includes(ctx.classification.intent);
  const namesReport = ctx.text && ctx.classification.trackingIds.length > 0;
  if (!dialog && (ctx.text || photos.length > 0) && !smallTalk && !namesReport) {
    const [waiting] = await ownCasesIn(ctx, 'needs_info');
    if (waiting) {
      ctx.effect = {
        kind: 'act',
        trackingId: waiting.trackingId,
        action: {
          type: 'info_received',
          ...(ctx.text ? { note: ctx.text } : {}),
          public: true,
          ...(photos.length > 0 ? { attachments: photos } : {}),
        },
        reply: (c) => [{ text: ctx.t('info_received', { id: c.trackingId }) }],
      };
      return true;
    }
  }
  return false;
}

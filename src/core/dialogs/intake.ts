import { nextDeadline } from '../../cases/deadlines';
import type { Attachment, Case, IdentityMode } from '../../cases/types';
import { CATEGORIES, type Category, isCategory } from '../../taxonomy';
import type { TurnContext } from '../context';
import type { DialogState, Draft, IntakeStep } from '../session';
import type { Reply } from '../types';

type IntakeState = Extract<DialogState, { kind: 'intake' }>;

/** Fewer content words than this is too short to act on. */
const MIN_DESCRIPTION_WORDS = 4;
const IDENTITIES: IdentityMode[] = ['named', 'anonymous', 'confidential'];
const SKIP_WORDS = /^(lewati|skip|tidak ada|tidak|gak ada|ga ada|nggak|no|none|-)$/i;
const YES = /^(ya|iya|yes|y|betul|benar|bener|ok|oke|sip|correct|right)\b/i;
const NO = /^(tidak|bukan|no|nope|salah|wrong|gak|nggak|ga)\b/i;

/** Starts the intake of a complaint or aspiration, with the first message as the description. */
export function startIntake(ctx: TurnContext, kind: Draft['kind'], text = ''): void {
  const draft: Draft = {
    kind,
    text: '',
    attachments: [...(ctx.msg.attachments ?? [])],
    urgent: false,
  };
  const state: IntakeState = { kind: 'intake', step: 'description', draft };
  ctx.session.dialog = state;
  if (text) describe(ctx, state, text);
  else ctx.say('intake.ask_description');
}

function describe(ctx: TurnContext, state: IntakeState, text: string): void {
  const draft = state.draft;
  draft.text = draft.text ? `${draft.text}\n${text}` : text;
  // One analysis of the whole description serves the length check, urgency and the category.
  const analysis = ctx.deps.nlu.analyze(draft.text, ctx.lang);
  if (analysis.tokens.length < MIN_DESCRIPTION_WORDS) {
    ctx.say('intake.too_short');
    return;
  }
  if (ctx.deps.nlu.isUrgent(analysis) && !draft.urgent) {
    draft.urgent = true;
    ctx.say('emergency');
  }
  const category = ctx.deps.nlu.categorize(analysis);
  draft.candidates = category.candidates
    .map((x) => x.category)
    .filter((x) => x !== 'other')
    .slice(0, 3);
  if (category.category !== 'other') {
    draft.category = category.category;
    draft.categoryConfidence = category.confidence;
    goTo(ctx, state, 'category');
  } else {
    goTo(ctx, state, 'pick_category');
  }
}

/** Moves to a step and asks its question (or back to the summary when editing). */
function goTo(ctx: TurnContext, state: IntakeState, step: IntakeStep): void {
  state.step = step;
  const d = state.draft;
  switch (step) {
    case 'description':
      ctx.say('intake.ask_description');
      return;
    case 'category':
      ctx.say(
        'intake.confirm_category',
        { category: ctx.t(`categories.${d.category ?? 'other'}`) },
        {
          choices: [ctx.choice('yes', 'yes'), ctx.choice('no', 'no')],
        },
      );
      return;
    case 'pick_category': {
      const options = [...(d.candidates ?? []), 'other' as Category];
      ctx.say(
        'intake.pick_category',
        {},
        {
          choices: options.map((c) => ({
            label: ctx.t(`categories.${c}`),
            value: `category:${c}`,
          })),
        },
      );
      return;
    }
    case 'location':
      ctx.say('intake.ask_location', {}, { requestLocation: true });
      return;
    case 'photo':
      ctx.say('intake.ask_photo', {}, { choices: [ctx.choice('skip', 'skip')] });
      return;
    case 'identity':
      ctx.replies.push({
        text: [
          ctx.t('intake.ask_identity'),
          ...IDENTITIES.map((i) => `• ${ctx.t(`intake.identity_${i}`)}`),
        ].join('\n'),
        choices: IDENTITIES.map((i) => ctx.choice(`intake.${i}`, `identity:${i}`)),
      });
      return;
    case 'contact':
      ctx.say('intake.ask_contact', {}, { choices: [ctx.choice('skip', 'skip')] });
      return;
    case 'confirm':
      ctx.say('intake.summary', summaryVars(ctx, d), {
        choices: [
          ctx.choice('intake.send', 'confirm'),
          ctx.choice('intake.edit', 'edit'),
          ctx.choice('intake.cancel', 'cancel'),
        ],
      });
      return;
    case 'edit':
      ctx.say(
        'intake.edit_which',
        {},
        {
          choices: (
            ['description', 'category', 'location', 'photo', 'identity', 'contact'] as const
          ).map((f) => ctx.choice(`intake.field_${f}`, `edit:${f}`)),
        },
      );
      return;
  }
}

/** Asks the pending question of the intake again (e.g. after the language changed). */
export function reask(ctx: TurnContext, state: IntakeState): void {
  goTo(ctx, state, state.step);
}

/** After a step is answered: the next step, or the summary when editing. */
function advance(ctx: TurnContext, state: IntakeState, next: IntakeStep): void {
  if (state.editing) {
    state.editing = false;
    goTo(ctx, state, 'confirm');
  } else goTo(ctx, state, next);
}

function summaryVars(ctx: TurnContext, d: Draft): Record<string, string> {
  const none = ctx.t('intake.none');
  const loc = d.location;
  return {
    text: d.text.length > 300 ? `${d.text.slice(0, 299)}…` : d.text,
    category: ctx.t(`categories.${d.category ?? 'other'}`),
    location: loc
      ? [loc.text, loc.lat !== undefined ? `${loc.lat.toFixed(5)}, ${loc.lon?.toFixed(5)}` : '']
          .filter(Boolean)
          .join(' · ')
      : none,
    photos: d.attachments.length > 0 ? String(d.attachments.length) : none,
    identity: ctx.t(`intake.${d.identity ?? 'named'}`),
    contact: [d.phone, d.email].filter(Boolean).join(', ') || none,
  };
}

/** Indonesian mobile numbers (08…, +628…, 628…) and e-mail addresses. */
export function parseContact(text: string): { phone?: string; email?: string } | null {
  const t = text.trim();
  if (/^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i.test(t)) return { email: t.toLowerCase() };
  const digits = t.replace(/[\s\-().]/g, '');
  const m = /^(?:\+62|62|0)(8\d{7,11})$/.exec(digits);
  return m ? { phone: `+62${m[1]}` } : null;
}

/** What a message brings to the step it answers. */
interface Answer {
  /** The value of the button pressed, or '' when the citizen typed. */
  action: string;
  text: string;
  /** The photos attached to the message. */
  photos: Attachment[];
}

/** Handles a message while the intake dialog is active. */
export function continueIntake(ctx: TurnContext, state: IntakeState): void {
  const answer: Answer = {
    action: ctx.msg.action ?? '',
    text: ctx.text,
    photos: (ctx.msg.attachments ?? []).filter((a) => a.kind === 'photo'),
  };
  // A photo is welcome at any step.
  if (answer.photos.length > 0 && state.step !== 'photo') {
    state.draft.attachments.push(...answer.photos);
  }
  switch (state.step) {
    case 'description':
      return answerDescription(ctx, state, answer);
    case 'category':
      return answerCategory(ctx, state, answer);
    case 'pick_category':
      return answerPickCategory(ctx, state, answer);
    case 'location':
      return answerLocation(ctx, state, answer);
    case 'photo':
      return answerPhoto(ctx, state, answer);
    case 'identity':
      return answerIdentity(ctx, state, answer);
    case 'contact':
      return answerContact(ctx, state, answer);
    case 'confirm':
      return answerConfirm(ctx, state, answer);
    case 'edit':
      return answerEdit(ctx, state, answer);
  }
}

/** The description (or more of it, when it was too short). */
function answerDescription(ctx: TurnContext, state: IntakeState, { text }: Answer): void {
  if (!text) return goTo(ctx, state, 'description');
  return describe(ctx, state, text);
}

/** Yes or no to the category guessed from the description. */
function answerCategory(ctx: TurnContext, state: IntakeState, { action, text }: Answer): void {
  if (action === 'yes' || (!action && YES.test(text))) return advance(ctx, state, 'location');
  if (action === 'no' || (!action && NO.test(text))) return goTo(ctx, state, 'pick_category');
  return goTo(ctx, state, 'category');
}

/** A category picked by button, by its number in the list, or by name. */
function answerPickCategory(ctx: TurnContext, state: IntakeState, { action, text }: Answer): void {
  const d = state.draft;
  const picked = action.startsWith('category:')
    ? action.slice('category:'.length)
    : pickByText(ctx, text, d);
  if (!picked || !isCategory(picked)) return goTo(ctx, state, 'pick_category');
  d.category = picked;
  d.categoryConfidence = 1;
  return advance(ctx, state, 'location');
}

/** A shared location, or an address in words (5 characters or more). */
function answerLocation(ctx: TurnContext, state: IntakeState, { text }: Answer): void {
  const d = state.draft;
  if (ctx.msg.location) d.location = { lat: ctx.msg.location.lat, lon: ctx.msg.location.lon };
  else if (text.length >= 5) d.location = { text };
  else {
    ctx.say('intake.location_too_short', {}, { requestLocation: true });
    return;
  }
  return advance(ctx, state, 'photo');
}

/** Photos, or skip. */
function answerPhoto(ctx: TurnContext, state: IntakeState, { action, text, photos }: Answer): void {
  if (photos.length > 0) {
    state.draft.attachments.push(...photos);
    ctx.say('intake.photo_saved');
    return advance(ctx, state, 'identity');
  }
  if (action === 'skip' || SKIP_WORDS.test(text)) return advance(ctx, state, 'identity');
  return goTo(ctx, state, 'photo');
}

/** Named, anonymous or confidential, by button or in words. */
function answerIdentity(ctx: TurnContext, state: IntakeState, { action, text }: Answer): void {
  const picked = action.startsWith('identity:')
    ? action.slice('identity:'.length)
    : identityByText(text);
  if (!picked || !(IDENTITIES as string[]).includes(picked)) return goTo(ctx, state, 'identity');
  state.draft.identity = picked as IdentityMode;
  return advance(ctx, state, 'contact');
}

/** A phone number or e-mail address, or skip (which forgets one given before). */
function answerContact(ctx: TurnContext, state: IntakeState, { action, text }: Answer): void {
  const d = state.draft;
  if (action === 'skip' || SKIP_WORDS.test(text)) {
    delete d.phone;
    delete d.email;
    return advance(ctx, state, 'confirm');
  }
  const contact = parseContact(text);
  if (!contact) {
    ctx.say('intake.bad_contact', {}, { choices: [ctx.choice('skip', 'skip')] });
    return;
  }
  Object.assign(d, contact);
  return advance(ctx, state, 'confirm');
}

/** Send, edit or cancel, answering the summary. */
function answerConfirm(ctx: TurnContext, state: IntakeState, { action, text }: Answer): void {
  if (action === 'confirm' || (!action && YES.test(text)) || /^(kirim|send)$/i.test(text))
    return submit(ctx, state);
  if (action === 'edit' || /^(ubah|edit)$/i.test(text)) return goTo(ctx, state, 'edit');
  if (action === 'cancel') {
    delete ctx.session.dialog;
    ctx.say('cancelled');
    return;
  }
  return goTo(ctx, state, 'confirm');
}

/** The step that asks again for each field the summary offers to edit. */
const EDIT_TARGETS: Record<string, IntakeStep> = {
  description: 'description',
  category: 'pick_category',
  location: 'location',
  photo: 'photo',
  identity: 'identity',
  contact: 'contact',
};

/** The field to edit (a button only): its question, then back to the summary. */
function answerEdit(ctx: TurnContext, state: IntakeState, { action }: Answer): void {
  const field = action.startsWith('edit:') ? action.slice('edit:'.length) : '';
  // Own keys only: `edit:constructor` from a crafted button value is not a step.
  const target = Object.hasOwn(EDIT_TARGETS, field) ? EDIT_TARGETS[field] : undefined;
  if (!target) return goTo(ctx, state, 'edit');
  state.editing = true;
  // Both steps add to what is there (a too-short description is continued): start them empty.
  if (target === 'description') state.draft.text = '';
  if (target === 'photo') state.draft.attachments = [];
  return goTo(ctx, state, target);
}

function pickByText(ctx: TurnContext, text: string, d: Draft): string | undefined {
  const n = Number(text);
  const options = [...(d.candidates ?? []), 'other'];
  if (Number.isInteger(n) && n >= 1 && n <= options.length) return options[n - 1];
  const lower = text.toLowerCase();
  return CATEGORIES.find((c) => c === lower || ctx.t(`categories.${c}`).toLowerCase() === lower);
}

function identityByText(text: string): string | undefined {
  const t = text.toLowerCase();
  if (/^(terbuka|named|nama|biasa)/.test(t)) return 'named';
  if (/^(anonim|anonymous|anon)/.test(t)) return 'anonymous';
  if (/^(rahasia|confidential)/.test(t)) return 'confidential';
  return undefined;
}

/** Creates the case (with the session and replies, in one transaction) and tells the citizen. */
function submit(ctx: TurnContext, state: IntakeState): void {
  const d = state.draft;
  const category = d.category ?? 'other';
  const routed = ctx.deps.agencyRouter.route(d.text, category, d.categoryConfidence ?? 0);
  delete ctx.session.dialog;
  ctx.effect = {
    kind: 'open',
    input: {
      kind: d.kind,
      text: d.text,
      language: ctx.lang,
      category,
      categoryConfidence: routed.confidence,
      agencyId: routed.agencyId,
      priority: d.urgent ? 'urgent' : 'normal',
      ...(d.location ? { location: d.location } : {}),
      attachments: d.attachments,
      reporter: {
        ...ctx.reporter,
        ...(d.phone ? { phone: d.phone } : {}),
        ...(d.email ? { email: d.email } : {}),
      },
      identity: d.identity ?? 'named',
    },
    reply: (c) => createdReplies(ctx, c),
  };
}

function createdReplies(ctx: TurnContext, c: Case): Reply[] {
  const due = nextDeadline(c);
  const deadline = due ? ctx.t(`deadline.${due.kind}`, { date: ctx.date(due.due) }) : '';
  const key = c.kind === 'aspiration' ? 'intake.created_aspiration' : 'intake.created';
  const text = ctx
    .t(key, { id: c.trackingId, agency: ctx.agencyName(c.agencyId), deadline })
    .replace(/ {2,}/g, ' ');
  const url = ctx.deps.trackingUrl?.(c.trackingId, ctx.lang);
  return [{ text: url ? `${text}\n${ctx.t('tracking.link', { url })}` : text }];
}

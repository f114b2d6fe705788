import type { App, types } from '@slack/bolt';
import { z } from 'zod';
import {
  IDENTITY_MODES,
  type IdentityMode,
  OFFLINE_CHANNEL,
  OFFLINE_SOURCES,
  type OfflineSource,
} from '../../src/cases/types';
import { CATEGORIES, type Category } from '../../src/taxonomy';
import { claimRequest, type InteractionDeps, staffIdentity, tellUser } from './interaction';
import { errorFields } from './web';

/** The modal's callback id (not `suara:…`: those are the case modals). */
export const INTAKE_CALLBACK = 'intake:counter';
/** The global shortcut ("New report") that opens it. */
export const INTAKE_SHORTCUT = 'suara_new_report';

/** Block and action ids of the modal's inputs. */
export const INTAKE = {
  desk: 'intake_desk',
  text: 'intake_text',
  category: 'intake_category',
  location: 'intake_location',
  via: 'intake_via',
  identity: 'intake_identity',
  name: 'intake_name',
  phone: 'intake_phone',
} as const;
const VALUE = 'value';

const MIN_TEXT = 10;
const MAX_TEXT = 4000;
/** Indonesian phone numbers: +62 / 62 / 0, then 8 and 7 to 12 more digits. */
const PHONE = /^(\+62|62|0)8\d{7,12}$/;

type Lang = 'id' | 'en';
const T = {
  id: {
    title: 'Laporan baru',
    submit: 'Catat',
    cancel: 'Batal',
    desk: 'Kanal meja layanan',
    text: 'Isi laporan',
    textHint: 'Apa yang disampaikan warga, dengan kata-katanya.',
    category: 'Kategori',
    categoryHint: 'Kosongkan: ditebak dari isi laporan.',
    location: 'Lokasi',
    via: 'Diterima lewat',
    sources: { phone: 'Telepon', counter: 'Loket', letter: 'Surat', other: 'Lainnya' },
    identity: 'Identitas pelapor',
    modes: { named: 'Dengan nama', anonymous: 'Anonim', confidential: 'Rahasia' },
    name: 'Nama pelapor',
    phone: 'Telepon pelapor',
    errors: {
      text: `Tulis isi laporan (${MIN_TEXT}–${MAX_TEXT} karakter).`,
      name: 'Laporan dengan nama perlu nama pelapor.',
      phone: 'Nomor telepon tidak dikenali (contoh 081234567890).',
      desk: 'Pilih kanal meja layanan instansi Anda.',
    },
    note: (user: string, via: OfflineSource) =>
      `Dicatat oleh <@${user}>: laporan diterima lewat ${T.id.sources[via].toLowerCase()}.`,
    done: (id: string, category: string, agency: string) =>
      `Laporan tercatat: *${id}* (${category}, diteruskan ke ${agency}). Berikan nomor ini kepada pelapor untuk cek status.`,
  },
  en: {
    title: 'New report',
    submit: 'Save',
    cancel: 'Cancel',
    desk: 'Desk channel',
    text: 'Report',
    textHint: 'What the citizen said, in their words.',
    category: 'Category',
    categoryHint: 'Leave empty: predicted from the report.',
    location: 'Location',
    via: 'Came in by',
    sources: { phone: 'Phone', counter: 'Counter', letter: 'Letter', other: 'Other' },
    identity: "Reporter's identity",
    modes: { named: 'Named', anonymous: 'Anonymous', confidential: 'Confidential' },
    name: "Reporter's name",
    phone: "Reporter's phone",
    errors: {
      text: `Write the report (${MIN_TEXT}–${MAX_TEXT} characters).`,
      name: 'A named report needs the reporter’s name.',
      phone: 'Not a phone number we know (e.g. 081234567890).',
      desk: "Pick your agency's desk channel.",
    },
    note: (user: string, via: OfflineSource) =>
      `Entered by <@${user}>: the report came in by ${T.en.sources[via].toLowerCase()}.`,
    done: (id: string, category: string, agency: string) =>
      `Report saved: *${id}* (${category}, sent to ${agency}). Give this number to the citizen to check its status.`,
  },
};

const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });
const option = (text: string, value: string) => ({ text: plain(text.slice(0, 75)), value });

/**
 * The counter-intake modal. Opened from a desk channel (`channel` known, kept in the metadata)
 * it has no channel input; from the global shortcut it asks for the desk channel (the current
 * conversation by default).
 */
export function intakeView(
  lang: Lang,
  categoryLabel: (c: Category) => string,
  channel: string | null,
): types.ModalView {
  const t = T[lang];
  const text = (
    block: string,
    label: string,
    optional: boolean,
    multiline = false,
    hint?: string,
  ) => ({
    type: 'input' as const,
    block_id: block,
    optional,
    label: plain(label),
    ...(hint ? { hint: plain(hint) } : {}),
    element: {
      type: 'plain_text_input' as const,
      action_id: VALUE,
      multiline,
      ...(block === INTAKE.text ? { max_length: MAX_TEXT } : { max_length: 300 }),
    },
  });
  const blocks: types.KnownBlock[] = [];
  if (!channel) {
    blocks.push({
      type: 'input',
      block_id: INTAKE.desk,
      label: plain(t.desk),
      element: {
        type: 'conversations_select',
        action_id: VALUE,
        default_to_current_conversation: true,
        filter: { include: ['public', 'private'], exclude_bot_users: true },
      },
    });
  }
  blocks.push(
    text(INTAKE.text, t.text, false, true, t.textHint),
    {
      type: 'input',
      block_id: INTAKE.category,
      optional: true,
      label: plain(t.category),
      hint: plain(t.categoryHint),
      element: {
        type: 'static_select',
        action_id: VALUE,
        options: CATEGORIES.map((c) => option(categoryLabel(c), c)),
      },
    },
    text(INTAKE.location, t.location, true),
    {
      type: 'input',
      block_id: INTAKE.via,
      label: plain(t.via),
      element: {
        type: 'static_select',
        action_id: VALUE,
        initial_option: option(t.sources.phone, 'phone'),
        options: OFFLINE_SOURCES.map((s) => option(t.sources[s], s)),
      },
    },
    {
      type: 'input',
      block_id: INTAKE.identity,
      label: plain(t.identity),
      element: {
        type: 'radio_buttons',
        action_id: VALUE,
        initial_option: option(t.modes.named, 'named'),
        options: IDENTITY_MODES.map((m) => option(t.modes[m], m)),
      },
    },
    text(INTAKE.name, t.name, true),
    text(INTAKE.phone, t.phone, true),
  );
  return {
    type: 'modal',
    callback_id: INTAKE_CALLBACK,
    private_metadata: JSON.stringify({ channel }),
    title: plain(t.title),
    submit: plain(t.submit),
    close: plain(t.cancel),
    blocks,
  };
}

const inputValue = z.object({
  value: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
  selected_conversation: z.string().nullish(),
});
const submission = z.object({
  user: z.object({ id: z.string(), username: z.string().optional() }),
  view: z.object({
    id: z.string(),
    hash: z.string().optional(),
    private_metadata: z.string(),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), inputValue)) }),
  }),
});

/** A submitted modal's fields, checked; `errors` by block id when something is wrong. */
export interface IntakeForm {
  channel: string;
  text: string;
  category: Category | null;
  location: string;
  via: OfflineSource;
  identity: IdentityMode;
  name: string;
  phone: string;
}

/**
 * Reads and checks a submitted intake modal (pure): the report's length, a name for a named
 * report, the phone number's form, the desk channel.
 *
 * @example
 * readIntake(values, null, 'id') // { ok: false, errors: { intake_text: 'Tulis isi laporan (10–4000 karakter).' } }
 */
export function readIntake(
  values: Record<string, Record<string, z.infer<typeof inputValue>>>,
  channel: string | null,
  lang: Lang,
): { ok: true; form: IntakeForm } | { ok: false; errors: Record<string, string> } {
  const t = T[lang].errors;
  const get = (block: string) => values[block]?.[VALUE];
  const str = (block: string) => (get(block)?.value ?? '').trim();
  const pick = (block: string) => get(block)?.selected_option?.value;
  const errors: Record<string, string> = {};
  const desk = channel ?? get(INTAKE.desk)?.selected_conversation ?? '';
  if (!/^[CG][A-Z0-9]{2,30}$/.test(desk)) errors[INTAKE.desk] = t.desk;
  const text = str(INTAKE.text);
  if (text.length < MIN_TEXT || text.length > MAX_TEXT) errors[INTAKE.text] = t.text;
  const category = pick(INTAKE.category);
  const via = pick(INTAKE.via);
  const identity = pick(INTAKE.identity);
  const name = str(INTAKE.name).slice(0, 100);
  const phone = str(INTAKE.phone).replace(/[\s().-]/g, '');
  const mode = (IDENTITY_MODES as readonly string[]).includes(identity ?? '')
    ? (identity as IdentityMode)
    : 'named';
  if (mode === 'named' && name.length < 2) errors[INTAKE.name] = t.name;
  if (phone && !PHONE.test(phone)) errors[INTAKE.phone] = t.phone;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    form: {
      channel: desk,
      text,
      category: (CATEGORIES as readonly string[]).includes(category ?? '')
        ? (category as Category)
        : null,
      location: str(INTAKE.location),
      via: (OFFLINE_SOURCES as readonly string[]).includes(via ?? '')
        ? (via as OfflineSource)
        : 'other',
      identity: mode,
      // An anonymous report keeps no name or number, whatever was typed.
      name: mode === 'anonymous' ? '' : name,
      phone: mode === 'anonymous' ? '' : phone,
    },
  };
}

/**
 * Registers the counter intake: the global shortcut opens the modal (the slash command's
 * `lapor` opens it too, see commands.ts); a submission is checked (errors shown in the modal),
 * then a case is opened and routed like any other — its category chosen by the officer or
 * predicted from the text (a low-confidence prediction goes to triage), the officer as the
 * actor of its first event with how it came in — and the officer is told its tracking id
 * ephemerally, to give to the citizen. Only a channel bound to an agency may file.
 */
export function registerIntake(app: App, deps: InteractionDeps): void {
  const { ctx, desk } = deps;
  app.shortcut(INTAKE_SHORTCUT, async ({ ack, body }) => {
    await ack();
    const trigger = (body as { trigger_id?: unknown }).trigger_id;
    if (typeof trigger !== 'string') return;
    await openIntake(deps, trigger, null);
  });

  app.view(INTAKE_CALLBACK, async ({ ack, body }) => {
    const parsed = submission.safeParse(body);
    if (!parsed.success) {
      ctx.logger.warn({}, 'unexpected intake submission');
      await ack();
      return;
    }
    const p = parsed.data;
    const meta = metadataChannel(p.view.private_metadata);
    const read = readIntake(p.view.state.values, meta, desk.lang);
    if (!read.ok) {
      await ack({ response_action: 'errors', errors: read.errors });
      return;
    }
    const form = read.form;
    const identity = staffIdentity(desk, form.channel, p.user);
    if (identity.agencyIds.length === 0) {
      await ack({
        response_action: 'errors',
        errors: { [meta ? INTAKE.text : INTAKE.desk]: desk.t.refused.unbound },
      });
      return;
    }
    await ack();
    if (!(await claimRequest(deps, `intake:${p.view.id}`, body))) return;
    try {
      const c = ctx.nlu.classify(form.text);
      const category = form.category ?? c.category ?? c.categoryCandidates[0]?.category ?? 'other';
      const { case: opened } = await ctx.cases.open(
        {
          kind: 'complaint',
          text: form.text,
          language: c.lang,
          category,
          ...(form.category ? {} : { categoryConfidence: c.categoryConfidence ?? 0 }),
          priority: c.urgent ? 'urgent' : 'normal',
          ...(form.location ? { location: { text: form.location } } : {}),
          reporter: {
            channel: OFFLINE_CHANNEL,
            channelUserId: `${form.via}:${p.view.id}`,
            via: form.via,
            ...(form.name ? { name: form.name } : {}),
            ...(form.phone ? { phone: form.phone } : {}),
          },
          identity: form.identity,
          note: T[desk.lang].note(p.user.id, form.via),
        },
        { type: 'staff', id: p.user.id, ...(p.user.username ? { name: p.user.username } : {}) },
      );
      ctx.dispatcher.wake();
      await tellUser(
        deps,
        form.channel,
        p.user.id,
        T[desk.lang].done(
          opened.trackingId,
          desk.category(opened.category),
          desk.agencyName(opened.agencyId),
        ),
      );
    } catch (err) {
      ctx.logger.error({ ...errorFields(err) }, 'counter intake failed');
      await tellUser(deps, form.channel, p.user.id, desk.t.refused.failed);
    }
  });
}

/** Opens the intake modal (from the command's or the shortcut's trigger). */
export async function openIntake(
  deps: InteractionDeps,
  triggerId: string,
  channel: string | null,
): Promise<boolean> {
  try {
    await deps.web.views.open({
      trigger_id: triggerId,
      view: intakeView(deps.desk.lang, (c) => deps.desk.category(c), channel),
    });
    return true;
  } catch (err) {
    deps.ctx.logger.warn({ ...errorFields(err) }, 'could not open the intake modal');
    return false;
  }
}

function metadataChannel(raw: string): string | null {
  try {
    const channel = (JSON.parse(raw) as { channel?: unknown }).channel;
    return typeof channel === 'string' ? channel : null;
  } catch {
    return null;
  }
}

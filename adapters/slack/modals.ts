import type { types } from '@slack/bolt';
import { z } from 'zod';
import { MAX_NOTE_LENGTH } from '../../src/cases/state-machine';
import type { Case } from '../../src/cases/types';
import type { Desk } from './desk';
import { mrkdwn } from './format';

/** The modals staff fill in, by callback id. */
export const MODALS = {
  needInfo: 'suara:need_info',
  resolve: 'suara:resolve',
  reject: 'suara:reject',
  reply: 'suara:reply',
  transfer: 'suara:transfer',
} as const;
export type ModalKind = keyof typeof MODALS;

/** Block and action ids of the modal inputs. */
export const INPUT = {
  note: { block: 'note', action: 'value' },
  agency: { block: 'agency', action: 'value' },
} as const;

/** What a modal remembers between opening and submitting: the case and the channel it came from. */
export const modalMetadata = z.object({
  id: z.string().regex(/^ADU-[0-9A-Z]{6}$/),
  channel: z.string().regex(/^[CGD][A-Z0-9]+$/),
});
export type ModalMetadata = z.infer<typeof modalMetadata>;

const plain = (text: string) => ({ type: 'plain_text' as const, text: text.slice(0, 150) });

function noteInput(label: string, hint: string, optional = false): types.InputBlock {
  return {
    type: 'input',
    block_id: INPUT.note.block,
    optional,
    label: plain(label),
    hint: plain(hint),
    element: {
      type: 'plain_text_input',
      action_id: INPUT.note.action,
      multiline: true,
      // Slack allows 3000 characters in an input; the case allows MAX_NOTE_LENGTH.
      max_length: Math.min(3000, MAX_NOTE_LENGTH),
    },
  };
}

/** The modal for one action on a case. */
export function modalView(
  kind: ModalKind,
  c: Case,
  desk: Desk,
  metadata: ModalMetadata,
): types.ModalView {
  const m = desk.t.modal;
  const texts = kind === 'transfer' ? null : m[kind];
  const blocks: types.KnownBlock[] = [{ type: 'context', elements: [mrkdwn(`*${c.trackingId}*`)] }];
  if (kind === 'transfer') {
    const options = [desk.directory.triage, ...desk.directory.agencies]
      .filter((a) => a.id !== c.agencyId)
      .slice(0, 100)
      .map((a) => ({ text: plain(a.name[desk.lang].slice(0, 75)), value: a.id }));
    blocks.push(
      {
        type: 'input',
        block_id: INPUT.agency.block,
        label: plain(m.transfer.agency),
        element: { type: 'static_select', action_id: INPUT.agency.action, options },
      },
      noteInput(m.transfer.note, m.transfer.hint, true),
    );
  } else if (texts) {
    blocks.push(noteInput(texts.label, texts.hint));
  }
  return {
    type: 'modal',
    callback_id: MODALS[kind],
    private_metadata: JSON.stringify(metadata),
    title: plain((texts?.title ?? m.transfer.title).slice(0, 24)),
    submit: plain(m.submit.slice(0, 24)),
    close: plain(m.cancel.slice(0, 24)),
    blocks,
  };
}

import { INTAKE, INTAKE_CALLBACK } from '../../../adapters/slack/counter-intake';
import { type Harness, PUPR, startSlackService, TRIAGE } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startSlackService();
});
afterAll(() => h.stop());

let views = 0;
const ROAD = 'Jalan di depan SD Negeri 3 berlubang besar, sudah dua motor jatuh minggu ini';

/** A submitted intake modal with these fields (the channel from the command, unless `desk`). */
function submission(fields: {
  text?: string;
  category?: string;
  location?: string;
  via?: string;
  identity?: string;
  name?: string;
  phone?: string;
  channel?: string | null;
  desk?: string;
}) {
  const input = (value: string | undefined) => ({
    value: { type: 'plain_text_input', value: value ?? null },
  });
  const select = (value: string | undefined) => ({
    value: { type: 'static_select', selected_option: value ? { value } : null },
  });
  const values: Record<string, unknown> = {
    [INTAKE.text]: input(fields.text),
    [INTAKE.category]: select(fields.category),
    [INTAKE.location]: input(fields.location),
    [INTAKE.via]: select(fields.via ?? 'phone'),
    [INTAKE.identity]: {
      value: { type: 'radio_buttons', selected_option: { value: fields.identity ?? 'named' } },
    },
    [INTAKE.name]: input(fields.name),
    [INTAKE.phone]: input(fields.phone),
  };
  if (fields.desk !== undefined) {
    values[INTAKE.desk] = {
      value: { type: 'conversations_select', selected_conversation: fields.desk },
    };
  }
  return {
    type: 'view_submission',
    team: { id: 'T1', domain: 'kota' },
    user: { id: 'U0STAFF', username: 'petugas', team_id: 'T1' },
    api_app_id: 'A1',
    token: 'x',
    trigger_id: `trigger.intake.${++views}`,
    view: {
      id: `VINTAKE${views}`,
      team_id: 'T1',
      type: 'modal',
      callback_id: INTAKE_CALLBACK,
      private_metadata: JSON.stringify({
        channel: fields.channel === undefined ? PUPR : fields.channel,
      }),
      hash: `h${views}`,
      state: { values },
    },
    response_urls: [],
  };
}

/** Submits, delivers what it caused; the ephemeral lines the officer got meanwhile. */
async function submit(fields: Parameters<typeof submission>[0]) {
  const before = h.fake.of('chat.postEphemeral').length;
  const res = await h.interact(submission(fields));
  expect(res.status).toBe(200);
  await h.deliver();
  const told = h.fake
    .of('chat.postEphemeral')
    .slice(before)
    .map((c) => String(c.args.text));
  return { body: res.body ? (JSON.parse(res.body) as Record<string, unknown>) : {}, told };
}

const trackingIdIn = (lines: string[]) => lines.join('\n').match(/ADU-[0-9A-Z]{6}/)?.[0];

describe('staff-assisted intake (reports by phone, at the counter, by letter)', () => {
  test('`/suara lapor` in a desk channel opens the intake modal; elsewhere it is refused', async () => {
    const before = h.fake.of('views.open').length;
    const res = await h.command(PUPR, 'lapor');
    expect(res.status).toBe(200);
    const opened = h.fake.of('views.open').slice(before);
    expect(opened).toHaveLength(1);
    const view = opened[0]?.args.view as {
      callback_id: string;
      private_metadata: string;
      blocks: { block_id?: string }[];
    };
    expect(view.callback_id).toBe(INTAKE_CALLBACK);
    expect(JSON.parse(view.private_metadata)).toEqual({ channel: PUPR });
    expect(view.blocks.map((b) => b.block_id)).toEqual(
      expect.arrayContaining([
        INTAKE.text,
        INTAKE.category,
        INTAKE.via,
        INTAKE.identity,
        INTAKE.phone,
      ]),
    );
    const elsewhere = await h.command('C0RANDOM', 'lapor');
    expect(h.fake.of('views.open')).toHaveLength(before + 1);
    expect(elsewhere.body).toMatch(/not|tidak|bound|terhubung/i);
  });

  test('a valid report by phone: a case routed like any other, the officer and the source in its history, the tracking id ephemerally', async () => {
    const { body, told } = await submit({
      text: ROAD,
      location: 'Jl. Kenanga depan SDN 3',
      name: 'Ibu Sumarni',
      phone: '0812-3456-7890',
    });
    expect(body.response_action).toBeUndefined();
    const id = trackingIdIn(told);
    if (!id) throw new Error(`no tracking id told: ${told.join(' | ')}`);
    const c = await h.service.backend.cases.get(id);
    expect(c).toMatchObject({
      category: 'roads_drainage',
      agencyId: 'dinas-pupr',
      identity: 'named',
      location: { text: 'Jl. Kenanga depan SDN 3' },
      reporter: { channel: 'offline', via: 'phone', name: 'Ibu Sumarni', phone: '081234567890' },
    });
    // The officer sees the predicted category with the id (a wrong one is transferred).
    expect(told.join('\n')).toContain('Roads');
    const [created] = await h.service.backend.cases.events(id);
    expect(created).toMatchObject({ type: 'created', actor: { type: 'staff', id: 'U0STAFF' } });
    expect(created?.note).toMatch(/<@U0STAFF>.*phone/);
    // The agency's desk got the case like any other.
    expect(h.fake.of('chat.postMessage').some((m) => JSON.stringify(m.args).includes(id))).toBe(
      true,
    );
    // Nobody to tell on a channel: staff actions queue no citizen message.
    await h.service.cases.act(id, { type: 'verify' }, { type: 'staff', id: 'U0STAFF' });
    const queued = await h.service.backend.outbox.list({ limit: 1000 });
    expect(queued.filter((m) => m.trackingId === id && m.channel !== 'staff')).toEqual([]);
  });

  test('invalid input is shown in the modal and nothing is filed', async () => {
    const staffMessages = async () =>
      (await h.service.backend.outbox.list({ channel: 'staff', limit: 1000 })).length;
    const before = await staffMessages();
    const { body, told } = await submit({
      text: 'rusak',
      identity: 'named',
      name: '',
      phone: '12345',
    });
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors as object).sort()).toEqual(
      [INTAKE.name, INTAKE.phone, INTAKE.text].sort(),
    );
    expect(told).toEqual([]);
    expect(await staffMessages()).toBe(before);
  });

  test('an anonymous report keeps no name or number; a chosen category is kept', async () => {
    const { told } = await submit({
      text: 'Sampah menumpuk di pasar lama sudah seminggu tidak diangkut petugas',
      identity: 'anonymous',
      name: 'Pak Budi',
      phone: '081298765432',
      via: 'counter',
      category: 'waste_environment',
    });
    const id = trackingIdIn(told);
    if (!id) throw new Error('no tracking id');
    const c = await h.service.backend.cases.get(id);
    expect(c?.identity).toBe('anonymous');
    expect(c?.category).toBe('waste_environment');
    expect(c?.reporter.name).toBeUndefined();
    expect(c?.reporter.phone).toBeUndefined();
    expect(c?.reporter.via).toBe('counter');
  });

  test('from the shortcut: the desk channel is asked, and must be a bound one', async () => {
    const refused = await submit({ text: ROAD, name: 'Ibu Sari', channel: null, desk: 'C0RANDOM' });
    expect(refused.body.response_action).toBe('errors');
    expect(Object.keys(refused.body.errors as object)).toEqual([INTAKE.desk]);
    const filed = await submit({ text: ROAD, name: 'Ibu Sari', channel: null, desk: TRIAGE });
    expect(trackingIdIn(filed.told)).toBeDefined();
  });
});

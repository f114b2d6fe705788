import type { SlackCall } from './fake-slack';
import { type Harness, PUPR, startSlackService } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startSlackService();
});
afterAll(() => h.stop());

const TRACKING_ID = /ADU-[0-9A-Z]{6}/;
let events = 0;
let stamp = 1;
const nextTs = () => `1700000100.${String(stamp++).padStart(6, '0')}`;

/** Sends one Events API callback, signed (with `X-Slack-Retry-Num` when `retryNum` is given). */
async function event(e: Record<string, unknown>, retryNum?: number, eventId = `Ev${++events}`) {
  const body = JSON.stringify({
    token: 'x',
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: eventId,
    event_time: 1700000100,
    event: { event_ts: e.ts, ...e },
  });
  const res = await h.post(body, 'application/json', retryNum ? { retryNum } : {});
  expect(res.status).toBe(200);
  await h.deliver();
}

/** A citizen's direct message to the app. */
const dm = (channel: string, text: string, ts = nextTs()) => ({
  type: 'message',
  channel,
  channel_type: 'im',
  user: `U${channel.slice(1)}`,
  text,
  ts,
});

/** What the app posted to a conversation, in order. */
const postedTo = (channel: string): SlackCall[] =>
  h.fake.of('chat.postMessage').filter((c) => c.args.channel === channel);
const textOf = (c: SlackCall | undefined) => String(c?.args.text ?? '');
const buttonValues = (c: SlackCall | undefined): string[] =>
  ((c?.args.blocks ?? []) as { type: string; elements?: { value?: string }[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements ?? []).map((el) => el.value ?? ''));

/** The citizen presses the choice button with this value on the last message that has it. */
async function press(channel: string, value: string) {
  const message = [...postedTo(channel)].reverse().find((c) => buttonValues(c).includes(value));
  if (!message) throw new Error(`no button ${value} in ${channel}`);
  const index = buttonValues(message).indexOf(value);
  const res = await h.interact({
    type: 'block_actions',
    team: { id: 'T1', domain: 'kota' },
    user: { id: `U${channel.slice(1)}`, username: 'warga', team_id: 'T1' },
    api_app_id: 'A1',
    token: 'x',
    trigger_id: `trigger.${nextTs()}`,
    container: { type: 'message', message_ts: '1700000000.000001', channel_id: channel },
    channel: { id: channel, name: 'directmessage' },
    actions: [
      {
        type: 'button',
        action_id: `citizen:choice:${index}`,
        block_id: 'b1',
        value,
        action_ts: nextTs(),
      },
    ],
  });
  expect(res.status).toBe(200);
  await h.deliver();
}

/** Files a complaint by DM, pressing the buttons shown; returns its tracking id. */
async function fileComplaint(channel: string): Promise<string> {
  await event(dm(channel, 'jalan depan rumah saya berlubang besar sudah 2 bulan'));
  await press(channel, 'yes');
  await event(dm(channel, 'Jl. Melati No. 5, RT 02/RW 03, Kelurahan Sukamaju'));
  await press(channel, 'skip');
  await press(channel, 'identity:anonymous');
  await press(channel, 'skip');
  await press(channel, 'confirm');
  const id = postedTo(channel)
    .map((c) => TRACKING_ID.exec(textOf(c))?.[0])
    .find(Boolean);
  if (!id) throw new Error('no tracking id');
  return id;
}

describe('Slack as a citizen channel', () => {
  test('a DM conversation files a complaint and gets a tracking id', async () => {
    const id = await fileComplaint('D0CIT1');
    const c = await h.service.backend.cases.get(id);
    expect(c?.reporter).toMatchObject({ channel: 'slack', channelUserId: 'U0CIT1' });
    expect(c?.identity).toBe('anonymous');
    // Buttons are Block Kit buttons whose value is the choice; the text is plain.
    const withConfirm = postedTo('D0CIT1').find((m) => buttonValues(m).includes('confirm'));
    expect(JSON.stringify(withConfirm?.args.blocks)).toContain('"type":"plain_text"');
  });

  test('a status check by DM, in the language of the Slack locale', async () => {
    const id = await fileComplaint('D0CIT2');
    h.fake.locales.set('U0CIT3', 'en-US');
    await event(dm('D0CIT3', 'menu'));
    expect(textOf(postedTo('D0CIT3').at(-1))).toMatch(/report|question|officer/i);
    await event(dm('D0CIT2', `status ${id}`));
    expect(textOf(postedTo('D0CIT2').at(-1))).toContain(id);
  });

  test('a retried event (X-Slack-Retry-Num) has one effect', async () => {
    const message = dm('D0CIT4', 'halo');
    await event(message, undefined, 'EvRETRY1');
    const count = postedTo('D0CIT4').length;
    expect(count).toBeGreaterThan(0);
    await event(message, 1, 'EvRETRY1');
    expect(postedTo('D0CIT4')).toHaveLength(count);
  });

  test("bots' messages (ours too), edits and deletions are ignored", async () => {
    await event({ ...dm('D0CIT5', 'halo'), bot_id: 'B0OTHER' });
    await event({ ...dm('D0CIT5', 'halo'), user: 'UBOT' });
    await event({ ...dm('D0CIT5', 'halo'), subtype: 'message_changed' });
    await event({ ...dm('D0CIT5', 'halo'), subtype: 'message_deleted' });
    expect(postedTo('D0CIT5')).toEqual([]);
  });

  test('an @mention in a channel is answered in its thread, asking for nothing personal', async () => {
    const ts = nextTs();
    await event({
      type: 'app_mention',
      channel: 'C0PUBLIC',
      user: 'U0CIT6',
      text: '<@UBOT> jalan rusak di RT 3, nomor saya 0812345678',
      ts,
    });
    const answers = postedTo('C0PUBLIC');
    expect(answers).toHaveLength(1);
    expect(answers[0]?.args.thread_ts).toBe(ts);
    expect(textOf(answers[0])).toMatch(/pesan langsung|direct message/);
    expect(buttonValues(answers[0])).toEqual([]);
    const stored = JSON.stringify(await h.service.backend.outbox.list({ channel: 'slack' }));
    expect(stored).not.toContain('0812345678');
  });

  test("a notification about a case reaches the Slack citizen's DM", async () => {
    const id = await fileComplaint('D0CIT7');
    const before = postedTo('D0CIT7').length;
    await h.service.cases.act(id, { type: 'verify' }, { type: 'staff', id: 'U0STAFF' });
    await h.deliver();
    const told = postedTo('D0CIT7').slice(before);
    expect(told).toHaveLength(1);
    expect(textOf(told[0])).toContain(id);
  });
});

describe('case threads are the case discussion', () => {
  test("an officer's thread message becomes an internal note, never sent to the citizen", async () => {
    const c = await h.openCase();
    const where = await h.messageOf(c.trackingId);
    if (!where) throw new Error('no case message');
    const toCitizen = h.citizen.length;
    await event({
      type: 'message',
      channel: where.channel,
      channel_type: 'channel',
      user: 'U0STAFF',
      text: 'Sudah dicek ke lapangan, tim berangkat besok.',
      ts: nextTs(),
      thread_ts: where.ts,
    });
    const last = (await h.service.backend.cases.events(c.trackingId)).at(-1);
    expect(last).toMatchObject({
      type: 'note',
      actor: { type: 'staff', id: 'U0STAFF' },
      public: false,
    });
    expect(JSON.stringify(last)).toContain('tim berangkat besok');
    expect(h.citizen.length).toBe(toCitizen);
    expect(where.channel).toBe(PUPR);
  });

  test('a thread message under a message that is no case is left alone', async () => {
    await event({
      type: 'message',
      channel: PUPR,
      channel_type: 'channel',
      user: 'U0STAFF',
      text: 'rapat jam 10',
      ts: nextTs(),
      thread_ts: '1600000000.000001',
    });
    expect(postedTo(PUPR).filter((m) => textOf(m).includes('rapat'))).toEqual([]);
  });
});

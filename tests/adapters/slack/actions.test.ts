import type { Case } from '../../../src/cases/types';
import {
  actionIds,
  blockAction,
  CITIZEN_CHANNEL,
  DISHUB,
  DLH,
  type Harness,
  PUPR,
  startSlackService,
  TRIAGE,
  viewSubmission,
} from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startSlackService();
});
afterEach(async () => {
  await h.stop();
});

const STAFF = 'U0STAFF';

async function caseNow(id: string): Promise<Case> {
  const c = await h.service.backend.cases.get(id);
  if (!c) throw new Error(`no case ${id}`);
  return c;
}

/** Presses a button on a case message and delivers what it caused. */
async function press(c: Case, actionId: string, channel = PUPR, extra = {}) {
  const res = await h.interact(
    blockAction({ channel, trackingId: c.trackingId, actionId, ...extra }),
  );
  expect(res.status).toBe(200);
  await h.deliver();
}

/** Submits a modal and delivers what it caused. */
async function submit(
  c: Case,
  callbackId: string,
  fields: { note?: string; agency?: string },
  channel = PUPR,
) {
  const res = await h.interact(
    viewSubmission({ callbackId, trackingId: c.trackingId, channel, ...fields }),
  );
  expect(res.status).toBe(200);
  await h.deliver();
  return res;
}

/** The thread replies under the case message. */
function threadLines(ts: string): string[] {
  return h.fake
    .of('chat.postMessage')
    .filter((call) => call.args.thread_ts === ts)
    .map((call) => String(call.args.text));
}

describe('staff work a case from its Slack message', () => {
  test('Acknowledge: in progress, message updated, thread records who and when, citizen told', async () => {
    const c = await h.openCase();
    await press(c, 'suara:ack');
    const after = await caseNow(c.trackingId);
    expect(after.status).toBe('in_progress');
    const last = (await h.service.backend.cases.events(c.trackingId)).at(-1);
    expect(last).toMatchObject({ type: 'start', actor: { type: 'staff', id: STAFF } });

    const [update] = h.fake.of('chat.update');
    expect(update?.args).toMatchObject({
      channel: PUPR,
      ts: (await h.messageOf(after.trackingId))?.ts,
    });
    expect(JSON.stringify(update?.args.blocks)).toContain('In progress');
    // Acknowledge is gone once the case is being worked on.
    expect(actionIds(update?.args.blocks)).not.toContain('suara:ack');
    const [line] = threadLines((await h.messageOf(after.trackingId))?.ts ?? '');
    expect(line).toMatch(
      /^<@U0STAFF> acknowledged the report \(in progress\) · 27 Nov 2026, 09:00/,
    );

    expect(h.citizen.map((m) => [m.recipient, m.payload.text])).toEqual([
      [
        'c1',
        `Public Works and Spatial Planning Department is now working on report ${c.trackingId}.`,
      ],
    ]);
  });

  test('Need info opens a modal; its question goes to the citizen; the answer lands in the thread, masked', async () => {
    const c = await h.openCase({ identity: 'anonymous' });
    await press(c, 'suara:need_info');
    const [open] = h.fake.of('views.open');
    expect(open?.args.view).toMatchObject({
      type: 'modal',
      callback_id: 'suara:need_info',
      private_metadata: JSON.stringify({ id: c.trackingId, channel: PUPR }),
    });
    expect((await caseNow(c.trackingId)).status).toBe('received');

    await submit(c, 'suara:need_info', { note: 'Which RT is it in?' });
    expect((await caseNow(c.trackingId)).status).toBe('needs_info');
    expect(h.citizen.at(-1)?.payload.text).toBe(
      `The officer needs more information for report ${c.trackingId}: Which RT is it in?\nReply to this message to answer.`,
    );

    // The citizen answers in their chat: the core attaches it to the case, Slack gets it in the thread.
    const replies = await h.service.bot.handle({
      channel: CITIZEN_CHANNEL,
      channelUserId: 'c1',
      conversationId: 'c1',
      messageId: 'answer-1',
      text: 'It is RT 02, call me at 0812-3456-7890 if needed',
      receivedAt: h.clock(),
    });
    expect(replies.map((r) => r.text).join('\n')).toContain(c.trackingId);
    await h.deliver();
    const after = await caseNow(c.trackingId);
    expect(after.status).toBe('received');
    const lines = threadLines((await h.messageOf(after.trackingId))?.ts ?? '');
    expect(lines.at(-1)).toMatch(/^The reporter sent more information/);
    expect(lines.at(-1)).toContain('It is RT 02, call me at [phone hidden] if needed');
    expect(lines.join('\n')).not.toContain('0812-3456-7890');
  });

  test('Resolve (modal) from a new case: acknowledged then resolved, with the public note', async () => {
    const c = await h.openCase();
    await press(c, 'suara:resolve');
    expect(h.fake.of('views.open')[0]?.args.view).toMatchObject({ callback_id: 'suara:resolve' });
    await submit(c, 'suara:resolve', { note: 'The pothole was patched today.' });
    const after = await caseNow(c.trackingId);
    expect(after.status).toBe('resolved');
    const types = (await h.service.backend.cases.events(c.trackingId)).map((e) => e.type);
    expect(types).toEqual(['created', 'start', 'resolve']);
    expect(h.citizen.at(-1)?.payload.text).toBe(
      `Public Works and Spatial Planning Department marked report ${c.trackingId} as resolved: The pothole was patched today.\nIs the problem fixed?`,
    );
    // A resolved case has no more buttons but "Reply to citizen".
    expect(actionIds(h.fake.of('chat.update').at(-1)?.args.blocks)).toEqual(['suara:reply']);
  });

  test('Reject (modal) with a reason', async () => {
    const c = await h.openCase();
    await press(c, 'suara:reject');
    await submit(c, 'suara:reject', { note: 'This is a private road.' });
    expect((await caseNow(c.trackingId)).status).toBe('rejected');
    expect(h.citizen.at(-1)?.payload.text).toBe(
      `Report ${c.trackingId} could not be processed: This is a private road.`,
    );
    expect(actionIds(h.fake.of('chat.update').at(-1)?.args.blocks)).toEqual([]);
  });

  test('Reply to citizen (modal): a public note reaches the citizen; the status stays', async () => {
    const c = await h.openCase();
    await press(c, 'suara:reply');
    await submit(c, 'suara:reply', { note: 'We will check it tomorrow morning.' });
    const after = await caseNow(c.trackingId);
    expect(after.status).toBe('received');
    const last = (await h.service.backend.cases.events(c.trackingId)).at(-1);
    expect(last).toMatchObject({ type: 'note', public: true, actor: { id: STAFF } });
    expect(h.citizen.at(-1)?.payload.text).toContain('We will check it tomorrow morning.');
    expect(h.citizen.at(-1)?.payload.text).toContain(c.trackingId);
    expect(threadLines((await h.messageOf(after.trackingId))?.ts ?? '').at(-1)).toContain(
      '<@U0STAFF> replied to the reporter',
    );
  });

  test('an empty note is refused in the modal and changes nothing', async () => {
    const c = await h.openCase();
    const res = await submit(c, 'suara:resolve', { note: '   ' });
    expect(JSON.parse(res.body)).toEqual({
      response_action: 'errors',
      errors: { note: 'Please fill in this field.' },
    });
    expect((await h.service.backend.cases.events(c.trackingId)).map((e) => e.type)).toEqual([
      'created',
    ]);
  });

  test('Transfer (modal): the case moves to the new agency channel; the old message loses its buttons', async () => {
    const c = await h.openCase();
    const oldTs = (await h.messageOf(c.trackingId))?.ts ?? '';
    await press(c, 'suara:transfer');
    const view = h.fake.of('views.open')[0]?.args.view as { blocks: { block_id?: string }[] };
    expect(view.blocks.map((b) => b.block_id)).toContain('agency');
    await submit(c, 'suara:transfer', {
      agency: 'dinas-perhubungan',
      note: 'street light, not road',
    });

    const after = await caseNow(c.trackingId);
    expect(after.agencyId).toBe('dinas-perhubungan');
    expect((await h.messageOf(after.trackingId))?.channel).toBe(DISHUB);
    const [oldUpdate] = h.fake.of('chat.update');
    expect(oldUpdate?.args).toMatchObject({ channel: PUPR, ts: oldTs });
    expect(JSON.stringify(oldUpdate?.args.blocks)).toContain(
      'Transferred to Transportation Department',
    );
    expect(actionIds(oldUpdate?.args.blocks)).toEqual([]);
    const newPost = h.fake
      .of('chat.postMessage')
      .find((p) => p.args.channel === DISHUB && !p.args.thread_ts);
    expect(actionIds(newPost?.args.blocks)).toContain('suara:ack');
    expect(threadLines((await h.messageOf(after.trackingId))?.ts ?? '').at(-1)).toContain(
      'transferred the report from Public Works and Spatial Planning Department to Transportation Department',
    );
    // The old channel can no longer act on it; the new one can.
    h.fake.clear();
    await press(c, 'suara:ack', PUPR);
    expect((await caseNow(c.trackingId)).status).toBe('received');
    expect(h.fake.of('chat.postEphemeral')).toHaveLength(1);
    await press(c, 'suara:ack', DISHUB);
    expect((await caseNow(c.trackingId)).status).toBe('in_progress');
  });

  test('a transfer still reaches the new channel when the old one is gone', async () => {
    const c = await h.openCase();
    h.fake.missingChannels.add(PUPR);
    await submit(c, 'suara:transfer', { agency: 'dinas-perhubungan' });
    expect((await h.messageOf(c.trackingId))?.channel).toBe(DISHUB);
    const staff = await h.service.backend.outbox.list({ channel: 'staff' });
    expect(staff.map((m) => m.status)).toEqual(['sent', 'sent']);
  });

  test('triage: "Route to agency" sends the case to the chosen agency channel', async () => {
    const c = await h.openCase({ category: 'other', text: 'Sampah menumpuk di pasar' });
    await press(c, 'suara:route', TRIAGE, { selected: 'dinas-lingkungan-hidup' });
    const after = await caseNow(c.trackingId);
    expect(after.agencyId).toBe('dinas-lingkungan-hidup');
    expect((await h.messageOf(after.trackingId))?.channel).toBe(DLH);
    const last = (await h.service.backend.cases.events(c.trackingId)).at(-1);
    expect(last).toMatchObject({
      type: 'transfer',
      fromAgencyId: 'triage',
      toAgencyId: 'dinas-lingkungan-hidup',
      actor: { type: 'staff', id: STAFF },
    });
    expect(h.fake.of('chat.postMessage').some((p) => p.args.channel === DLH)).toBe(true);
  });
});

describe('authorization and retries', () => {
  test("another agency's channel is refused with an ephemeral message; nothing changes", async () => {
    const c = await h.openCase();
    h.fake.clear();
    await press(c, 'suara:ack', DLH);
    await press(c, 'suara:resolve', DLH);
    expect((await caseNow(c.trackingId)).status).toBe('received');
    expect(h.fake.of('views.open')).toEqual([]);
    const refusals = h.fake.of('chat.postEphemeral');
    expect(refusals).toHaveLength(2);
    expect(refusals[0]?.args).toMatchObject({
      channel: DLH,
      user: STAFF,
      text: `Report ${c.trackingId} is handled by Public Works and Spatial Planning Department; this channel cannot change it.`,
    });
    // A modal submitted with another channel in its metadata is refused too.
    const res = await submit(c, 'suara:reply', { note: 'hello' }, DLH);
    expect(JSON.parse(res.body).response_action).toBe('errors');
    expect(await h.service.backend.cases.events(c.trackingId)).toHaveLength(1);
    expect(h.citizen).toEqual([]);
  });

  test('an action that is no longer possible is explained ephemerally', async () => {
    const c = await h.openCase();
    await press(c, 'suara:ack');
    h.fake.clear();
    await press(c, 'suara:ack');
    expect(h.fake.of('chat.postEphemeral')[0]?.args.text).toBe(
      `Report ${c.trackingId} is "In progress"; that action is not possible now.`,
    );
  });

  test('a retried request (X-Slack-Retry-Num, same payload) is applied once', async () => {
    const c = await h.openCase();
    const reply = viewSubmission({
      callbackId: 'suara:reply',
      trackingId: c.trackingId,
      channel: PUPR,
      note: 'We are on it.',
    });
    expect((await h.interact(reply)).status).toBe(200);
    expect((await h.interact(reply, { retryNum: 1 })).status).toBe(200);
    const ack = blockAction({ channel: PUPR, trackingId: c.trackingId, actionId: 'suara:ack' });
    expect((await h.interact(ack)).status).toBe(200);
    expect((await h.interact(ack, { retryNum: 1 })).status).toBe(200);
    await h.deliver();
    const types = (await h.service.backend.cases.events(c.trackingId)).map((e) => e.type);
    expect(types).toEqual(['created', 'note', 'start']);
    expect(h.citizen).toHaveLength(2);
    // The second Acknowledge was not even tried: no "not possible now" message.
    expect(h.fake.of('chat.postEphemeral')).toEqual([]);
  });
});

describe('acknowledging Slack at once (production setting)', () => {
  test('without processBeforeResponse the request is answered before the work, which still happens', async () => {
    const quick = await startSlackService({}, { processBeforeResponse: false });
    try {
      const c = await quick.openCase();
      const res = await quick.interact(
        blockAction({ channel: PUPR, trackingId: c.trackingId, actionId: 'suara:ack' }),
      );
      expect(res.status).toBe(200);
      // Bounded wait for the work that follows the ack.
      for (let i = 0; i < 300; i++) {
        if ((await quick.service.backend.cases.get(c.trackingId))?.status === 'in_progress') break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect((await quick.service.backend.cases.get(c.trackingId))?.status).toBe('in_progress');
    } finally {
      await quick.stop();
    }
  });
});

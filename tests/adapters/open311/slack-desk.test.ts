import { open311Channel } from '../../../adapters/open311';
import { ApiKeys } from '../../../src/apikeys/store';
import { OPEN311_CHANNEL } from '../../../src/cases/types';
import { API_KEYS_SCOPE } from '../../../src/cli/api-key';
import { silentLogger } from '../../../src/logger';
import {
  blockAction,
  type Harness,
  PUPR,
  startSlackService,
  viewSubmission,
} from '../slack/harness';
import { open311Client, parseXml, roadForm } from './helpers';

let h: Harness;
let client: ReturnType<typeof open311Client>;
let key: string;
beforeEach(async () => {
  h = await startSlackService({}, {}, silentLogger, [open311Channel]);
  client = open311Client(h.service.url);
  const keys = new ApiKeys(h.service.backend.channelStore.scope(API_KEYS_SCOPE), h.clock);
  ({ key } = await keys.create({ name: 'FixMyStreet', kind: 'open311' }));
});
afterEach(() => h.stop());

async function statusOf(id: string) {
  const res = await client.get(`/requests/${id}.json?locale=en`);
  expect(res.status).toBe(200);
  const [r] = res.json() as { status: string; status_notes: string | null }[];
  return { status: r?.status, status_notes: r?.status_notes };
}

test('a request filed through Open311 reaches its agency queue in Slack; staff work shows in GET requests/{id}', async () => {
  const posted = await client.post(
    '/requests.json',
    roadForm(key, { address_string: 'Jl. Sudirman 5', email: 'warga@example.id' }),
  );
  expect(posted.status).toBe(200);
  const [{ service_request_id: id } = { service_request_id: '' }] = posted.json() as {
    service_request_id: string;
  }[];
  await h.deliver();

  // The case message is on the Public Works desk, with its buttons.
  const [message] = h.fake.of('chat.postMessage').filter((c) => c.args.channel === PUPR);
  expect(JSON.stringify(message?.args.blocks)).toContain(id);
  expect(await h.messageOf(id)).toMatchObject({ channel: PUPR });
  // Its thread says which client filed it and the answers to the service's questions.
  const ref = await h.messageOf(id);
  const thread = h.fake
    .of('chat.postMessage')
    .filter((c) => c.args.channel === PUPR && c.args.thread_ts === ref?.ts);
  expect(thread).toHaveLength(1);
  expect(String(thread[0]?.args.text)).toMatch(/FixMyStreet[\s\S]*\(pothole\)/);
  expect(await statusOf(id)).toEqual({ status: 'open', status_notes: null });

  // Acknowledge: in progress, still open.
  const ack = await h.interact(
    blockAction({ channel: PUPR, trackingId: id, actionId: 'suara:ack' }),
  );
  expect(ack.status).toBe(200);
  await h.deliver();
  expect((await h.service.backend.cases.get(id))?.status).toBe('in_progress');
  expect(await statusOf(id)).toEqual({ status: 'open', status_notes: null });

  // Resolve with a note for the public: closed, and the note is the status_notes.
  await h.interact(blockAction({ channel: PUPR, trackingId: id, actionId: 'suara:resolve' }));
  const done = await h.interact(
    viewSubmission({
      callbackId: 'suara:resolve',
      trackingId: id,
      channel: PUPR,
      note: 'The pothole was patched today.',
    }),
  );
  expect(done.status).toBe(200);
  await h.deliver();
  expect(await statusOf(id)).toEqual({
    status: 'closed',
    status_notes: 'The pothole was patched today.',
  });
  const xml = parseXml((await client.get(`/requests/${id}.xml`)).text) as {
    service_requests: { request: { status: string; status_notes: string }[] };
  };
  expect(xml.service_requests.request[0]).toMatchObject({
    status: 'closed',
    status_notes: 'The pothole was patched today.',
  });

  // Nobody was told on an Open311 channel: the client polls.
  const outbox = await h.service.backend.outbox.list({});
  expect(outbox.filter((m) => m.trackingId === id).length).toBeGreaterThan(0);
  expect(outbox.some((m) => m.channel === OPEN311_CHANNEL)).toBe(false);
  expect(h.citizen).toEqual([]);
});

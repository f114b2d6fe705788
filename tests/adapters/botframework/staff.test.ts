import { blockAction, PUPR, sign } from '../slack/harness';
import { type Harness, startBotFramework } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startBotFramework({ slack: true });
});
afterAll(() => h.close());

/** Posts a signed Slack interaction payload, the way Slack does. */
async function interact(payload: object): Promise<number> {
  const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const ts = Math.floor(Date.now() / 1000);
  const res = await fetch(`${h.service.url}/slack/events`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Slack-Request-Timestamp': String(ts),
      'X-Slack-Signature': sign(body, ts),
    },
    body,
  });
  return res.status;
}

test('a staff action in Slack reaches the Teams user proactively, once', async () => {
  const conv = 'a:staff-1';
  const id = await h.fileComplaint(conv);

  // The case reached the agency's desk in Slack.
  const slack = h.slack;
  if (!slack) throw new Error('no fake Slack');
  await h.connector.waitFor(() =>
    slack.of('chat.postMessage').some((c) => JSON.stringify(c.args).includes(id)),
  );
  const before = h.connector.to(conv).length;

  expect(
    await interact(blockAction({ channel: PUPR, trackingId: id, actionId: 'suara:ack' })),
  ).toBe(200);
  await h.connector.waitFor(() => h.connector.to(conv).length > before);
  // A second look after the outbox had time to run again: still one message.
  await h.service.dispatcher.runOnce();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const told = h.connector.to(conv).slice(before);
  expect(told).toHaveLength(1);
  expect(told[0]?.replyToId).toBeUndefined();
  expect(told[0]?.activity.text).toContain(id);
  expect((await h.service.backend.cases.get(id))?.status).toBe('in_progress');
});

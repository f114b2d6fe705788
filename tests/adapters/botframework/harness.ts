import { createBotFrameworkChannel } from '../../../adapters/botframework';
import type { AuthOverrides } from '../../../adapters/botframework/client';
import { createSlackChannel } from '../../../adapters/slack';
import type { ChannelFactory } from '../../../src/channel';
import { silentLogger } from '../../../src/logger';
import { type RunningService, startService } from '../../../src/service';
import { testConfig } from '../../support/config';
import { manualClock } from '../../support/fixtures';
import { testNlu } from '../../support/nlu';
import { FakeSlack } from '../slack/fake-slack';
import { SIGNING_SECRET } from '../slack/harness';
import { choicesOf, FakeConnector, type PostedActivity } from './fake-connector';

export const BOT = { id: '28:suara-bot', name: 'Suara' };
export const TRACKING_ID = /ADU-[0-9A-Z]{6}/;

export interface HarnessOptions {
  /** An app id: JWTs are required and checked (`auth` says where the keys are). */
  appId?: string;
  auth?: AuthOverrides;
  /** Runs the Slack staff desk too, against a fake Slack Web API. */
  slack?: boolean;
}

export type Harness = Awaited<ReturnType<typeof startBotFramework>>;

/**
 * The real service with the Bot Framework channel (anonymous unless an app id is given) against
 * a fake Bot Connector, optionally with the Slack staff desk; a clock the test moves.
 */
export async function startBotFramework(options: HarnessOptions = {}) {
  const connector = await new FakeConnector().start();
  const slack = options.slack ? await new FakeSlack().start() : undefined;
  const clock = manualClock('2026-11-27T02:00:00.000Z');
  const channels: ChannelFactory[] = [createBotFrameworkChannel({ auth: options.auth ?? {} })];
  if (slack) {
    channels.push((ctx) =>
      createSlackChannel(ctx, {
        processBeforeResponse: true,
        retryConfig: { retries: 0 },
        digestCheckMs: 3_600_000,
      }),
    );
  }
  const service: RunningService = await startService(
    testConfig({
      botframework: {
        appId: options.appId ?? null,
        appPassword: options.appId ? 'test-secret' : null,
        tenantId: null,
        appType: 'MultiTenant',
      },
      ...(slack
        ? {
            slack: {
              botToken: 'xoxb-test-token',
              signingSecret: SIGNING_SECRET,
              apiUrl: `${slack.url}/api/`,
              command: '/suara',
              digestHour: 8,
              language: 'en' as const,
            },
          }
        : {}),
    }),
    {
      logger: silentLogger,
      host: '127.0.0.1',
      nlu: testNlu(),
      clock,
      channels,
      outbox: { sendTimeoutMs: 2000, abortGraceMs: 100, pollIntervalMs: 50 },
    },
  );
  let ids = 0;

  /** A message activity from a user in a personal Teams chat (override anything). */
  const activity = (conversationId: string, fields: Record<string, unknown> = {}) => ({
    type: 'message',
    id: `act-${++ids}`,
    timestamp: clock().toISOString(),
    channelId: 'msteams',
    serviceUrl: connector.url,
    from: { id: `29:${conversationId}`, name: 'Sari', aadObjectId: 'aad-1' },
    recipient: BOT,
    conversation: { id: conversationId, conversationType: 'personal', tenantId: 'tenant-1' },
    locale: 'id-ID',
    ...fields,
  });

  /** POSTs an activity to /api/messages (with `Authorization: Bearer <token>` when given). */
  const post = (body: unknown, token?: string) =>
    fetch(`${service.url}/api/messages`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });

  /** Posts an activity and waits until the conversation got an activity `until` accepts. */
  const deliver = async (
    body: ReturnType<typeof activity>,
    until: (p: PostedActivity) => boolean,
  ): Promise<PostedActivity[]> => {
    const conversationId = body.conversation.id;
    const before = connector.to(conversationId).length;
    const res = await post(body);
    if (res.status !== 200)
      throw new Error(`/api/messages answered ${res.status}: ${await res.text()}`);
    await connector.waitFor(() => connector.to(conversationId).slice(before).some(until));
    return connector.to(conversationId).slice(before);
  };

  /** The user writes `text` in their personal chat. */
  const say = (conversationId: string, text: string, until: (p: PostedActivity) => boolean) =>
    deliver(activity(conversationId, { text }), until);

  /** The user presses a card button (messageBack: its label as text, its action as value). */
  const press = (conversationId: string, action: string, until: (p: PostedActivity) => boolean) =>
    deliver(activity(conversationId, { text: 'label', value: { action } }), until);

  /** Files a complaint in Indonesian in a personal chat, pressing the buttons shown; its id. */
  const fileComplaint = async (conversationId: string): Promise<string> => {
    const conv = conversationId;
    await say(conv, 'jalan depan rumah saya berlubang besar sudah 2 bulan', offers('yes'));
    await press(conv, 'yes', says(/lokasi/i));
    await say(conv, 'Jl. Melati No. 5, RT 02/RW 03, Kelurahan Sukamaju', offers('skip'));
    await press(conv, 'skip', offers('identity:anonymous'));
    await press(conv, 'identity:anonymous', offers('skip'));
    await press(conv, 'skip', offers('confirm'));
    const got = await press(conv, 'confirm', says(TRACKING_ID));
    const id = got.map((p) => TRACKING_ID.exec(p.activity.text ?? '')?.[0]).find(Boolean);
    if (!id) throw new Error('no tracking id in the replies');
    return id;
  };

  return {
    service,
    connector,
    slack,
    clock,
    activity,
    post,
    deliver,
    say,
    press,
    fileComplaint,
    async close() {
      await service.stop();
      await connector.close();
      await slack?.stop();
    },
  };
}

/** A predicate: the posted activity offers this choice. */
export const offers = (value: string) => (p: PostedActivity) => choicesOf(p).includes(value);
/** A predicate: the posted activity's text matches. */
export const says = (pattern: RegExp) => (p: PostedActivity) => pattern.test(p.activity.text ?? '');

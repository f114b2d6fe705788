import { createHmac } from 'node:crypto';
import {
  createSlackChannel,
  type SlackChannel,
  type SlackChannelOptions,
} from '../../../adapters/slack';
import { CaseMessages } from '../../../adapters/slack/case-messages';
import type { NewCaseInput } from '../../../src/cases/new-case';
import type { Case } from '../../../src/cases/types';
import type { ChannelContext, ChannelFactory } from '../../../src/channel';
import type { SlackConfig } from '../../../src/config/env';
import { type Logger, silentLogger } from '../../../src/logger';
import type { OutboxMessage } from '../../../src/outbox/port';
import { type RunningService, startService } from '../../../src/service';
import { testConfig } from '../../support/config';
import { manualClock } from '../../support/fixtures';
import { testNlu } from '../../support/nlu';
import { FakeSlack } from './fake-slack';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
/** The citizen channel of these tests; its recording sender gets the citizen notifications. */
export const CITIZEN_CHANNEL = 'citizen-test';
export const PUPR = 'C0PUPR';
export const DISHUB = 'C0DISHUB';
export const DLH = 'C0DLH';
export const TRIAGE = 'C0TRIAGE';

/** Friday 27 Nov 2026, 09:00 in Jakarta: a working day. */
export const START = '2026-11-27T02:00:00.000Z';

export type Harness = Awaited<ReturnType<typeof startSlackService>>;

/**
 * The real service with the Slack channel against a fake Slack Web API, a recording citizen
 * channel, and a clock the test moves. Slack's signature check uses the real time. The log is
 * silent unless a logger is given. `extraChannels` run besides them (e.g. Open311).
 */
export async function startSlackService(
  slack: Partial<SlackConfig> = {},
  options: SlackChannelOptions = {},
  logger: Logger = silentLogger,
  extraChannels: ChannelFactory[] = [],
  serviceConfig: { publicUrl?: string } = {},
) {
  const fake = await new FakeSlack().start();
  const clock = manualClock(START);
  const citizen: OutboxMessage[] = [];
  const citizenChannel: ChannelFactory = () => ({
    name: CITIZEN_CHANNEL,
    senders: {
      [CITIZEN_CHANNEL]: {
        async send(m) {
          citizen.push(m);
          return { status: 'sent' };
        },
      },
    },
  });
  let context: ChannelContext | undefined;
  let channel: SlackChannel | null = null;
  const slackOptions: SlackChannelOptions = {
    processBeforeResponse: true,
    retryConfig: { retries: 0 },
    digestCheckMs: 3_600_000,
    ...options,
  };
  const config = testConfig({
    ...serviceConfig,
    slack: {
      botToken: 'xoxb-test-token',
      signingSecret: SIGNING_SECRET,
      apiUrl: `${fake.url}/api/`,
      command: '/suara',
      digestHour: 8,
      language: 'en',
      ...slack,
    },
  });
  const service: RunningService = await startService(config, {
    logger,
    host: '127.0.0.1',
    nlu: testNlu(),
    clock,
    channels: [
      (ctx) => {
        context = ctx;
        channel = createSlackChannel(ctx, slackOptions);
        return channel;
      },
      citizenChannel,
      ...extraChannels,
    ],
  });
  if (!channel || !context) throw new Error('the Slack channel did not start');
  const ctx: ChannelContext = context;
  const slackChannel: SlackChannel = channel;

  /** Delivers every due outbox message (bounded; waits for a round the service runs itself). */
  async function deliver(): Promise<void> {
    for (let round = 0; round < 200; round++) {
      await service.dispatcher.runOnce();
      const pending = await service.backend.outbox.list({ status: 'pending' });
      const due = pending.filter((m) => new Date(m.nextAttemptAt) <= clock());
      const sending = await service.backend.outbox.list({ status: 'sending' });
      if (due.length === 0 && sending.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the outbox did not drain');
  }

  /** Opens a case through the core, as a citizen of the test channel, and delivers the outbox. */
  async function openCase(input: Partial<NewCaseInput> = {}): Promise<Case> {
    const { case: c } = await service.cases.open(
      {
        kind: 'complaint',
        text: 'The road in front of my house has a big pothole, motorbikes fall every day',
        language: 'en',
        category: 'roads_drainage',
        reporter: {
          channel: CITIZEN_CHANNEL,
          channelUserId: 'c1',
          conversationId: 'c1',
          name: 'Siti Aminah',
          phone: '081234567890',
        },
        identity: 'named',
        ...input,
      },
      { type: 'citizen', id: 'c1' },
    );
    await deliver();
    return c;
  }

  /** Sends a signed request to /slack/events. */
  async function post(
    body: string,
    contentType: string,
    headers: { ts?: number; signature?: string; retryNum?: number } = {},
  ): Promise<{ status: number; body: string }> {
    const ts = headers.ts ?? Math.floor(Date.now() / 1000);
    const res = await fetch(`${service.url}/slack/events`, {
      method: 'POST',
      headers: {
        'Content-Type': contentType,
        'X-Slack-Request-Timestamp': String(ts),
        'X-Slack-Signature': headers.signature ?? sign(body, ts),
        ...(headers.retryNum !== undefined
          ? { 'X-Slack-Retry-Num': String(headers.retryNum), 'X-Slack-Retry-Reason': 'timeout' }
          : {}),
      },
      body,
    });
    return { status: res.status, body: await res.text() };
  }

  /** Posts an interactivity payload (buttons, modals) the way Slack does. */
  function interact(payload: object, headers: Parameters<typeof post>[2] = {}) {
    return post(
      `payload=${encodeURIComponent(JSON.stringify(payload))}`,
      'application/x-www-form-urlencoded',
      headers,
    );
  }

  /** Runs the slash command in a channel. */
  function command(channelId: string, text: string, user = 'U0STAFF') {
    const form = new URLSearchParams({
      token: 'x',
      team_id: 'T1',
      channel_id: channelId,
      user_id: user,
      command: '/suara',
      text,
      response_url: 'https://hooks.slack.invalid/commands/1',
      trigger_id: `t.${Math.random()}`,
      api_app_id: 'A1',
    });
    return post(form.toString(), 'application/x-www-form-urlencoded');
  }

  const messages = new CaseMessages(service.backend.channelStore.scope('slack'));
  return {
    service,
    fake,
    clock,
    citizen,
    /** Where the Slack message of a case is (null before it was posted). */
    messageOf: (trackingId: string) => messages.get(trackingId),
    ctx,
    slack: slackChannel,
    slackOptions,
    deliver,
    openCase,
    post,
    interact,
    command,
    async stop() {
      await service.stop();
      await fake.stop();
    },
  };
}

/** Slack's v0 request signature. */
export function sign(body: string, ts: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
}

let triggers = 0;

/** A block_actions payload: a button (or the route select) pressed on a case message. */
export function blockAction(options: {
  channel: string;
  trackingId: string;
  actionId: string;
  user?: string;
  selected?: string;
  triggerId?: string;
}) {
  const user = options.user ?? 'U0STAFF';
  const action = options.selected
    ? {
        type: 'static_select',
        selected_option: { text: { type: 'plain_text', text: 'x' }, value: options.selected },
      }
    : { type: 'button', value: options.trackingId };
  return {
    type: 'block_actions',
    team: { id: 'T1', domain: 'kota' },
    user: { id: user, username: 'petugas', team_id: 'T1' },
    api_app_id: 'A1',
    token: 'x',
    trigger_id: options.triggerId ?? `trigger.${++triggers}`,
    container: { type: 'message', message_ts: '1700000000.000001', channel_id: options.channel },
    channel: { id: options.channel, name: 'desk' },
    response_url: 'https://hooks.slack.invalid/actions/1',
    actions: [
      {
        ...action,
        action_id: options.actionId,
        block_id: `suara:case:${options.trackingId}`,
        action_ts: `1700000000.${++triggers}`,
      },
    ],
  };
}

/** A view_submission payload for a Suara modal. */
export function viewSubmission(options: {
  callbackId: string;
  trackingId: string;
  channel: string;
  note?: string;
  agency?: string;
  user?: string;
  triggerId?: string;
}) {
  const values: Record<string, Record<string, unknown>> = {
    note: { value: { type: 'plain_text_input', value: options.note ?? null } },
  };
  if (options.agency !== undefined)
    values.agency = {
      value: {
        type: 'static_select',
        selected_option: { text: { type: 'plain_text', text: 'x' }, value: options.agency },
      },
    };
  return {
    type: 'view_submission',
    team: { id: 'T1', domain: 'kota' },
    user: { id: options.user ?? 'U0STAFF', username: 'petugas', team_id: 'T1' },
    api_app_id: 'A1',
    token: 'x',
    trigger_id: options.triggerId ?? `trigger.${++triggers}`,
    view: {
      id: `V${++triggers}`,
      team_id: 'T1',
      type: 'modal',
      callback_id: options.callbackId,
      private_metadata: JSON.stringify({ id: options.trackingId, channel: options.channel }),
      hash: `h${triggers}`,
      state: { values },
    },
    response_urls: [],
  };
}

/** Every action id in a Block Kit message. */
export function actionIds(blocks: unknown): string[] {
  if (!Array.isArray(blocks)) return [];
  return blocks
    .filter(
      (b): b is { type: 'actions'; elements: { action_id: string }[] } => b?.type === 'actions',
    )
    .flatMap((b) => b.elements.map((e) => e.action_id));
}

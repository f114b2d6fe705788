import { App, ExpressReceiver } from '@slack/bolt';
import type { Channel, ChannelContext, ChannelFactory } from '../../src/channel';
import { ConfigFileError } from '../../src/config/files';
import { STAFF_CHANNEL } from '../../src/core/notify';
import { limitBody } from '../../src/http/body-limit';
import { keyValueJobLease, type PeriodicJob, startPeriodic } from '../../src/jobs';
import { registerActions } from './actions';
import { CaseMessages } from './case-messages';
import { registerCitizens } from './citizen';
import { CITIZEN_CHANNEL } from './citizen-inbound';
import { slackCitizenSender } from './citizen-sender';
import { registerCommand } from './commands';
import { registerIntake } from './counter-intake';
import { badSlackDesks, createDesk } from './desk';
import { digestDate, enqueueDigests } from './digest';
import { SLACK_MAX_BODY_BYTES, slackRequestGate } from './request-gate';
import { staffSender } from './sender';
import { boltLogger, createWebClient, errorFields, type RetryConfig } from './web';

/** Where Slack sends events, interactivity (buttons, modals) and slash commands. */
export const SLACK_PATH = '/slack/events';

/** Settings of the Slack channel that are not environment variables (tests, tuning). */
export interface SlackChannelOptions {
  /**
   * Answer Slack's HTTP request only after the handler finished (default false: `ack()` answers
   * at once and the work goes on). Tests turn it on so a response means the work is done.
   */
  processBeforeResponse?: boolean;
  /**
   * The Web API client's own retries (default none: the outbox retries a failed send with
   * backoff and Retry-After, and a retried chat.postMessage after a timeout could post twice).
   */
  retryConfig?: RetryConfig;
  /**
   * Time limit of one Web API call (default 4 s), so the few calls of one send stay inside the
   * outbox's 15 s limit; a slower Slack is retried by the outbox later instead of the send being
   * cut off mid-call.
   */
  requestTimeoutMs?: number;
  /** How often to check whether the daily deadline digest is due (default 5 minutes). */
  digestCheckMs?: number;
  /**
   * The wall clock (ms) Slack's request timestamps are checked against (default the real time,
   * as Bolt's own signature check uses; not the service clock, which tests move).
   */
  wallClockMs?: () => number;
}

/** The Slack channel, with the digest check callable on demand (tests, operations). */
export interface SlackChannel extends Channel {
  /**
   * Enqueues today's digests if due and not done by this process yet; returns how many agencies
   * had one (the outbox drops one already enqueued, e.g. before a restart).
   */
  checkDigest(): Promise<number>;
}

const DEFAULT_RETRY: RetryConfig = { retries: 0 };
const DEFAULT_TIMEOUT_MS = 4_000;

/**
 * The Slack staff workflow (@slack/bolt). On when `SLACK_BOT_TOKEN` is set: a Bolt app whose
 * ExpressReceiver is mounted on the main app at `/slack/events` (signatures always verified:
 * missing, bad or stale → 401; bodies over 256 KB → 413, before they are read), the `staff`
 * outbox sender (case messages, thread history, digests), the buttons and modals of case
 * messages, the slash command, and the daily deadline digest.
 *
 * @example
 * await startService(config, { logger, channels: [slackChannel()] });
 */
export function slackChannel(options: SlackChannelOptions = {}): ChannelFactory {
  return (ctx) => createSlackChannel(ctx, options);
}

/** Builds the Slack channel from the context, or null when Slack is not configured. */
export function createSlackChannel(
  ctx: ChannelContext,
  options: SlackChannelOptions = {},
): SlackChannel | null {
  const config = ctx.config.slack;
  if (!config) return null;
  const badDesks = badSlackDesks(ctx.domain.directory);
  if (badDesks.length > 0) throw new ConfigFileError(badDesks);
  const web = createWebClient({
    token: config.botToken,
    apiUrl: config.apiUrl,
    logger: ctx.logger,
    retryConfig: options.retryConfig ?? DEFAULT_RETRY,
    timeoutMs: options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  const desk = createDesk(ctx, config.language);
  const data = ctx.backend.channelStore.scope('slack');
  const deps = { ctx, web, desk, data, messages: new CaseMessages(data) };
  const bolt = createBoltApp(ctx, config, options);
  registerActions(bolt.app, deps);
  registerCommand(bolt.app, deps, config.command);
  registerCitizens(bolt.app, { ...deps, identity: bolt.identity });
  registerIntake(bolt.app, deps);
  const digest = digestSchedule(ctx, desk, config.digestHour, options.digestCheckMs);

  return {
    name: 'slack',
    mount(main) {
      // Before any byte of the body is read: headers that cannot be Slack's are refused (401),
      // and the body is capped (413). Then the receiver reads the raw body itself to check the
      // signature: no body parser before it.
      main.post(
        SLACK_PATH,
        slackRequestGate(options.wallClockMs ?? (() => Date.now())),
        limitBody(SLACK_MAX_BODY_BYTES),
      );
      main.use(bolt.receiver.router);
    },
    senders: {
      [STAFF_CHANNEL]: staffSender(deps),
      [CITIZEN_CHANNEL]: slackCitizenSender({ web }),
    },
    async start() {
      await connect(ctx, web, bolt.identity);
      digest.start();
    },
    async stop() {
      await digest.stop();
    },
    checkDigest: digest.check,
  };
}

type SlackConfig = NonNullable<ChannelContext['config']['slack']>;

/**
 * The Bolt app on an ExpressReceiver at {@link SLACK_PATH}, and the bot identity it uses to
 * ignore its own events (filled in by {@link connect}).
 */
function createBoltApp(ctx: ChannelContext, config: SlackConfig, options: SlackChannelOptions) {
  const logger = boltLogger(ctx.logger);
  const receiver = new ExpressReceiver({
    signingSecret: config.signingSecret,
    endpoints: SLACK_PATH,
    processBeforeResponse: options.processBeforeResponse ?? false,
    logger,
    // limitBody answers first; this only keeps Bolt's own reader (default 4 MB) at the same cap.
    bodyLimit: SLACK_MAX_BODY_BYTES,
  });
  const identity: { botId?: string; botUserId?: string } = {};
  const app = new App({
    receiver,
    logger,
    convoStore: false,
    // No auth.test at construction: the token is checked in start().
    authorize: async () => ({ botToken: config.botToken, ...identity }),
    clientOptions: {
      slackApiUrl: config.apiUrl,
      retryConfig: options.retryConfig ?? DEFAULT_RETRY,
      timeout: options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    },
  });
  app.error(async (err) => {
    ctx.logger.error({ ...errorFields(err) }, 'Slack request failed');
  });
  return { app, receiver, identity };
}

/** Checks the token (auth.test) and learns the bot's ids; a failure is logged, not fatal. */
async function connect(
  ctx: ChannelContext,
  web: ReturnType<typeof createWebClient>,
  identity: { botId?: string; botUserId?: string },
): Promise<void> {
  try {
    const auth = await web.auth.test();
    if (auth.bot_id) identity.botId = auth.bot_id;
    if (auth.user_id) identity.botUserId = auth.user_id;
    ctx.logger.info({ team: auth.team, bot: auth.user }, 'Slack workspace connected');
  } catch (err) {
    // Citizens' channels keep working; staff messages wait in the outbox.
    ctx.logger.error({ ...errorFields(err) }, 'Slack auth.test failed: check SLACK_BOT_TOKEN');
  }
}

/** The daily deadline digest: checked periodically, enqueued once per working day. */
function digestSchedule(
  ctx: ChannelContext,
  desk: ReturnType<typeof createDesk>,
  digestHour: number,
  checkMs = 5 * 60_000,
) {
  let job: PeriodicJob | undefined;
  let done: string | null = null;
  const check = async () => {
    const date = digestDate(ctx.domain.planner.calendar, digestHour, ctx.clock());
    if (!date || date === done) return 0;
    const n = await enqueueDigests(ctx, desk, digestHour);
    done = date;
    if (n > 0) ctx.dispatcher.wake();
    return n;
  };
  return {
    check,
    start() {
      // Several instances on one database: one checks each period (the digests' outbox keys
      // already make each day's digest one message).
      const lease = keyValueJobLease(
        ctx.backend.channelStore.scope('jobs'),
        ctx.clock,
        ctx.config.instanceId,
      );
      job = startPeriodic('slack-digest', checkMs, check, ctx.logger, { lease, clock: ctx.clock });
    },
    async stop() {
      await job?.stop();
    },
  };
}

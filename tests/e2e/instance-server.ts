/**
 * One Suara instance (Telegram webhook, web chat, and the Slack staff desk when a fake Slack URL
 * is given) on a shared PostgreSQL schema, run as a child process by instances.test.ts.
 * Arguments: PostgreSQL URL, schema, fake Bot API URL, instance id, speed, [fake Slack URL].
 * Prints its URL on stdout once it listens.
 */
import { slackChannel } from '../../adapters/slack';
import { createTelegramChannel } from '../../adapters/telegram';
import { webchatChannel } from '../../adapters/webchat';
import { silentLogger } from '../../src/logger';
import { startService } from '../../src/service';
import { SIGNING_SECRET } from '../adapters/slack/harness';
import { SECRET, TOKEN } from '../adapters/telegram/harness';
import { testConfig } from '../support/config';
import { testNlu } from '../support/nlu';

export const DIRECT_LINE_SECRET = 'instances-directline-secret-0123456789';

async function main(): Promise<void> {
  const [url, schema, apiRoot, instanceId, speed, slackUrl] = process.argv.slice(2);
  // `fast`: short leases, for a test that kills an instance and waits for the others to take
  // over (45 s and 5 min in production).
  const fast = speed === 'fast';
  if (!url || !schema || !apiRoot || !instanceId) {
    throw new Error(
      'usage: instance-server.ts <postgres url> <schema> <fake Bot API url> <instance id> [fast]',
    );
  }
  const base = testConfig();
  const service = await startService(
    testConfig({
      database: { kind: 'postgres', url, poolMax: 5, schema },
      telegram: { token: TOKEN, mode: 'webhook', webhookSecret: SECRET, webhookUrl: null, apiRoot },
      webchat: { ...base.webchat, directLineSecret: DIRECT_LINE_SECRET },
      slack: slackUrl
        ? {
            botToken: 'xoxb-test-token',
            signingSecret: SIGNING_SECRET,
            apiUrl: `${slackUrl}/api/`,
            command: '/suara',
            digestHour: 8,
            language: 'en',
          }
        : null,
      instanceId,
    }),
    {
      logger: silentLogger,
      host: '127.0.0.1',
      nlu: testNlu(),
      channels: [
        createTelegramChannel(fast ? { workLeaseMs: 4_000, sweepMs: 500 } : {}),
        webchatChannel,
        slackChannel({ retryConfig: { retries: 0 } }),
      ],
      // Otherwise leases end 10.5 s after a send starts: on a busy test machine a shorter one
      // may run out while a send is still in flight, and the message is sent again (an
      // uncertain retry, as it should be — but not what the first test counts).
      outbox: {
        sendTimeoutMs: fast ? 3_000 : 10_000,
        abortGraceMs: 200,
        leaseMarginMs: 300,
        pollIntervalMs: 200,
      },
    },
  );
  process.stdout.write(`${service.url}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${String((err as Error).stack ?? err)}\n`);
    process.exit(1);
  });
}

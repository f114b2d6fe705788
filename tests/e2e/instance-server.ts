/**
 * One Suara instance (Telegram webhook and web chat) on a shared PostgreSQL schema, run as a
 * child process by instances.test.ts. Arguments: PostgreSQL URL, schema, fake Bot API URL,
 * instance id. Prints its URL on stdout once it listens.
 */
import { telegramChannel } from '../../adapters/telegram';
import { webchatChannel } from '../../adapters/webchat';
import { silentLogger } from '../../src/logger';
import { startService } from '../../src/service';
import { SECRET, TOKEN } from '../adapters/telegram/harness';
import { testConfig } from '../support/config';
import { testNlu } from '../support/nlu';

export const DIRECT_LINE_SECRET = 'instances-directline-secret-0123456789';

async function main(): Promise<void> {
  const [url, schema, apiRoot, instanceId] = process.argv.slice(2);
  if (!url || !schema || !apiRoot || !instanceId) {
    throw new Error(
      'usage: instance-server.ts <postgres url> <schema> <fake Bot API url> <instance id>',
    );
  }
  const base = testConfig();
  const service = await startService(
    testConfig({
      database: { kind: 'postgres', url, poolMax: 5, schema },
      telegram: { token: TOKEN, mode: 'webhook', webhookSecret: SECRET, webhookUrl: null, apiRoot },
      webchat: { ...base.webchat, directLineSecret: DIRECT_LINE_SECRET },
      instanceId,
    }),
    {
      logger: silentLogger,
      host: '127.0.0.1',
      nlu: testNlu(),
      channels: [telegramChannel, webchatChannel],
      // Leases end 10.5 s after a send starts (45 s in production): on a busy test machine a
      // shorter one may run out while a send is still in flight, and the message is sent again
      // (an uncertain retry, as it should be — but not what this test counts).
      outbox: { sendTimeoutMs: 10_000, abortGraceMs: 200, leaseMarginMs: 300, pollIntervalMs: 200 },
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

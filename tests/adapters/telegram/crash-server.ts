/**
 * A Suara service with the Telegram channel (webhook) on a database file, run as a child process
 * by crash.test.ts, which kills it with SIGKILL mid-burst. Arguments: database path, fake Bot API
 * URL. Prints its URL on stdout once it listens.
 */
import { telegramChannel } from '../../../adapters/telegram';
import { silentLogger } from '../../../src/logger';
import { startService } from '../../../src/service';
import { testConfig } from '../../support/config';
import { testNlu } from '../../support/nlu';
import { SECRET, TOKEN } from './harness';

async function main(): Promise<void> {
  const [path, apiRoot] = process.argv.slice(2);
  if (!path || !apiRoot) throw new Error('usage: crash-server.ts <db path> <fake Bot API url>');
  const service = await startService(
    testConfig({
      database: { kind: 'sqlite', path },
      telegram: { token: TOKEN, mode: 'webhook', webhookSecret: SECRET, webhookUrl: null, apiRoot },
    }),
    {
      logger: silentLogger,
      host: '127.0.0.1',
      nlu: testNlu(),
      channels: [telegramChannel],
      // Leases end 1.5 s after a send starts (45 s in production), so the test need not wait.
      outbox: { sendTimeoutMs: 1_000, abortGraceMs: 200, leaseMarginMs: 300 },
    },
  );
  process.stdout.write(`${service.url}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});

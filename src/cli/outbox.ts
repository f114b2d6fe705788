import { parseArgs } from 'node:util';
import { isCodedError } from '../errors';
import { openStore } from '../store/open';
import type { OutboxStatus } from '../store/port';
import { config } from './common';
import { type Command, EXIT_CONFIG, EXIT_USAGE } from './io';

const STATUSES: readonly OutboxStatus[] = ['pending', 'sending', 'sent', 'dead', 'undeliverable'];

/** `suara outbox`: inspect queued, dead-lettered and undeliverable notifications. */
export const outboxCommand: Command = {
  summary: 'list outbox messages (e.g. dead letters) as JSON lines',
  usage:
    'suara outbox [--status pending|sending|sent|dead|undeliverable] [--channel NAME] [--limit N]',
  async run(args, io) {
    let values: { status?: string; channel?: string; limit?: string };
    try {
      ({ values } = parseArgs({
        args,
        options: {
          status: { type: 'string' },
          channel: { type: 'string' },
          limit: { type: 'string' },
        },
        strict: true,
      }));
    } catch (err) {
      io.stderr(`suara outbox: ${(err as Error).message}\nusage: ${this.usage}\n`);
      return EXIT_USAGE;
    }
    const status = values.status as OutboxStatus | undefined;
    if (status !== undefined && !STATUSES.includes(status)) {
      io.stderr(`suara outbox: --status must be one of ${STATUSES.join(', ')}\n`);
      return EXIT_USAGE;
    }
    const limit = values.limit === undefined ? 100 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      io.stderr('suara outbox: --limit must be an integer from 1 to 1000\n');
      return EXIT_USAGE;
    }
    const cfg = config(io);
    let store: ReturnType<typeof openStore>;
    try {
      store = openStore(cfg.database, () => new Date());
    } catch (err) {
      if (!isCodedError(err)) throw err;
      io.stderr(`suara: ${err.message}\n`);
      return EXIT_CONFIG;
    }
    try {
      const messages = await store.listOutbox({
        ...(status ? { status } : {}),
        ...(values.channel ? { channel: values.channel } : {}),
        limit,
      });
      for (const m of messages) io.stdout(`${JSON.stringify(m)}\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};

import { parseArgs } from 'node:util';
import type { OutboxStatus } from '../outbox/port';
import { withBackend } from './common';
import { type Command, EXIT_USAGE } from './io';

const STATUSES: readonly OutboxStatus[] = ['pending', 'sending', 'sent', 'dead', 'undeliverable'];

const LIST_USAGE =
  'suara outbox [--status pending|sending|sent|dead|undeliverable] [--channel NAME] [--limit N]';
const RETRY_USAGE = 'suara outbox retry (ID… | --dead | --undeliverable)';

/**
 * `suara outbox`: inspect queued, dead-lettered and undeliverable messages;
 * `suara outbox retry`: queue dead or undeliverable ones again (a running service sends them).
 */
export const outboxCommand: Command = {
  summary: 'list outbox messages (e.g. dead letters) as JSON lines; `retry` resends them',
  usage: `${LIST_USAGE}\n       ${RETRY_USAGE}`,
  async run(args, io) {
    if (args[0] === 'retry') return retry(args.slice(1), io);
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
    return withBackend(io, async (backend) => {
      const messages = await backend.outbox.list({
        ...(status ? { status } : {}),
        ...(values.channel ? { channel: values.channel } : {}),
        limit,
      });
      for (const m of messages) io.stdout(`${JSON.stringify(m)}\n`);
      return 0;
    });
  },
};

/** Queues dead or undeliverable messages again, with a fresh time budget. */
async function retry(args: string[], io: Parameters<Command['run']>[1]): Promise<number> {
  let parsed: { values: { dead?: boolean; undeliverable?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args,
      options: { dead: { type: 'boolean' }, undeliverable: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    io.stderr(`suara outbox retry: ${(err as Error).message}\nusage: ${RETRY_USAGE}\n`);
    return EXIT_USAGE;
  }
  const { values, positionals: ids } = parsed;
  const picks = [ids.length > 0, values.dead === true, values.undeliverable === true];
  if (picks.filter(Boolean).length !== 1) {
    io.stderr(
      `suara outbox retry: give message ids, or --dead, or --undeliverable (one of them)\nusage: ${RETRY_USAGE}\n`,
    );
    return EXIT_USAGE;
  }
  const bad = ids.find((id) => !/^[0-9a-f-]{36}$/i.test(id));
  if (bad !== undefined) {
    io.stderr(`suara outbox retry: ${JSON.stringify(bad)} is not an outbox message id\n`);
    return EXIT_USAGE;
  }
  return withBackend(io, async (backend) => {
    const filter =
      ids.length > 0
        ? { ids }
        : { status: values.dead ? ('dead' as const) : ('undeliverable' as const) };
    const queued = await backend.outbox.retry(filter, new Date());
    io.stdout(`${JSON.stringify({ queued })}\n`);
    if (ids.length > 0 && queued < ids.length) {
      io.stderr(
        `suara outbox retry: ${ids.length - queued} of the ids are unknown or not dead/undeliverable\n`,
      );
      return 1;
    }
    return 0;
  });
}

// Child process for the crash-safety test: commits cases in a loop and prints each tracking id
// after its commit returned. The parent kills it with SIGKILL in the middle of this.
import { writeSync } from 'node:fs';
import { SqliteBackend } from '../../src/store/sqlite/backend';
import { createdEvent, makeCase } from '../support/fixtures';

async function run(path: string): Promise<void> {
  const backend = SqliteBackend.open({ path });
  for (let i = 0; i < 100_000; i++) {
    const body = i.toString(32).toUpperCase().padStart(6, '0');
    const c = makeCase({
      trackingId: `ADU-${body}`,
      text: `laporan ke-${i} ${'x'.repeat(i % 500)}`,
    });
    await backend.commit({
      cases: [{ case: c, expectedVersion: null }],
      events: [createdEvent(c)],
      outbox: [
        {
          idempotencyKey: `created:${c.trackingId}`,
          channel: 'slack',
          recipient: 'C0PUPR',
          payload: { i },
        },
      ],
    });
    writeSync(1, `${c.trackingId}\n`);
  }
}

void run(process.argv[2] as string);

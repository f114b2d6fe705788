import type { Backend } from '../../src/store/backend';
import { runCaseQueriesContract } from './contracts/case-queries';
import { runCaseRepositoryContract } from './contracts/case-repository';
import { runChannelStoreContract } from './contracts/channel-store';
import { runLedgerContract } from './contracts/ledger';
import { runOutboxContract } from './contracts/outbox';
import { runPubSubContract } from './contracts/pubsub';
import { runRateLimitContract } from './contracts/rate-limit';

/**
 * Every storage port's contract suite, for one backend. A new backend (PostgreSQL, MongoDB) runs
 * this one call.
 *
 * @example
 * runBackendContracts('sqlite', async (clock) => SqliteBackend.open({ path: ':memory:', clock }));
 */
export function runBackendContracts(
  name: string,
  factory: (clock?: () => Date) => Promise<Backend>,
): void {
  runCaseRepositoryContract(name, () => factory());
  runCaseQueriesContract(name, () => factory());
  runLedgerContract(name, () => factory());
  runOutboxContract(name, () => factory());
  runChannelStoreContract(name, (clock) => factory(clock));
  // The bus and the limits of a backend: each test's backend is closed when the file is done.
  const opened: Backend[] = [];
  const open = async (clock?: () => Date) => {
    const backend = await factory(clock);
    opened.push(backend);
    return backend;
  };
  afterAll(async () => {
    for (const backend of opened.splice(0)) await backend.close();
  });
  runPubSubContract(name, async () => (await open()).pubsub);
  runRateLimitContract(name, async (time) => (await open(() => time.now)).rateLimits);
}

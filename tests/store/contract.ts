import type { Backend } from '../../src/store/backend';
import { runCaseQueriesContract } from './contracts/case-queries';
import { runCaseRepositoryContract } from './contracts/case-repository';
import { runChannelStoreContract } from './contracts/channel-store';
import { runLedgerContract } from './contracts/ledger';
import { runOutboxContract } from './contracts/outbox';

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
}

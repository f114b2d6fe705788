import type { Backend } from './backend';

/**
 * Whether the store can write, from the writes themselves. A full disk does not always show in a
 * tiny test write (SQLite may reuse room it already has in its write-ahead log while a new case
 * needs pages the disk cannot give), so every store call that fails with a storage error is
 * remembered, and the store counts as unable to write until a write succeeds again a while later.
 */

/** Error codes that mean the storage cannot take writes (SQLite's, and the system's errno names). */
const STORAGE_CODES =
  /^(SQLITE_(FULL|IOERR|READONLY|CANTOPEN)(_[A-Z_]+)?|ENOSPC|EDQUOT|EROFS|EIO)$/;

/** The methods of each port that write: their success shows the store can write again. */
const WRITES = {
  backend: ['ping', 'commit'],
  ledger: ['record', 'recordWork', 'finish', 'claimUnfinished', 'purge'],
  outbox: ['enqueue', 'claim', 'settle', 'retry', 'markUndeliverable'],
  keyValue: ['put', 'putIfAbsent', 'delete'],
  channelStore: ['purgeExpired'],
} as const;

/**
 * True when `err` says the storage cannot take writes (disk full, read-only, I/O error).
 *
 * @example
 * isStorageError(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })) // true
 */
export function isStorageError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STORAGE_CODES.test(code);
}

/** The last write the storage refused. */
export interface WriteFailure {
  code: string;
  at: Date;
}

/**
 * The store's ability to write, as its writes found it. After a failure it stays unable until a
 * write succeeds at least `holdMs` after the last failure: a lucky small write right after a
 * failed big one does not make the service ready while the disk is still full.
 */
export class WriteHealth {
  private last: WriteFailure | null = null;

  constructor(
    private readonly clock: () => Date,
    /** How long after the last failure a successful write is needed to count as writable. */
    readonly holdMs = 10_000,
  ) {}

  /** Records a failed call; only storage errors count. */
  failed(err: unknown): void {
    if (!isStorageError(err)) return;
    this.last = { code: String((err as { code: string }).code), at: this.clock() };
  }

  /** Records a successful write. */
  succeeded(): void {
    if (this.last && this.clock().getTime() - this.last.at.getTime() >= this.holdMs) {
      this.last = null;
    }
  }

  /** The failure that makes the store unable to write now, or null when it can write. */
  failure(): WriteFailure | null {
    return this.last;
  }
}

/**
 * The same object, with every method call's outcome reported to `health`: a rejection (or throw)
 * with a storage error marks it failing, a successful call of one of `writes` clears it (see
 * {@link WriteHealth}). Fields and the methods' results are unchanged.
 *
 * @example
 * const chats = watchWrites(openWebChatStore(engine, clock), health, ['append', 'putUpload']);
 */
export function watchWrites<T extends object>(
  port: T,
  health: WriteHealth,
  writes: readonly string[],
): T {
  const writing = new Set<PropertyKey>(writes);
  return new Proxy(port, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => {
        let result: unknown;
        try {
          result = method.apply(target, args);
        } catch (err) {
          health.failed(err);
          throw err;
        }
        if (!(result instanceof Promise)) return result;
        return result.then(
          (v: unknown) => {
            if (writing.has(prop)) health.succeeded();
            return v;
          },
          (err: unknown) => {
            health.failed(err);
            throw err;
          },
        );
      };
    },
  });
}

/** Every port of a backend watched by one {@link WriteHealth}: readiness sees any port's failure. */
export function watchBackend(backend: Backend, health: WriteHealth): Backend {
  const store = backend.channelStore;
  const top = watchWrites(backend, health, WRITES.backend);
  const purging = watchWrites(store, health, WRITES.channelStore);
  return {
    commit: (changes) => top.commit(changes),
    ping: () => top.ping(),
    close: () => backend.close(),
    cases: watchWrites(backend.cases, health, []),
    queries: watchWrites(backend.queries, health, []),
    stats: watchWrites(backend.stats, health, []),
    ledger: watchWrites(backend.ledger, health, WRITES.ledger),
    outbox: watchWrites(backend.outbox, health, WRITES.outbox),
    channelStore: {
      scope: (namespace) => watchWrites(store.scope(namespace), health, WRITES.keyValue),
      purgeExpired: (now) => purging.purgeExpired(now),
    },
    pubsub: backend.pubsub,
    rateLimits: backend.rateLimits,
    engine: backend.engine,
    shared: backend.shared,
  };
}

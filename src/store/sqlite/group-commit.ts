import type Database from 'better-sqlite3';

interface Pending {
  op: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for one SQLite connection: writes asked for in the same turn of the event loop
 * run together in one transaction, so concurrent turns share one commit (one fsync with
 * `synchronous = FULL`) instead of each paying its own. Each write runs in its own savepoint: a
 * write that throws (a conflict, a duplicate) is undone and fails alone; the others go on. Every
 * write's promise settles only after the transaction committed — what it wrote is durable then —
 * and when the commit itself fails (disk full, I/O error), every write of the batch fails and
 * none of them is written.
 *
 * @example
 * const group = new GroupCommit(db);
 * const [a, b] = await Promise.all([group.write(() => insertA()), group.write(() => insertB())]);
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;
  /** Batches committed and writes in them (for tests and benchmarks). */
  readonly stats = { batches: 0, writes: 0 };

  constructor(private readonly db: Database.Database) {}

  /** Runs `op` in the next batch; resolves with its result once the batch is committed. */
  write<T>(op: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ op, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits what is queued now (also called before the database closes). */
  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    if (!this.db.open) {
      for (const p of batch) p.reject(new Error('the database is closed'));
      return;
    }
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    const outcomes: ({ ok: true; value: unknown } | { ok: false; err: unknown })[] = [];
    for (const p of batch) {
      this.db.exec('SAVEPOINT suara_write');
      try {
        outcomes.push({ ok: true, value: p.op() });
        this.db.exec('RELEASE suara_write');
      } catch (err) {
        if (!this.db.inTransaction) {
          // SQLite rolled the whole transaction back itself (disk full, I/O error): every
          // write of the batch is lost, so every one fails, with the error that caused it.
          for (const q of batch) q.reject(err);
          return;
        }
        this.db.exec('ROLLBACK TO suara_write');
        this.db.exec('RELEASE suara_write');
        outcomes.push({ ok: false, err });
      }
    }
    try {
      this.db.exec('COMMIT');
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      for (const p of batch) p.reject(err);
      return;
    }
    this.stats.batches++;
    this.stats.writes += batch.length;
    batch.forEach((p, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) p.resolve(outcome.value);
      else p.reject(outcome?.err);
    });
  }
}

import { closeSync, fdatasync, openSync } from 'node:fs';
import type Database from 'better-sqlite3';

interface Pending {
  op: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** A committed write waiting for the WAL sync that makes it durable. */
interface Committed {
  pending: Pending;
  outcome: { ok: true; value: unknown } | { ok: false; err: unknown };
}

export interface GroupCommitOptions {
  /**
   * The database's write-ahead log. When set, the connection runs `synchronous = NORMAL` (a
   * commit writes the WAL without waiting for the disk) and this class makes commits durable
   * itself: it syncs the WAL file off the event loop (`fdatasync` in libuv's thread pool) and
   * settles a write only after the sync that followed its commit has completed. Without it
   * (an in-memory database) a write settles at its commit.
   */
  walFile?: string;
}

/**
 * Group commit for one SQLite connection. Writes asked for in the same turn of the event loop —
 * or, on a file, while the previous batch's sync is in flight — run together in one transaction,
 * each in its own savepoint: a write that throws (a conflict, a duplicate) is undone and fails
 * alone; the others go on. When the commit itself fails (disk full, I/O error), every write of
 * the batch fails and none of them is written.
 *
 * Durability: a write's promise settles only once what it wrote is on disk. With a `walFile`,
 * the WAL is synced with `fdatasync` off the event loop after each batch's commit, and the writes
 * asked for meanwhile form the next batch: concurrent turns share one commit and one sync instead
 * of each paying its own, and the event loop never waits for the disk. This is what
 * `synchronous = FULL` gives (a sync of the WAL after each commit, before the commit counts),
 * only shared: SQLite itself still syncs the WAL before each checkpoint and the database file
 * after it (`NORMAL`), so nothing a settled write wrote can be lost to a crash of the process or
 * of the machine.
 *
 * @example
 * const group = new GroupCommit(db, { walFile: `${path}-wal` });
 * const [a, b] = await Promise.all([group.write(() => insertA()), group.write(() => insertB())]);
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;
  /** The sync in flight, if any (writes asked for meanwhile wait for it to end). */
  private syncing: Promise<void> | null = null;
  private fd: number | null = null;
  /** Batches committed, writes in them, and WAL syncs (for tests and benchmarks). */
  readonly stats = { batches: 0, writes: 0, syncs: 0 };
  /** Transaction control, prepared once (exec would parse each statement on every batch). */
  private control: Record<
    'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'undo',
    Database.Statement
  > | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly options: GroupCommitOptions = {},
  ) {}

  private statements() {
    this.control ??= {
      begin: this.db.prepare('BEGIN IMMEDIATE'),
      commit: this.db.prepare('COMMIT'),
      rollback: this.db.prepare('ROLLBACK'),
      savepoint: this.db.prepare('SAVEPOINT suara_write'),
      release: this.db.prepare('RELEASE suara_write'),
      undo: this.db.prepare('ROLLBACK TO suara_write'),
    };
    return this.control;
  }

  /** Runs `op` in the next batch; resolves with its result once the batch is durable. */
  write<T>(op: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ op, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * Commits what is queued now (also called before the database closes) — unless a WAL sync is
   * in flight: then what is queued waits for it to end and is committed in one transaction,
   * synced by the next sync. So there is one commit per sync, and the more writes come at once,
   * the more each commit and each sync carries (a sync costs the event loop tens of µs of
   * thread-pool hand-off, a commit writes every page it touched to the WAL).
   */
  flush(): void {
    this.scheduled = false;
    if (this.syncing) return;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const committed = this.commit(batch);
    if (!committed) return;
    this.stats.batches++;
    this.stats.writes += batch.length;
    if (!this.options.walFile) {
      for (const c of committed) settle(c);
      return;
    }
    this.syncing = this.sync(committed);
  }

  /** Waits until every write asked for so far is settled (before closing). */
  async drain(): Promise<void> {
    this.flush();
    while (this.syncing) await this.syncing;
  }

  /** Releases the WAL file handle (after `drain`, before the database closes). */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /** Runs the batch in one transaction; null (every write rejected) when it could not commit. */
  private commit(batch: Pending[]): Committed[] | null {
    if (!this.db.open) {
      for (const p of batch) p.reject(new Error('the database is closed'));
      return null;
    }
    const sql = this.statements();
    try {
      sql.begin.run();
    } catch (err) {
      for (const p of batch) p.reject(err);
      return null;
    }
    // A write alone in its batch needs no savepoint: if it throws, the transaction is undone.
    const alone = batch.length === 1;
    const committed: Committed[] = [];
    for (const pending of batch) {
      if (!alone) sql.savepoint.run();
      try {
        committed.push({ pending, outcome: { ok: true, value: pending.op() } });
        if (!alone) sql.release.run();
      } catch (err) {
        if (!this.db.inTransaction || alone) {
          // SQLite rolled the whole transaction back itself (disk full, I/O error), or the
          // batch's only write failed: every write of the batch fails, none is written.
          if (this.db.inTransaction) sql.rollback.run();
          for (const p of batch) p.reject(err);
          return null;
        }
        sql.undo.run();
        sql.release.run();
        committed.push({ pending, outcome: { ok: false, err } });
      }
    }
    try {
      sql.commit.run();
    } catch (err) {
      if (this.db.inTransaction) sql.rollback.run();
      for (const p of batch) p.reject(err);
      return null;
    }
    return committed;
  }

  /** Syncs the WAL for the writes just committed, settles them, then commits what waited. */
  private async sync(covered: Committed[]): Promise<void> {
    try {
      await new Promise<void>((resolve, reject) => {
        this.fd ??= openSync(this.options.walFile as string, 'r');
        fdatasync(this.fd, (err) => (err ? reject(err) : resolve()));
      });
      this.stats.syncs++;
      for (const c of covered) settle(c);
    } catch (err) {
      // Committed but perhaps not on disk: report the writes as failed (their callers answer
      // with an error and the sender retries; every write is idempotent).
      for (const c of covered) c.pending.reject(err);
    } finally {
      this.syncing = null;
    }
    this.flush();
  }
}

function settle({ pending, outcome }: Committed): void {
  if (outcome.ok) pending.resolve(outcome.value);
  else pending.reject(outcome.err);
}

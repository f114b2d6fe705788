import pg from 'pg';
import { transaction } from '../../src/store/postgres/db';
import { describeIfPostgres, freshSchema, POSTGRES_URL } from '../support/postgres';

/** Waits (bounded) until `check` holds. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`never happened: ${what}`);
}

describeIfPostgres('PostgreSQL transactions and deadlocks', () => {
  test('a transaction chosen as a deadlock victim is run again, whole, and commits', async () => {
    const schema = freshSchema();
    const pool = new pg.Pool({
      connectionString: POSTGRES_URL,
      max: 3,
      options: `-c search_path=${schema}`,
    });
    const other = new pg.Client({
      connectionString: POSTGRES_URL,
      options: `-c search_path=${schema}`,
    });
    await other.connect();
    try {
      await pool.query(`CREATE SCHEMA ${schema}`);
      await pool.query('CREATE TABLE t (id int PRIMARY KEY, n int NOT NULL)');
      await pool.query('INSERT INTO t VALUES (1, 0), (2, 0)');
      const waiting = async (pid: number) =>
        (
          await pool.query<{ waiting: boolean }>(
            "SELECT wait_event_type = 'Lock' AS waiting FROM pg_stat_activity WHERE pid = $1",
            [pid],
          )
        ).rows[0]?.waiting === true;
      let attempts = 0;
      let ourPid = 0;
      let otherHolds2 = false;
      // Ours: row 1, then row 2 (after the other transaction took row 2).
      const ours = transaction(pool, async (tx) => {
        attempts++;
        ourPid =
          (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? 0;
        await tx.query('UPDATE t SET n = n + 1 WHERE id = 1');
        if (attempts === 1)
          await until(async () => otherHolds2, 'the other transaction holds row 2');
        await tx.query('UPDATE t SET n = n + 1 WHERE id = 2');
      });
      // The other: row 2, then row 1 once ours waits for row 2: a deadlock, and ours (waiting
      // first) is the one PostgreSQL rolls back.
      await until(async () => ourPid !== 0, 'ours started');
      await other.query('BEGIN');
      await other.query('UPDATE t SET n = n + 10 WHERE id = 2');
      otherHolds2 = true;
      await until(() => waiting(ourPid), 'ours waits for row 2');
      await other.query('UPDATE t SET n = n + 10 WHERE id = 1');
      await other.query('COMMIT');
      await ours;
      expect(attempts).toBe(2);
      const rows = (await pool.query<{ id: number; n: number }>('SELECT id, n FROM t ORDER BY id'))
        .rows;
      // Both committed, ours once: its first attempt left nothing.
      expect(rows).toEqual([
        { id: 1, n: 11 },
        { id: 2, n: 11 },
      ]);
    } finally {
      await other.end();
      await pool.end();
    }
  }, 30_000);
});

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PgBackend } from '../../src/store/postgres/backend';

/**
 * The PostgreSQL the suites run against: `SUARA_TEST_POSTGRES_URL` (CI always sets it). Without
 * it the PostgreSQL suites are skipped, with one line that says so.
 */
export const POSTGRES_URL = process.env.SUARA_TEST_POSTGRES_URL ?? '';

let warned = false;

/**
 * `describe` when PostgreSQL is configured, else `describe.skip` and one visible line.
 *
 * @example
 * describeIfPostgres('the outbox on PostgreSQL', () => { … });
 */
export function describeIfPostgres(name: string, body: () => void): void {
  if (POSTGRES_URL) {
    describe(name, body);
    return;
  }
  if (!warned) {
    warned = true;
    console.warn(
      'PostgreSQL suites skipped: set SUARA_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run them',
    );
  }
  describe.skip(name, body);
}

/** Schemas this test file made, dropped when it ends. */
const made: string[] = [];

if (POSTGRES_URL) {
  afterAll(async () => {
    if (made.length === 0) return;
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      for (const s of made.splice(0)) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    } finally {
      await client.end();
    }
  });
}

/**
 * A new, empty schema name on the test database (created by the first migration), dropped when
 * the test file is done: each test (and each file, run in parallel) has tables of its own.
 */
export function freshSchema(): string {
  const schema = `suara_t_${randomBytes(6).toString('hex')}`;
  made.push(schema);
  return schema;
}

/** A backend on a fresh schema of the test database. */
export function openTestPgBackend(clock?: () => Date, poolMax = 4): Promise<PgBackend> {
  return PgBackend.open({
    url: POSTGRES_URL,
    schema: freshSchema(),
    poolMax,
    ...(clock ? { clock } : {}),
  });
}

import pg from 'pg';
import { CodedError } from '../../errors';

/** What runs a query: the pool (each query on any free connection) or one transaction's client. */
export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

/** One parameter of a query. */
export type Param =
  | string
  | number
  | boolean
  | null
  | Buffer
  | readonly string[]
  | readonly number[];

/** bigint (int8) columns and count(*) as numbers: epoch milliseconds and counts fit in a double. */
const INT8 = 20;
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 && format !== 'binary') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export interface PostgresOptions {
  /** `postgres://user:pass@host:5432/db` or `postgresql://…`. */
  url: string;
  /** Connections in the pool (DATABASE_POOL_MAX; default 10). */
  poolMax?: number;
  /**
   * The schema the tables live in (default `public`): each test file uses its own, so suites on
   * one database run in parallel. Created when missing.
   */
  schema?: string;
  /** How long a query may wait for a free connection before it fails (ms; default 5000). */
  connectTimeoutMs?: number;
}

/** A schema name we put into SQL: plain lower-case identifiers only. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A connection pool on the database of `options.url`, with every connection's `search_path` on
 * the schema. Connections that break are dropped from the pool and new ones are made on the next
 * query, so the pool recovers by itself when the server comes back.
 *
 * @example
 * const pool = openPool({ url: 'postgres://postgres@127.0.0.1:5432/test', poolMax: 10 });
 * const { rows } = await pool.query('SELECT 1 AS one');
 */
export function openPool(options: PostgresOptions): pg.Pool {
  const schema = options.schema ?? 'public';
  if (!SCHEMA_NAME.test(schema)) throw new Error(`bad schema name ${JSON.stringify(schema)}`);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
    // The server closes a session that holds a transaction open and idle this long.
    options: `-c search_path=${schema} -c idle_in_transaction_session_timeout=60000`,
    types,
  });
  // A pooled connection that breaks while idle emits here; without a listener the process dies.
  // The pool has dropped it already; the next query opens a new one.
  pool.on('error', () => undefined);
  return pool;
}

/** SQLSTATE classes of a server or connection that cannot serve now (retry later: 503). */
const UNAVAILABLE_STATES = /^(08|53|57P0[1-3])/;

/**
 * Whether an error means the database cannot be reached or cannot serve now (a refused or broken
 * connection, a server shutting down, no free connection in time), rather than a bad query.
 */
export function isUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (UNAVAILABLE_STATES.test(code)) return true;
  if (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code)
  )
    return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    message,
  );
}

/**
 * The error a caller sees: a database that cannot be reached becomes CodedError
 * `store_unavailable` (the HTTP layer answers 503); anything else is left as it is.
 */
export function translate(err: unknown): unknown {
  if (err instanceof CodedError) return err;
  if (isUnavailable(err)) {
    return new CodedError(
      'store_unavailable',
      `the PostgreSQL database cannot be reached: ${(err as Error).message}`,
    );
  }
  return err;
}

/** Whether `err` is a unique-constraint violation (SQLSTATE 23505). */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '23505';
}

/**
 * SQL written with `?` placeholders (the text shared with SQLite) numbered for PostgreSQL: `$1`,
 * `$2`, … in order. The shared SQL never holds a `?` other than a placeholder.
 *
 * @example
 * numbered('SELECT 1 FROM cases WHERE tracking_id = ? AND version = ?');
 * // 'SELECT 1 FROM cases WHERE tracking_id = $1 AND version = $2'
 */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Statement texts run with parameters, each with the name it is prepared under. */
const prepared = new Map<string, string>();
/** Distinct texts prepared at most (the read model builds a few variants); others run unnamed. */
const MAX_PREPARED = 256;

/**
 * The name a parameterised statement is prepared under on each connection (pg parses and plans
 * it once per connection, then only binds and executes it: PostgreSQL's CPU per turn drops by a
 * third). Texts without parameters (migrations, several statements in one text) run unnamed.
 */
function statementName(text: string, params: readonly Param[]): string | undefined {
  if (params.length === 0) return undefined;
  let name = prepared.get(text);
  if (name === undefined && prepared.size < MAX_PREPARED) {
    name = `suara_${prepared.size + 1}`;
    prepared.set(text, name);
  }
  return name;
}

/** Runs one query; connection failures become `store_unavailable`. */
export async function query<R extends pg.QueryResultRow>(
  db: Queryable,
  text: string,
  params: readonly Param[] = [],
): Promise<pg.QueryResult<R>> {
  const name = statementName(text, params);
  try {
    return name === undefined
      ? await db.query<R>(text, params as Param[])
      : await db.query<R>({ name, text, values: params as Param[] });
  } catch (err) {
    throw translate(err);
  }
}

/** Times a transaction PostgreSQL chose as a deadlock's victim is run again. */
const DEADLOCK_RETRIES = 3;

/**
 * Runs `work` in one transaction on one connection: committed when it resolves, rolled back when
 * it throws (then nothing of it is written). A connection that broke is not given back to the pool.
 * A transaction PostgreSQL rolled back to break a deadlock (`40P01`: two transactions updating the
 * same summary rows in opposite orders, e.g. cases transferred both ways at once) is run again,
 * whole, after a short random pause: `work` must only run statements.
 *
 * @example
 * await transaction(pool, async (tx) => {
 *   await query(tx, 'UPDATE cases SET status = $1 WHERE tracking_id = $2', ['closed', id]);
 * });
 */
export async function transaction<T>(
  pool: pg.Pool,
  work: (tx: pg.PoolClient) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transactionOnce(pool, work);
    } catch (err) {
      const deadlock = (err as { code?: unknown } | null)?.code === '40P01';
      if (!deadlock || attempt > DEADLOCK_RETRIES) throw err;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}

async function transactionOnce<T>(
  pool: pg.Pool,
  work: (tx: pg.PoolClient) => Promise<T>,
): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    throw translate(err);
  }
  let broken: Error | undefined;
  // A connection that drops between two statements emits on the client: the next statement
  // fails with it anyway, and an unheard 'error' event would end the process.
  const dropped = (err: Error) => {
    broken = err;
  };
  client.on('error', dropped);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackErr) {
      broken = rollbackErr as Error;
    }
    if (isUnavailable(err)) broken ??= err as Error;
    throw translate(err);
  } finally {
    client.off('error', dropped);
    client.release(broken);
  }
}

// `npm run bench -- scale`: the case read model and the statistics at 1,000,000 generated cases (SCALE_CASES), in
// SQLite (a temp file, WAL) and in PostgreSQL (BENCH_POSTGRES_URL, a fresh schema dropped at the
// end). Cases are loaded in bulk beside the write path (prepared INSERTs in transactions of 10k
// rows; unnest() batches in PostgreSQL), then each read is timed after a warm-up. Takes minutes:
// not part of the default `npm run bench`. The schema's indexes exist while loading, as in service.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { parse } from 'yaml';
import { localDate } from '../src/cases/calendar';
import type { CaseQueries, CaseQuery, SlaWindow } from '../src/cases/queries';
import type { Case, CaseStatus } from '../src/cases/types';
import { type CaseStats, FINISHED_STATUSES, weekOf } from '../src/stats/facts';
import type { StatsFilter } from '../src/stats/port';
import { statsReport } from '../src/stats/report';
import type { Backend } from '../src/store/backend';
import { PgBackend } from '../src/store/postgres/backend';
import { numbered } from '../src/store/postgres/db';
import { SqlCaseQueries, type SqlParam } from '../src/store/sql/case-queries';
import { type CaseColumn, caseColumns, INSERT_CASE } from '../src/store/sql/cases';
import { SqliteBackend } from '../src/store/sqlite/backend';
import type { Category } from '../src/taxonomy';
import { fmt, percentile, printTable } from './table';

const root = join(__dirname, '..');
const DAY = 86_400_000;
const BATCH = 10_000;
const SAMPLES = 2000;
/** Each measurement stops at SAMPLES or after this long, whichever comes first. */
const BUDGET_MS = 15_000;
const WARMUP = 200;
/** The warm-up stops at WARMUP calls or after this long. */
const WARMUP_MS = 3000;
const OPEN: CaseStatus[] = ['received', 'verified', 'in_progress', 'reopened'];
const TARGETS = { lookup: 2, queue: 20, stats: 200 };

interface Agency {
  id: string;
  categories: Category[];
  weight: number;
}

/** The agencies of intents/agencies.yaml (triage too), skewed: the first ones are the large ones. */
function loadAgencies(): Agency[] {
  const doc = parse(readFileSync(join(root, 'intents/agencies.yaml'), 'utf8')) as {
    triage: { id: string };
    agencies: { id: string; categories?: Category[] }[];
  };
  const list = [
    ...doc.agencies.map((a) => ({ id: a.id, categories: a.categories ?? ['other'] })),
    { id: doc.triage.id, categories: ['other'] as Category[] },
  ];
  // Zipf-like: the largest agency gets about a quarter of the cases.
  return list.map((a, k) => ({ ...a, weight: 1 / (k + 1) ** 1.1 }));
}

/** A small deterministic PRNG (mulberry32), so both stores get the same cases. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Tracking id number `i`: `ADU-` and six base-36 digits. */
function trackingId(i: number): string {
  return `ADU-${i.toString(36).toUpperCase().padStart(6, '0')}`;
}

const TEXTS = [
  'Jalan depan rumah saya berlubang sudah {n} bulan, mohon segera diperbaiki',
  'Lampu jalan di gang {n} mati sejak minggu lalu, gelap sekali kalau malam',
  'Sampah menumpuk di TPS RW {n} belum diangkut, baunya sampai ke rumah warga',
  'Air PDAM tidak mengalir sudah {n} hari di perumahan kami',
  'Pelayanan KTP elektronik di kecamatan lambat, antre sejak pagi nomor {n}',
  'Saluran air tersumbat di RT {n}, kalau hujan langsung banjir',
  'Mohon informasi jadwal bantuan sosial untuk warga RT {n}',
];

/** Case number `i` as of `now`: about 20% open with an agency deadline, the rest finished. */
function generateCase(
  i: number,
  rnd: () => number,
  now: number,
  pick: () => Agency,
): { c: Case; agency: string } {
  const agency = pick();
  const category = agency.categories[Math.floor(rnd() * agency.categories.length)] as Category;
  const open = rnd() < 0.2;
  const u = rnd();
  let status: CaseStatus;
  let ageDays: number;
  if (open) {
    status = u < 0.35 ? 'received' : u < 0.55 ? 'verified' : u < 0.9 ? 'in_progress' : 'reopened';
    // Mostly recent, with a tail of backlog (overdue) up to a year old.
    ageDays = Math.min(365, -Math.log(1 - rnd()) * 10);
  } else {
    status = u < 0.75 ? 'closed' : u < 0.87 ? 'resolved' : u < 0.95 ? 'rejected' : 'needs_info';
    ageDays = status === 'resolved' || status === 'needs_info' ? rnd() * 30 : rnd() * 365;
  }
  const created = now - ageDays * DAY;
  const updated = Math.min(now, created + rnd() * Math.min(ageDays, 10) * DAY);
  const iso = (t: number) => new Date(t).toISOString();
  const c: Case = {
    trackingId: trackingId(i),
    kind: rnd() < 0.85 ? 'complaint' : rnd() < 0.8 ? 'aspiration' : 'handoff',
    text: (TEXTS[i % TEXTS.length] as string).replace('{n}', String(1 + (i % 23))),
    language: rnd() < 0.95 ? 'id' : 'en',
    category,
    agencyId: agency.id,
    priority: rnd() < 0.05 ? 'urgent' : 'normal',
    attachments: rnd() < 0.3 ? [{ kind: 'photo', ref: `AgACAgUAAxkBAAI${i.toString(36)}` }] : [],
    reporter: {
      channel: rnd() < 0.7 ? 'telegram' : 'webchat',
      channelUserId: String(100_000 + Math.floor(rnd() * 300_000)),
    },
    identity: rnd() < 0.8 ? 'named' : rnd() < 0.75 ? 'anonymous' : 'confidential',
    status,
    deadlines: { verifyBy: iso(created + (3 + rnd() * 2) * DAY) },
    createdAt: iso(created),
    updatedAt: iso(updated),
    version: status === 'received' ? 1 : 2 + Math.floor(rnd() * 4),
  };
  if (rnd() < 0.5) c.location = { text: `Kelurahan ${1 + (i % 57)}, Kecamatan ${1 + (i % 11)}` };
  if (status !== 'received' && status !== 'rejected') {
    c.deadlines.followUpBy = iso(created + (1 + rnd() * 3 + 7) * DAY);
  }
  if (status === 'needs_info') c.resumeStatus = 'in_progress';
  if (status === 'resolved') c.deadlines.autoCloseAt = iso(updated + 14 * DAY);
  if (status === 'closed' && rnd() < 0.4) c.rating = 1 + Math.floor(rnd() * 5);
  c.stats = caseStatsOf(c, rnd);
  return { c, agency: agency.id };
}

/** What the case service would have recorded of the case's life (src/stats/facts.ts), made up. */
function caseStatsOf(c: Case, rnd: () => number): CaseStats {
  const finished = FINISHED_STATUSES.includes(c.status);
  const answered = c.status !== 'received' || rnd() < 0.2;
  return {
    // Jakarta is UTC+7 all year (Intl per case would double the generation time).
    week: weekOf(new Date(Date.parse(c.createdAt) + 7 * 3_600_000).toISOString().slice(0, 10)),
    open: !finished,
    ...(answered ? { firstResponseAt: c.updatedAt, responseTenths: Math.floor(rnd() * 60) } : {}),
    ...(finished
      ? { finishedAt: c.updatedAt, finishTenths: Math.floor(rnd() * 200), onTime: rnd() < 0.8 }
      : {}),
    reopened: c.status === 'reopened' || (finished && rnd() < 0.05),
  };
}

interface Dataset {
  n: number;
  now: number;
  agencies: Agency[];
  /** Cases per agency, largest first. */
  sizes: [string, number][];
}

/** The cases as `caseColumns` rows, BATCH at a time; the same every call. `genMs` adds up generation time. */
function* batches(data: Dataset, timing: { genMs: number }): Generator<CaseColumn[][]> {
  const rnd = prng(20_261_127);
  const total = data.agencies.reduce((s, a) => s + a.weight, 0);
  const pick = () => {
    let x = rnd() * total;
    for (const a of data.agencies) {
      x -= a.weight;
      if (x < 0) return a;
    }
    return data.agencies[data.agencies.length - 1] as Agency;
  };
  for (let start = 0; start < data.n; start += BATCH) {
    const t = performance.now();
    const rows: CaseColumn[][] = [];
    for (let i = start; i < Math.min(data.n, start + BATCH); i++) {
      rows.push(caseColumns(generateCase(i, rnd, data.now, pick).c));
    }
    timing.genMs += performance.now() - t;
    yield rows;
  }
}

/** Cases per agency (the generator run without building rows), largest first. */
function agencySizes(n: number, now: number, agencies: Agency[]): [string, number][] {
  const rnd = prng(20_261_127);
  const total = agencies.reduce((s, a) => s + a.weight, 0);
  const counts = new Map<string, number>();
  const pick = () => {
    let x = rnd() * total;
    for (const a of agencies) {
      x -= a.weight;
      if (x < 0) return a;
    }
    return agencies[agencies.length - 1] as Agency;
  };
  for (let i = 0; i < n; i++) {
    const { agency } = generateCase(i, rnd, now, pick);
    counts.set(agency, (counts.get(agency) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]);
}

interface LoadResult {
  store: string;
  genMs: number;
  insertMs: number;
  analyzeMs: number | null;
  sizeMb: number;
}

function engine(backend: Backend) {
  if (backend.engine.kind !== 'sqlite') throw new Error('not a SQLite backend');
  return backend.engine.db;
}

async function loadSqlite(backend: Backend, data: Dataset, file: string): Promise<LoadResult> {
  const engine = backend.engine;
  if (engine.kind !== 'sqlite') throw new Error('not a SQLite backend');
  const insert = engine.db.prepare(INSERT_CASE);
  const insertAll = engine.db.transaction((rows: CaseColumn[][]) => {
    for (const r of rows) insert.run(...r);
  });
  const timing = { genMs: 0 };
  const t = performance.now();
  for (const rows of batches(data, timing)) insertAll(rows);
  engine.db.pragma('wal_checkpoint(TRUNCATE)');
  const insertMs = performance.now() - t - timing.genMs;
  return {
    store: 'SQLite',
    genMs: timing.genMs,
    insertMs,
    analyzeMs: null,
    sizeMb: statSync(file).size / 1e6,
  };
}

/** The column list of the shared INSERT_CASE, for an `INSERT … SELECT * FROM unnest(…)`. */
function unnestInsert(): string {
  const head = INSERT_CASE.slice(0, INSERT_CASE.indexOf('VALUES')).trim();
  const columns = (head.match(/\(([^)]*)\)/)?.[1] ?? '').split(',').map((c) => c.trim());
  if (columns.length !== 23) throw new Error(`unexpected INSERT_CASE columns: ${columns}`);
  const integer = (c: string) =>
    c === 'version' || c === 'rating' || (c.startsWith('stat_') && c !== 'stat_week');
  const arrays = columns.map((c, k) => `$${k + 1}::${integer(c) ? 'int' : 'text'}[]`);
  return `${head} SELECT * FROM unnest(${arrays.join(', ')})`;
}

async function loadPostgres(backend: Backend, data: Dataset): Promise<LoadResult> {
  const engine = backend.engine;
  if (engine.kind !== 'postgres') throw new Error('not a PostgreSQL backend');
  const sql = unnestInsert();
  const timing = { genMs: 0 };
  const t = performance.now();
  for (const rows of batches(data, timing)) {
    const tc = performance.now();
    const columns = (rows[0] ?? []).map((_, k) => rows.map((r) => r[k] ?? null));
    timing.genMs += performance.now() - tc;
    await engine.pool.query(sql, columns);
  }
  const insertMs = performance.now() - t - timing.genMs;
  // VACUUM as well as ANALYZE: autovacuum would vacuum the freshly inserted table (PostgreSQL 13+
  // vacuums after inserts too) in the middle of the measurements; done now, the reads run on the
  // steady state (visibility map set, so counts can be index-only scans).
  const ta = performance.now();
  await engine.pool.query('VACUUM (ANALYZE) cases');
  await engine.pool.query('VACUUM (ANALYZE) stats_cases');
  await engine.pool.query('VACUUM (ANALYZE) stats_durations');
  const analyzeMs = performance.now() - ta;
  // The load left hundreds of MB of dirty pages: write them out now, or the checkpointer does it
  // during the measurements and its I/O shows up as their tail (needs a superuser; skipped if not).
  await engine.pool.query('CHECKPOINT').catch(() => undefined);
  const { rows } = await engine.pool.query<{ bytes: string }>(
    "SELECT pg_total_relation_size('cases')::text AS bytes",
  );
  return {
    store: 'PostgreSQL',
    genMs: timing.genMs,
    insertMs,
    analyzeMs,
    sizeMb: Number(rows[0]?.bytes ?? 0) / 1e6,
  };
}

/** Latencies (ms, sorted) of `op` after a warm-up: SAMPLES calls or BUDGET_MS, whichever first. */
async function measure(op: (k: number) => Promise<unknown>): Promise<number[]> {
  const warm = performance.now() + WARMUP_MS;
  for (let k = 0; k < WARMUP && performance.now() < warm; k++) await op(k);
  const times: number[] = [];
  const until = performance.now() + BUDGET_MS;
  for (let k = 0; k < SAMPLES && performance.now() < until; k++) {
    const t = performance.now();
    await op(k);
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b);
}

interface Measurement {
  name: string;
  target?: number;
  run: (backend: Backend) => (k: number) => Promise<unknown>;
}

function measurements(data: Dataset, window: SlaWindow): Measurement[] {
  const rnd = prng(7);
  const ids = data.agencies.map((a) => a.id);
  const anyAgency = () => ids[Math.floor(rnd() * ids.length)] as string;
  const largest = data.sizes[0]?.[0] as string;
  const queue = (a: string): CaseQuery => ({ agencyIds: [a], status: OPEN });
  const digest = (q: CaseQueries, a: string) =>
    Promise.all([
      q.countSla({ agencyIds: [a] }, window),
      q.list(
        { agencyIds: [a], sla: { state: 'overdue', window } },
        { limit: 10, order: 'deadline' },
      ),
    ]);
  const stats = (q: CaseQueries, a: string) =>
    Promise.all([q.countBy({ agencyIds: [a] }, 'status'), q.countSla({ agencyIds: [a] }, window)]);
  // The statistics of the last 52 weeks, as /api/v1/stats computes them (sums, then the report).
  const toWeek = weekOf(localDate(new Date(data.now), 'Asia/Jakarta'));
  const year: StatsFilter = {
    fromWeek: new Date(Date.parse(toWeek) - 51 * 7 * DAY).toISOString().slice(0, 10),
    toWeek,
  };
  const yearStats = (b: Backend, filter: StatsFilter) =>
    b.stats.read(filter).then((sums) => statsReport(filter, sums));
  return [
    {
      name: 'statistics of a year, all agencies (/api/v1/stats)',
      target: TARGETS.stats,
      run: (b) => () => yearStats(b, year),
    },
    {
      name: `statistics of a year, ${largest}`,
      target: TARGETS.stats,
      run: (b) => () => yearStats(b, { ...year, agencyIds: [largest] }),
    },
    {
      name: 'look-up cases.get(id)',
      target: TARGETS.lookup,
      run: (b) => () => b.cases.get(trackingId(Math.floor(rnd() * data.n))),
    },
    {
      name: 'open queue page 20 by deadline (any agency)',
      target: TARGETS.queue,
      run: (b) => () => b.queries.list(queue(anyAgency()), { limit: 20, order: 'deadline' }),
    },
    {
      name: `open queue page 20 by deadline (${largest})`,
      target: TARGETS.queue,
      run: (b) => () => b.queries.list(queue(largest), { limit: 20, order: 'deadline' }),
    },
    {
      name: 'daily digest countSla + overdue 10 (any agency)',
      run: (b) => () => digest(b.queries, anyAgency()),
    },
    {
      name: `daily digest countSla + overdue 10 (${largest})`,
      run: (b) => () => digest(b.queries, largest),
    },
    {
      name: 'stats countBy status + countSla (any agency)',
      run: (b) => () => stats(b.queries, anyAgency()),
    },
    {
      name: `stats countBy status + countSla (${largest})`,
      run: (b) => () => stats(b.queries, largest),
    },
  ];
}

/** The SQL and parameters the shared read model runs for `call` (captured, not run). */
async function capturedSql(
  call: (q: CaseQueries) => Promise<unknown>,
): Promise<{ sql: string; params: SqlParam[] }> {
  const seen: { sql: string; params: SqlParam[] }[] = [];
  await call(
    new SqlCaseQueries(async <R>(sql: string, params: readonly SqlParam[]) => {
      seen.push({ sql, params: [...params] });
      return [] as R[];
    }),
  );
  const first = seen[0];
  if (!first) throw new Error('no SQL captured');
  return first;
}

/** The plans of the queue page and the digest's overdue list, printed as the store gives them. */
async function explain(backend: Backend, data: Dataset, window: SlaWindow): Promise<void> {
  const largest = data.sizes[0]?.[0] as string;
  const queries: [string, (q: CaseQueries) => Promise<unknown>][] = [
    [
      `open queue page (${largest})`,
      (q) => q.list({ agencyIds: [largest], status: OPEN }, { limit: 20, order: 'deadline' }),
    ],
    [
      `digest overdue list (${largest})`,
      (q) =>
        q.list(
          { agencyIds: [largest], sla: { state: 'overdue', window } },
          { limit: 10, order: 'deadline' },
        ),
    ],
  ];
  const engine = backend.engine;
  for (const [title, call] of queries) {
    const { sql, params } = await capturedSql(call);
    const oneLine = sql.replace(/\s+/g, ' ');
    if (engine.kind === 'sqlite') {
      console.log(`\nSQLite EXPLAIN QUERY PLAN, ${title}:\n  ${oneLine}`);
      const rows = engine.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as {
        id: number;
        parent: number;
        detail: string;
      }[];
      const depth = new Map<number, number>([[0, 0]]);
      for (const r of rows) {
        const d = (depth.get(r.parent) ?? 0) + 1;
        depth.set(r.id, d);
        console.log(`  ${'  '.repeat(d)}${r.detail}`);
      }
    } else {
      console.log(`\nPostgreSQL EXPLAIN (ANALYZE, BUFFERS), ${title}:\n  ${oneLine}`);
      const { rows } = await engine.pool.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS) ${numbered(sql)}`,
        params,
      );
      for (const r of rows) console.log(`    ${r['QUERY PLAN']}`);
    }
  }
}

type Results = Map<string, number[]>;

async function runStore(
  label: string,
  backend: Backend,
  data: Dataset,
  window: SlaWindow,
): Promise<Results> {
  const results: Results = new Map();
  for (const m of measurements(data, window)) {
    const t = performance.now();
    results.set(m.name, await measure(m.run(backend)));
    const times = results.get(m.name) ?? [];
    console.log(
      `  ${label}: ${m.name}: ${times.length} samples in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
  }
  await explain(backend, data, window);
  return results;
}

/** Whether PostgreSQL answers at `url` (a short connect). */
async function reachable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function benchScale(): Promise<void> {
  const n = Number(process.env.SCALE_CASES ?? 1_000_000);
  if (!Number.isInteger(n) || n < 1000)
    throw new Error('SCALE_CASES must be a whole number ≥ 1000');
  const started = performance.now();
  const now = Math.floor(Date.now() / 1000) * 1000;
  const window: SlaWindow = { now: new Date(now), dueSoonUntil: new Date(now + DAY) };
  const agencies = loadAgencies();
  const data: Dataset = { n, now, agencies, sizes: agencySizes(n, now, agencies) };
  const [largest, largestSize] = data.sizes[0] ?? ['', 0];
  console.log(
    `\nscale bench: ${n} cases, ${agencies.length} agencies (largest ${largest}: ${largestSize}), ` +
      `~20% open (${OPEN.join('/')}), created over 365 days; ${SAMPLES} samples per read ` +
      `(or ${BUDGET_MS / 1000} s) after ${WARMUP} warm-up calls (or ${WARMUP_MS / 1000} s)`,
  );

  const loads: LoadResult[] = [];
  const results: { store: string; results: Results }[] = [];

  // SQLite: a temp file in WAL mode, as the service opens it.
  const dir = mkdtempSync(join(tmpdir(), 'suara-bench-scale-'));
  const file = join(dir, 'suara.db');
  try {
    const backend = SqliteBackend.open({ path: file });
    try {
      console.log(`\nSQLite: loading ${n} cases into ${file}`);
      const load = await loadSqlite(backend, data, file);
      loads.push(load);
      const open = await backend.queries.count({ status: OPEN });
      const summary = engine(backend).prepare('SELECT count(*) AS n FROM stats_cases').get() as {
        n: number;
      };
      console.log(`  summary rows: ${summary.n} in stats_cases`);
      const sla = await backend.queries.countSla({ agencyIds: [largest] }, window);
      console.log(
        `  loaded in ${(load.insertMs / 1000).toFixed(1)} s; open cases ${open}; ${largest} ` +
          `SLA overdue ${sla.overdue}, due soon ${sla.due_soon}, on time ${sla.on_time}`,
      );
      results.push({ store: 'SQLite', results: await runStore('SQLite', backend, data, window) });
    } finally {
      await backend.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // PostgreSQL: a fresh schema, dropped at the end.
  const url = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const unreachable = await reachable(url);
  if (unreachable) {
    console.log(`\nPostgreSQL skipped: cannot connect to ${url} (${unreachable})`);
  } else {
    const schema = `suara_bench_${randomBytes(4).toString('hex')}`;
    try {
      const backend = await PgBackend.open({ url, schema, poolMax: 4 });
      try {
        console.log(`\nPostgreSQL: loading ${n} cases into schema ${schema}`);
        const load = await loadPostgres(backend, data);
        loads.push(load);
        console.log(`  loaded in ${(load.insertMs / 1000).toFixed(1)} s`);
        results.push({
          store: 'PostgreSQL',
          results: await runStore('PostgreSQL', backend, data, window),
        });
      } finally {
        await backend.close();
      }
    } finally {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  }

  printTable(
    `Scale: bulk load of ${n} cases`,
    ['store', 'generate s', 'insert s', 'rows/s', 'VACUUM ANALYZE s', 'size MB'],
    loads.map((l) => [
      l.store,
      fmt(l.genMs / 1000, 1),
      fmt(l.insertMs / 1000, 1),
      fmt((n / l.insertMs) * 1000, 0),
      l.analyzeMs === null ? '-' : fmt(l.analyzeMs / 1000, 1),
      fmt(l.sizeMb, 0),
    ]),
  );

  const names = measurements(data, window).map((m) => [m.name, m.target] as const);
  const header = ['read (ms)'];
  for (const r of results) header.push(`${r.store} p50`, `${r.store} p99`);
  header.push('target p99', 'met');
  printTable(
    `Scale: reads at ${n} cases (ms)`,
    header,
    names.map(([name, target]) => {
      const row: string[] = [name];
      const met: string[] = [];
      for (const r of results) {
        const times = r.results.get(name) ?? [];
        const p99 = percentile(times, 99);
        row.push(fmt(percentile(times, 50)), fmt(p99));
        if (target !== undefined) met.push(`${r.store}: ${p99 <= target ? 'yes' : 'NO'}`);
      }
      row.push(target === undefined ? '-' : `≤ ${target}`, met.length > 0 ? met.join(', ') : '-');
      return row;
    }),
  );
  console.log(`\nscale bench took ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

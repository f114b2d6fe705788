// `npm run bench -- nlu`: router on the Surabaya history (ours vs natural's Bayes, same split),
// intent/language/category/urgency on the independent hold-out set, classification speed, and
// knowledge-base retrieval on the Tegal FAQ. `npm run bench -- nlu-speed`: hold-out accuracy and
// speed only. Reads ../shared/data (see sharedDataDir); copies nothing from it.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { KnowledgeBase } from '../src/knowledge/knowledge-base';
import { loadKnowledgeBase } from '../src/knowledge/load';
import { loadSynonyms } from '../src/knowledge/synonyms';
import { loadSlang, parseSlang } from '../src/nlu/lexicon';
import { nluPaths, trainNlu } from '../src/nlu/load';
import { evaluate } from '../src/nlu/metrics';
import type { Nlu } from '../src/nlu/nlu';
import { TextPipeline } from '../src/nlu/pipeline';
import { isTestRow, keepFrequentLabels, Router, readHistoryCsv } from '../src/nlu/router';
import { loadTrainingData } from '../src/nlu/training-data';
import type { Language } from '../src/taxonomy';
import { fmt, printTable } from './table';

const root = join(__dirname, '..');

/**
 * The evaluation data folder (`shared/data`, never copied into the repo): `SUARA_SHARED_DATA`
 * when set, else the nearest `shared/data` beside the repo or beside one of its parent folders
 * (`../shared/data` for a checkout, `../../shared/data` for a git worktree under `wt/`). The
 * returned path may not exist: callers check the files they need and skip without them.
 */
export function sharedDataDir(from = root): string {
  const env = process.env.SUARA_SHARED_DATA;
  if (env) return env;
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, '..', 'shared', 'data');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return join(from, '..', 'shared', 'data');
    dir = parent;
  }
}

const shared = sharedDataDir();
const intentsDir = join(root, 'intents');

export function benchRouter(): void {
  const csv = join(shared, 'surabaya-mediacenter-aduan', 'surabaya_mediacenter_aduan.csv');
  if (!existsSync(csv)) {
    console.log(`\n(router: ${csv} not found, skipped)`);
    return;
  }
  const rows = keepFrequentLabels(
    readHistoryCsv(csv, { text: 'keluhan', label: 'instansi', id: 'id' }),
    100,
  );
  const train = rows.filter((r) => !isTestRow(r.id));
  const test = rows.filter((r) => isTestRow(r.id));

  let t = performance.now();
  const router = Router.train(train, 100);
  const oursSeconds = (performance.now() - t) / 1000;
  const ours = router.evaluate(test);

  // natural's BayesClassifier on the same tokens (normalised, slang, stemmed), same split.
  process.env.DOTENV_CONFIG_QUIET = 'true';
  const natural = require('natural') as {
    StemmerId: unknown;
    BayesClassifier: new (
      stemmer?: unknown,
    ) => {
      addDocument(d: string[] | string, l: string): void;
      train(): void;
      classify(d: string[] | string): string;
    };
  };
  // The router's own analysis: Indonesian stems, no slang table.
  const pipeline = new TextPipeline(parseSlang(''));
  const words = (text: string) => pipeline.analyze(text, 'id').doc.words;
  const testWords = test.map((r) => words(r.text));
  t = performance.now();
  const bayes = new natural.BayesClassifier();
  for (const r of train) bayes.addDocument(words(r.text), r.label);
  bayes.train();
  const bayesSeconds = (performance.now() - t) / 1000;
  const bayesReport = evaluate(
    test.map((r) => r.label),
    testWords.map((w) => bayes.classify(w)),
  );
  // …and with its own tokenizer on the raw text, with the Indonesian stemmer.
  t = performance.now();
  const bayesId = new natural.BayesClassifier(natural.StemmerId);
  for (const r of train) bayesId.addDocument(r.text, r.label);
  bayesId.train();
  const bayesIdSeconds = (performance.now() - t) / 1000;
  const bayesIdReport = evaluate(
    test.map((r) => r.label),
    test.map((r) => bayesId.classify(r.text)),
  );
  printTable(
    `Router: Surabaya media center, ${ours.classes.length} agencies (min-count 100), train ${train.length} / test ${test.length} (md5 split)`,
    ['model', 'accuracy', 'macro-F1', 'train s'],
    [
      [
        'suara linear SVM (word 1-2 + char 3-5 TF-IDF)',
        fmt(ours.accuracy),
        fmt(ours.macro_f1),
        fmt(oursSeconds, 1),
      ],
      [
        'natural BayesClassifier (same tokens)',
        fmt(bayesReport.accuracy),
        fmt(bayesReport.macro_f1),
        fmt(bayesSeconds, 1),
      ],
      [
        'natural BayesClassifier(StemmerId) on raw text',
        fmt(bayesIdReport.accuracy),
        fmt(bayesIdReport.macro_f1),
        fmt(bayesIdSeconds, 1),
      ],
    ],
  );
}

interface HoldoutRow {
  text: string;
  lang: 'id' | 'en';
  intent: string;
  category: string | null;
  urgent: boolean;
}

function benchHoldout(nlu: Nlu): void {
  const path = join(root, 'bench', 'data', 'nlu-holdout.jsonl');
  const rows = readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as HoldoutRow);
  const results = rows.map((r) => nlu.classify(r.text));
  const intent = evaluate(
    rows.map((r) => r.intent),
    results.map((c) => c.intent),
  );
  const byLang = (lang: string) => {
    const idx = rows.map((r, i) => (r.lang === lang ? i : -1)).filter((i) => i >= 0);
    return evaluate(
      idx.map((i) => rows[i]?.intent as string),
      idx.map((i) => results[i]?.intent as string),
    );
  };
  // Hold-out messages that are also (case-insensitively) training lines, measured apart.
  const training = new Set(
    loadTrainingData(nluPaths(intentsDir).training).intents.map((e) => e.text.trim().toLowerCase()),
  );
  const unseen = rows
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => !training.has(r.text.trim().toLowerCase()));
  const unseenIntent = evaluate(
    unseen.map(({ r }) => r.intent),
    unseen.map(({ i }) => results[i]?.intent as string),
  );
  const language = evaluate(
    rows.map((r) => r.lang),
    results.map((c) => c.lang),
  );
  // Category on complaints (the taxonomy's evaluation rule), with the gold intent given.
  const complaints = rows.map((r, i) => ({ r, i })).filter(({ r }) => r.intent === 'complaint');
  const category = evaluate(
    complaints.map(({ r }) => r.category as string),
    complaints.map(({ r }) => nlu.categorize(nlu.analyze(r.text)).category),
  );
  // Baseline: natural's BayesClassifier on the same training messages (its own tokenizer).
  process.env.DOTENV_CONFIG_QUIET = 'true';
  const natural = require('natural') as {
    BayesClassifier: new () => {
      addDocument(d: string, l: string): void;
      train(): void;
      classify(d: string): string;
    };
  };
  const bayes = new natural.BayesClassifier();
  for (const e of loadTrainingData(nluPaths(intentsDir).training).intents)
    bayes.addDocument(e.text, e.label);
  bayes.train();
  const bayesIntent = evaluate(
    rows.map((r) => r.intent),
    rows.map((r) => bayes.classify(r.text)),
  );
  const tp = rows.filter((r, i) => r.urgent && results[i]?.urgent).length;
  const fp = rows.filter((r, i) => !r.urgent && results[i]?.urgent).length;
  const fn = rows.filter((r, i) => r.urgent && !results[i]?.urgent).length;
  printTable(
    `Independent hold-out set (${rows.length} messages written apart from intents/training)`,
    ['measure', 'value'],
    [
      ['intent accuracy (all)', fmt(intent.accuracy)],
      ['intent accuracy (id)', fmt(byLang('id').accuracy)],
      ['intent accuracy (en)', fmt(byLang('en').accuracy)],
      ['intent macro-F1', fmt(intent.macro_f1)],
      [
        `intent accuracy (${unseen.length} not among the training lines)`,
        fmt(unseenIntent.accuracy),
      ],
      ['  baseline: natural BayesClassifier intent accuracy', fmt(bayesIntent.accuracy)],
      ['language detection accuracy', fmt(language.accuracy)],
      [`category accuracy (${complaints.length} complaints)`, fmt(category.accuracy)],
      [
        'urgency precision / recall',
        `${fmt(tp / Math.max(1, tp + fp))} / ${fmt(tp / Math.max(1, tp + fn))}`,
      ],
    ],
  );
  printTable(
    'Intent per class (hold-out)',
    ['intent', 'precision', 'recall', 'F1', 'n'],
    intent.classes.map((c) => [c.label, fmt(c.precision), fmt(c.recall), fmt(c.f1), c.support]),
  );
  if (process.env.BENCH_VERBOSE) {
    rows.forEach((r, i) => {
      if (results[i]?.intent !== r.intent)
        console.log(`  ${r.intent} → ${results[i]?.intent}: ${r.text}`);
    });
  }
}

interface SpeedArgs {
  dist: string;
  intents: string;
  model: string;
  holdout: string;
  csv: string | null;
}

/** Messages per second by the wall clock and by the process's CPU time, and latencies (µs). */
interface Rate {
  n: number;
  wall: number;
  cpu: number;
  p50: number;
  p99: number;
}

interface SpeedResult {
  chat: Rate;
  long: {
    chars: number;
    /** First pass: each complaint once, its words new to every per-token cache. */
    first: Rate;
    /** Later passes (best of three): the per-token caches (bounded) hold their words. */
    warm: Rate;
    /** µs per distinct word of the complaints: natural's StemmerId, then ours. */
    stem: { words: number; natural: number; ours: number };
  } | null;
}

/**
 * Measures classification speed with the compiled build (`npm run build`, which `npm run bench`
 * runs first), as `npm start` runs it. Runs in a fresh `node` (see benchSpeed), so it must be
 * self-contained: no outer names, only `require`.
 */
function measureSpeed(args: SpeedArgs): SpeedResult {
  const { readFileSync } = require('node:fs') as typeof import('node:fs');
  const { Nlu } = require(`${args.dist}/nlu/nlu.js`) as typeof import('../src/nlu/nlu');
  const { loadNluResources } = require(
    `${args.dist}/nlu/load.js`,
  ) as typeof import('../src/nlu/load');
  const { readHistoryCsv } = require(
    `${args.dist}/nlu/router.js`,
  ) as typeof import('../src/nlu/router');
  const nlu = Nlu.fromJSON(
    JSON.parse(readFileSync(args.model, 'utf8')),
    loadNluResources(args.intents),
  );
  const texts = readFileSync(args.holdout, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { text: string }).text);
  const cpuSeconds = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  /** Classifies `n` messages (`text(i)`), timing each one. */
  const run = (n: number, text: (i: number) => string): Rate => {
    const latencies = new Float64Array(n);
    const wall0 = performance.now();
    const cpu0 = cpuSeconds();
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      nlu.classify(text(i));
      latencies[i] = (performance.now() - t0) * 1000;
    }
    const cpu = cpuSeconds() - cpu0;
    const wall = (performance.now() - wall0) / 1000;
    latencies.sort();
    const at = (q: number) => latencies[Math.min(n - 1, Math.floor(q * n))] ?? 0;
    return { n, wall: n / wall, cpu: n / cpu, p50: at(0.5), p99: at(0.99) };
  };
  // Warm the caches and let the JIT reach its steady state (a server classifies all day).
  run(30_000, (i) => texts[i % texts.length] as string);
  const chat = run(50_000, (i) => texts[i % texts.length] as string);
  let long: SpeedResult['long'] = null;
  if (args.csv) {
    // Real complaints, longer and with many words the hold-out set does not have.
    const fresh = readHistoryCsv(args.csv, { text: 'keluhan', label: 'instansi', id: 'id' }).map(
      (r) => r.text,
    );
    const first = run(fresh.length, (i) => fresh[i] as string);
    let warm = run(fresh.length, (i) => fresh[i] as string);
    for (let r = 0; r < 2; r++) {
      const again = run(fresh.length, (i) => fresh[i] as string);
      if (again.cpu > warm.cpu) warm = again;
    }
    // The Indonesian stemmer alone, on every distinct word of the complaints.
    const { normalizeText } = require(
      `${args.dist}/nlu/normalize.js`,
    ) as typeof import('../src/nlu/normalize');
    const { tokenize } = require(
      `${args.dist}/nlu/tokenize.js`,
    ) as typeof import('../src/nlu/tokenize');
    const { stemId } = require(
      `${args.dist}/nlu/stemmer-id.js`,
    ) as typeof import('../src/nlu/stemmer-id');
    const natural = require('natural/lib/natural/stemmers/indonesian/stemmer_id') as {
      stem(w: string): string;
    };
    const words = [...new Set(fresh.flatMap((t) => tokenize(normalizeText(t))))];
    const perWord = (stem: (w: string) => string) => {
      const t0 = cpuSeconds();
      for (const w of words) stem(w);
      return ((cpuSeconds() - t0) * 1e6) / words.length;
    };
    perWord(stemId); // warm-up
    const stem = { words: words.length, natural: perWord(natural.stem), ours: perWord(stemId) };
    const chars = fresh.reduce((sum, t) => sum + t.length, 0) / fresh.length;
    long = { chars, first, warm, stem };
  }
  return { chat, long };
}

/**
 * Classification speed of the same model, measured in a fresh `node` process on the compiled
 * build: this process holds the training data and natural's Bayes models, and runs TypeScript
 * through tsx, both of which slow classification down (by a third and more) against a server.
 * Rates are given by the wall clock and by CPU time: on a busy machine the second varies less.
 */
function benchSpeed(nlu: Nlu): void {
  const dir = mkdtempSync(join(tmpdir(), 'suara-bench-'));
  try {
    const model = join(dir, 'nlu-model.json');
    writeFileSync(model, JSON.stringify(nlu.toJSON()));
    const csv = join(shared, 'surabaya-mediacenter-aduan', 'surabaya_mediacenter_aduan.csv');
    const args: SpeedArgs = {
      dist: join(root, 'dist', 'src'),
      intents: intentsDir,
      model,
      holdout: join(root, 'bench', 'data', 'nlu-holdout.jsonl'),
      csv: existsSync(csv) ? csv : null,
    };
    // `__name`: tsx keeps function names by wrapping inner functions in it.
    const script = `var __name = (f) => f;\nconsole.log(JSON.stringify((${measureSpeed.toString()})(${JSON.stringify(args)})));`;
    const child = spawnSync(process.execPath, ['-e', script], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, DOTENV_CONFIG_QUIET: 'true' },
      maxBuffer: 1024 * 1024,
    });
    if (child.status !== 0) throw new Error(`speed measurement failed: ${child.stderr}`);
    const r = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as SpeedResult;
    const row = (label: string, x: Rate) => [
      label,
      Math.round(x.wall),
      Math.round(x.cpu),
      fmt(x.p50, 1),
      fmt(x.p99, 1),
    ];
    const rows: (string | number)[][] = [
      row(`480 hold-out messages (chat length), repeated, after warm-up`, r.chat),
    ];
    if (r.long) {
      const n = r.long.first.n;
      const chars = Math.round(r.long.chars);
      rows.push(row(`${n} Surabaya complaints (~${chars} chars), first pass`, r.long.first));
      rows.push(row(`${n} Surabaya complaints, after warm-up (best of 3 passes)`, r.long.warm));
    } else {
      rows.push(['(Surabaya complaints not found: skipped)', '', '', '', '']);
    }
    printTable(
      'Classification speed (one core, compiled build in a fresh process: language + intent + category + urgency)',
      ['messages', 'msg/s', 'msg/s (CPU time)', 'p50 µs', 'p99 µs'],
      rows,
    );
    if (r.long) {
      const { stem } = r.long;
      printTable(
        `Indonesian stemmer on the ${stem.words} distinct words of the Surabaya complaints (same run)`,
        ['stemmer', 'µs per word (CPU time)'],
        [
          ["natural's StemmerId", fmt(stem.natural, 2)],
          ['ours (src/nlu/stemmer-id.ts, equal results)', fmt(stem.ours, 2)],
        ],
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const md5 = (t: string) => createHash('md5').update(t).digest('hex');

export function benchKnowledge(): void {
  const dir = join(shared, 'tegal-mpp-faq');
  if (!existsSync(join(dir, 'data_jadi.csv'))) {
    console.log('\n(knowledge base: Tegal FAQ not found, skipped)');
    return;
  }
  const { parse } = require('csv-parse/sync') as {
    parse: (b: Buffer, o: object) => Record<string, string>[];
  };
  // Both files repeat their header on line 2; drop rows whose intent is "intent".
  const read = (f: string) =>
    parse(readFileSync(join(dir, f)), { columns: true, relax_column_count: true }).filter(
      (r) => r.intent && r.intent !== 'intent',
    );
  const kbRows = read('data_jadi.csv');
  const queries = read('dataset_training.csv');
  const slang = loadSlang(nluPaths(intentsDir).slang);
  const pipeline = new TextPipeline(slang);
  // Non-leaky split: a query is held out iff md5(query) % 5 === 0, and held-out query strings
  // are removed from the knowledge base's example questions.
  const key = (t: string) => t.trim().toLowerCase();
  const heldOut = queries.filter(
    (q) => Number.parseInt(md5(key(q.pattern ?? '')).slice(0, 8), 16) % 5 === 0,
  );
  const hidden = new Set(heldOut.map((q) => key(q.pattern ?? '')));
  const run = (patterns: 'all' | 'not-held-out' | 'none', asked: typeof queries) => {
    const docs = kbRows.map((r, i) => ({
      id: `row${i}`,
      lang: 'id' as const,
      title: (r.intent ?? '').replace(/_/g, ' '),
      tags:
        patterns === 'none'
          ? []
          : (r.pattern ?? '').split('|').filter((p) => patterns === 'all' || !hidden.has(key(p))),
      body: r.response ?? '',
      intent: r.intent ?? '',
    }));
    const kb = new KnowledgeBase(docs, pipeline, loadSynonyms(join(intentsDir, 'synonyms.tsv')));
    let top1 = 0;
    let top3 = 0;
    let answered = 0;
    const started = performance.now();
    for (const q of asked) {
      const hits = kb.search(q.pattern ?? '', 'id', 3);
      if (hits[0]?.doc.intent === q.intent) top1++;
      if (hits.some((h) => h.doc.intent === q.intent)) top3++;
      if (hits[0] && kb.isAnswer(hits[0])) answered++;
    }
    const ms = (performance.now() - started) / asked.length;
    const n = asked.length;
    return [n, fmt(top1 / n), fmt(top3 / n), fmt(answered / n), fmt(ms * 1000, 0)];
  };
  printTable(
    `Knowledge-base retrieval: Tegal MPP FAQ, ${kbRows.length} entries (data_jadi.csv), queries from dataset_training.csv`,
    ['knowledge base', 'queries', 'top-1', 'top-3', 'answered', 'µs/query'],
    [
      [
        'entries with all example questions (leaky: queries are among them)',
        ...run('all', queries),
      ],
      [
        'held-out queries (md5 % 5 = 0), removed from the example questions',
        ...run('not-held-out', heldOut),
      ],
      ['answers only (no example questions)', ...run('none', queries)],
    ],
  );
  benchOwnKnowledge(slang);
}

/**
 * Our own knowledge base (intents/knowledge) as the bot uses it: how often it answers the
 * independent hold-out questions, and how often it honestly says "I don't know" to questions no
 * public-service knowledge base should answer (bench/data/kb-offtopic.jsonl).
 */
function benchOwnKnowledge(slang: ReturnType<typeof loadSlang>): void {
  const kb = loadKnowledgeBase(intentsDir, slang);
  const jsonl = (f: string) =>
    readFileSync(join(root, 'bench', 'data', f), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { text: string; lang: Language; intent?: string });
  const questions = jsonl('nlu-holdout.jsonl').filter((r) => r.intent === 'question');
  const offTopic = jsonl('kb-offtopic.jsonl');
  const rate = (rows: { text: string; lang: Language }[]) =>
    rows.filter((r) => kb.answer(r.text, r.lang) !== null).length / rows.length;
  printTable(
    'Knowledge base (intents/knowledge): answer or honest "I don\'t know"',
    ['queries', 'n', 'answered'],
    [
      ['hold-out service questions (should be answered)', questions.length, fmt(rate(questions))],
      ['off-topic questions (should be refused)', offTopic.length, fmt(rate(offTopic))],
    ],
  );
}

function trainForBench(): Nlu {
  const started = performance.now();
  const nlu = trainNlu(intentsDir);
  console.log(
    `NLU models trained from intents/ in ${fmt((performance.now() - started) / 1000, 1)} s`,
  );
  return nlu;
}

export async function benchNlu(): Promise<void> {
  const nlu = trainForBench();
  benchHoldout(nlu);
  benchSpeed(nlu);
  benchKnowledge();
  benchRouter();
}

/** `npm run bench -- nlu-speed`: the hold-out accuracy and the speed tables only (quick). */
export async function benchNluSpeed(): Promise<void> {
  const nlu = trainForBench();
  benchHoldout(nlu);
  benchSpeed(nlu);
}

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { CodedError } from '../errors';
import { parseSlang } from './lexicon';
import {
  LinearClassifier,
  type LinearClassifierJSON,
  type Prediction,
  type TrainOptions,
} from './linear/classifier';
import { type EvaluationReport, evaluate } from './metrics';
import { TextPipeline } from './pipeline';

/** One labelled row of a deployment's complaint history. */
export interface HistoryRow {
  id: string;
  text: string;
  label: string;
}

export interface CsvColumns {
  text: string;
  label: string;
  /** Column with a stable row id; without one, the row index is the id. */
  id?: string;
}

/**
 * Reads a complaint-history CSV (header row, quoted multi-line fields allowed). Rows with an
 * empty text or label are skipped. Throws `bad_csv` naming missing columns or the parse error.
 */
export function readHistoryCsv(path: string, columns: CsvColumns): HistoryRow[] {
  let records: Record<string, string>[];
  try {
    records = parse(readFileSync(path), {
      columns: true,
      skip_empty_lines: true,
      bom: true,
      // A stray quote inside an unquoted field is kept as text; a row with the wrong number of
      // fields is an error (relaxing that would shift columns and train on wrong labels).
      relax_quotes: true,
    }) as Record<string, string>[];
  } catch (err) {
    throw new CodedError('bad_csv', `${path}: ${(err as Error).message}`);
  }
  const header = records[0] ? Object.keys(records[0]) : [];
  const wanted = [columns.text, columns.label, ...(columns.id ? [columns.id] : [])];
  const missing = wanted.filter((c) => records.length > 0 && !header.includes(c));
  if (missing.length > 0) {
    throw new CodedError(
      'bad_csv',
      `${path}: no column ${missing.map((c) => `"${c}"`).join(', ')} (columns: ${header.join(', ')})`,
    );
  }
  const rows: HistoryRow[] = [];
  records.forEach((r, index) => {
    const text = (r[columns.text] ?? '').trim();
    const label = (r[columns.label] ?? '').trim();
    if (!text || !label) return;
    rows.push({ id: columns.id ? String(r[columns.id] ?? index) : String(index), text, label });
  });
  return rows;
}

/** Keeps rows whose label has at least `minCount` rows. */
export function keepFrequentLabels(rows: HistoryRow[], minCount: number): HistoryRow[] {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
  return rows.filter((r) => (counts.get(r.label) ?? 0) >= minCount);
}

/**
 * The shared held-out protocol: a row is in the test split iff
 * `parseInt(md5(String(id)).slice(0, 8), 16) % 5 === 0`.
 */
export function isTestRow(id: string): boolean {
  return (
    Number.parseInt(createHash('md5').update(String(id)).digest('hex').slice(0, 8), 16) % 5 === 0
  );
}

/** Indonesian stemming, no slang table (see Router). */
const ROUTER_PIPELINE = new TextPipeline(parseSlang(''));

export const DEFAULT_ROUTER_OPTIONS: TrainOptions = {
  features: {
    wordNgrams: [1, 2],
    charNgrams: [3, 5],
    minDf: 2,
    maxFeatures: 300_000,
    charWeight: 1,
  },
  svm: { C: 1, tolerance: 0.1, maxPasses: 60, seed: 11 },
  calibrationShare: 0.1,
};

export interface RouterJSON {
  format: 'suara-router@1';
  nTrain: number;
  minCount: number;
  classifier: LinearClassifierJSON;
}

/**
 * An agency router learnt from a deployment's own labelled history (labels are agency ids or
 * names). Messages are analysed as Indonesian, like the history it learns from, and without
 * slang normalisation: the router learns a city's wording as it is written (measured: slang
 * normalisation cost 0.3–0.5 points of accuracy and macro-F1 on the Surabaya history), and
 * character n-grams absorb spelling variants.
 *
 * @example
 * const router = Router.train(rows);
 * router.predict('jalan berlubang di depan SDN 3') // { label: 'Dinas Sumber Daya Air dan Bina Marga', confidence: 0.87, … }
 */
export class Router {
  private constructor(
    private readonly classifier: LinearClassifier,
    readonly nTrain: number,
    readonly minCount: number,
  ) {}

  get labels(): string[] {
    return this.classifier.labels;
  }

  static train(rows: HistoryRow[], minCount = 1, options = DEFAULT_ROUTER_OPTIONS): Router {
    const classifier = LinearClassifier.train(
      rows.map((r) => ROUTER_PIPELINE.analyze(r.text, 'id').doc),
      rows.map((r) => r.label),
      options,
    );
    return new Router(classifier, rows.length, minCount);
  }

  static fromJSON(json: RouterJSON): Router {
    if (json.format !== 'suara-router@1') {
      throw new CodedError('bad_model', `not a Suara router model (format ${String(json.format)})`);
    }
    return new Router(LinearClassifier.fromJSON(json.classifier), json.nTrain, json.minCount);
  }

  toJSON(): RouterJSON {
    return {
      format: 'suara-router@1',
      nTrain: this.nTrain,
      minCount: this.minCount,
      classifier: this.classifier.toJSON(),
    };
  }

  predict(text: string): Prediction {
    return this.classifier.predict(ROUTER_PIPELINE.analyze(text, 'id').doc);
  }

  evaluate(rows: HistoryRow[]): EvaluationReport {
    return evaluate(
      rows.map((r) => r.label),
      rows.map((r) => this.predict(r.text).label),
    );
  }
}

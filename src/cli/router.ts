import { existsSync } from 'node:fs';
import { isCodedError } from '../errors';
import { saveJson } from '../nlu/load';
import type { EvaluationReport } from '../nlu/metrics';
import {
  type HistoryRow,
  isTestRow,
  keepFrequentLabels,
  Router,
  readHistoryCsv,
} from '../nlu/router';
import { Exit, options, usageError } from './common';
import type { CliIo, Command } from './io';

const CSV_OPTIONS = {
  csv: { type: 'string' },
  text: { type: 'string' },
  label: { type: 'string' },
  id: { type: 'string' },
  'min-count': { type: 'string' },
} as const;

function readRows(
  command: string,
  usage: string,
  values: Record<string, string | boolean | undefined>,
  io: CliIo,
) {
  for (const required of ['csv', 'text', 'label'] as const) {
    if (typeof values[required] !== 'string')
      usageError(command, `--${required} is required`, usage, io);
  }
  const minCount = values['min-count'] === undefined ? 1 : Number(values['min-count']);
  if (!Number.isInteger(minCount) || minCount < 1)
    usageError(command, '--min-count must be a positive integer', usage, io);
  const csv = values.csv as string;
  if (!existsSync(csv)) usageError(command, `no such file: ${csv}`, usage, io);
  let rows: HistoryRow[];
  try {
    rows = readHistoryCsv(csv, {
      text: values.text as string,
      label: values.label as string,
      // Without --id the column named "id" is used when there is one, else the row index.
      id: typeof values.id === 'string' ? values.id : 'id',
    });
  } catch (err) {
    if (
      isCodedError(err, 'bad_csv') &&
      values.id === undefined &&
      /no column "id"/.test(err.message)
    ) {
      rows = readHistoryCsv(csv, { text: values.text as string, label: values.label as string });
    } else if (isCodedError(err, 'bad_csv')) {
      io.stderr(`suara ${command}: ${err.message}\n`);
      throw new Exit(65);
    } else throw err;
  }
  const kept = keepFrequentLabels(rows, minCount);
  if (new Set(kept.map((r) => r.label)).size < 2) {
    io.stderr(`suara ${command}: fewer than two labels have at least ${minCount} rows\n`);
    throw new Exit(65);
  }
  return { rows: kept, minCount };
}

/** `suara train-router`: learns agency routing from a deployment's labelled history. */
export const trainRouterCommand: Command = {
  summary: 'train an agency router from a labelled complaint CSV (all rows)',
  usage:
    'suara train-router --csv FILE --text COL --label COL [--id COL] [--min-count N] --out MODEL.json',
  async run(args, io) {
    const { values } = options(
      'train-router',
      this.usage,
      args,
      { ...CSV_OPTIONS, out: { type: 'string' } },
      io,
    );
    if (!values.out) usageError('train-router', '--out is required', this.usage, io);
    const { rows, minCount } = readRows('train-router', this.usage, values, io);
    const started = performance.now();
    const router = Router.train(rows, minCount);
    saveJson(values.out as string, router.toJSON());
    io.stdout(
      `trained on ${rows.length} rows, ${router.labels.length} labels, in ${((performance.now() - started) / 1000).toFixed(1)} s → ${values.out}\n`,
    );
    return 0;
  },
};

function printReport(report: EvaluationReport, nTrain: number, nTest: number, io: CliIo): void {
  const pct = (x: number) => x.toFixed(3);
  io.stdout(`train ${nTrain} rows, test ${nTest} rows, ${report.classes.length} classes\n`);
  io.stdout(`accuracy ${pct(report.accuracy)}  macro-F1 ${pct(report.macro_f1)}\n\n`);
  const width = Math.min(60, Math.max(...report.classes.map((c) => c.label.length)));
  io.stdout(`${'class'.padEnd(width)}  precision  recall  F1     support\n`);
  for (const c of report.classes) {
    io.stdout(
      `${c.label.slice(0, width).padEnd(width)}  ${pct(c.precision).padStart(9)}  ${pct(c.recall).padStart(6)}  ${pct(c.f1)}  ${String(c.support).padStart(7)}\n`,
    );
  }
  if (report.confusions.length > 0) {
    io.stdout('\nmain confusions (actual → predicted: count)\n');
    for (const c of report.confusions) io.stdout(`  ${c.actual} → ${c.predicted}: ${c.count}\n`);
  }
}

/** `suara eval-router`: the shared held-out protocol (md5 of the id, 1 row in 5 for testing). */
export const evalRouterCommand: Command = {
  summary: 'evaluate the router on the held-out split of a labelled CSV',
  usage: 'suara eval-router --csv FILE --text COL --label COL [--id COL] [--min-count N] [--json]',
  async run(args, io) {
    const { values } = options(
      'eval-router',
      this.usage,
      args,
      { ...CSV_OPTIONS, json: { type: 'boolean' } },
      io,
    );
    const { rows, minCount } = readRows('eval-router', this.usage, values, io);
    const train = rows.filter((r) => !isTestRow(r.id));
    const test = rows.filter((r) => isTestRow(r.id));
    if (test.length === 0 || new Set(train.map((r) => r.label)).size < 2) {
      io.stderr('suara eval-router: too few rows for a held-out evaluation\n');
      return 65;
    }
    const started = performance.now();
    const router = Router.train(train, minCount);
    const trainSeconds = (performance.now() - started) / 1000;
    const report = router.evaluate(test);
    if (values.json) {
      io.stdout(
        `${JSON.stringify({
          accuracy: report.accuracy,
          macro_f1: report.macro_f1,
          n_train: train.length,
          n_test: test.length,
          classes: report.classes,
          confusions: report.confusions,
          train_seconds: Math.round(trainSeconds * 100) / 100,
        })}\n`,
      );
    } else {
      printReport(report, train.length, test.length, io);
      io.stdout(`\ntraining took ${trainSeconds.toFixed(1)} s\n`);
    }
    return 0;
  },
};

/** Per-class scores of an evaluation. */
export interface ClassReport {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface EvaluationReport {
  accuracy: number;
  macro_f1: number;
  classes: ClassReport[];
  /** The most frequent mistakes: true label → predicted label, with counts. */
  confusions: { actual: string; predicted: string; count: number }[];
}

/**
 * Accuracy, macro-F1, per-class precision/recall/F1 and the main confusions of predictions
 * against gold labels. Classes are the gold labels plus any predicted label.
 *
 * @example
 * evaluate(['a', 'b'], ['a', 'a']).accuracy // 0.5
 */
export function evaluate(
  gold: string[],
  predicted: string[],
  topConfusions = 10,
): EvaluationReport {
  if (gold.length !== predicted.length) throw new Error('gold and predicted differ in length');
  const labels = [...new Set([...gold, ...predicted])].sort();
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  const pairs = new Map<string, number>();
  let correct = 0;
  const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  gold.forEach((g, i) => {
    const p = predicted[i] as string;
    if (g === p) {
      correct++;
      inc(tp, g);
    } else {
      inc(fp, p);
      inc(fn, g);
      inc(pairs, `${g}\u0000${p}`);
    }
  });
  const classes = labels.map((label) => {
    const t = tp.get(label) ?? 0;
    const precision = t + (fp.get(label) ?? 0) > 0 ? t / (t + (fp.get(label) ?? 0)) : 0;
    const recall = t + (fn.get(label) ?? 0) > 0 ? t / (t + (fn.get(label) ?? 0)) : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support: t + (fn.get(label) ?? 0) };
  });
  // Macro-F1 over the classes that occur in the gold labels.
  const scored = classes.filter((c) => c.support > 0);
  return {
    accuracy: gold.length ? correct / gold.length : 0,
    macro_f1: scored.length ? scored.reduce((s, c) => s + c.f1, 0) / scored.length : 0,
    classes,
    confusions: [...pairs.entries()]
      .map(([k, count]) => {
        const [actual = '', predicted = ''] = k.split('\u0000');
        return { actual, predicted, count };
      })
      .sort((a, b) => b.count - a.count || a.actual.localeCompare(b.actual))
      .slice(0, topConfusions),
  };
}

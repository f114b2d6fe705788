import type { SoftmaxWeights } from './calibration';
import { type SparseVector, seededRandom, shuffle } from './sparse';

/** Settings of the linear SVM trainer. */
export interface SvmOptions {
  /** Inverse regularisation strength (liblinear's C). */
  C: number;
  /** Stop when the projected-gradient spread of a pass falls below this. */
  tolerance: number;
  /** Passes over the data at most, per class. */
  maxPasses: number;
  seed: number;
}

export const DEFAULT_SVM: SvmOptions = { C: 1, tolerance: 0.1, maxPasses: 60, seed: 1 };

/**
 * One-vs-rest L2-regularised squared-hinge linear SVM, trained by dual coordinate descent
 * (Hsieh et al. 2008, the algorithm of liblinear / scikit-learn's LinearSVC), with a bias
 * feature. Exact enough to need no learning-rate tuning, and deterministic for a seed.
 * Returns weights in the same feature-major layout as the softmax model, so the decision
 * values can be calibrated into probabilities with a softmax temperature.
 */
export function trainLinearSvm(
  X: SparseVector[],
  y: number[],
  features: number,
  classes: number,
  options: SvmOptions = DEFAULT_SVM,
): SoftmaxWeights {
  const weights = new Float32Array(features * classes);
  const bias = new Float32Array(classes);
  const n = X.length;
  const diag = 1 / (2 * options.C);
  const qii = X.map((x) => {
    let s = 1 + diag; // bias feature + squared-hinge diagonal
    for (let k = 0; k < x.val.length; k++) s += (x.val[k] as number) ** 2;
    return s;
  });
  const random = seededRandom(options.seed);
  const order = X.map((_, i) => i);
  const w = new Float64Array(features);
  const alpha = new Float64Array(n);

  for (let c = 0; c < classes; c++) {
    w.fill(0);
    alpha.fill(0);
    let wb = 0;
    for (let pass = 0; pass < options.maxPasses; pass++) {
      shuffle(order, random);
      let maxPG = Number.NEGATIVE_INFINITY;
      let minPG = Number.POSITIVE_INFINITY;
      for (const i of order) {
        const x = X[i] as SparseVector;
        const yi = y[i] === c ? 1 : -1;
        const { idx, val } = x;
        let d = wb;
        for (let k = 0; k < idx.length; k++)
          d += (w[idx[k] as number] as number) * (val[k] as number);
        const a = alpha[i] as number;
        const G = yi * d - 1 + a * diag;
        const PG = a === 0 ? Math.min(G, 0) : G;
        if (PG > maxPG) maxPG = PG;
        if (PG < minPG) minPG = PG;
        if (Math.abs(PG) > 1e-12) {
          const next = Math.max(a - G / (qii[i] as number), 0);
          alpha[i] = next;
          const delta = (next - a) * yi;
          for (let k = 0; k < idx.length; k++) {
            const f = idx[k] as number;
            w[f] = (w[f] as number) + delta * (val[k] as number);
          }
          wb += delta;
        }
      }
      if (maxPG - minPG < options.tolerance) break;
    }
    for (let f = 0; f < features; f++) weights[f * classes + c] = w[f] as number;
    bias[c] = wb;
  }
  return { classes, features, weights, bias };
}

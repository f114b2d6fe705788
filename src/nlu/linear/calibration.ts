import type { SparseVector } from './sparse';

/** A linear model's weights, laid out feature-major: `weights[f * classes + c]`. */
export interface SoftmaxWeights {
  classes: number;
  features: number;
  weights: Float32Array;
  bias: Float32Array;
}

/** Class scores (logits) of one example, written into `out`. */
export function logits(model: SoftmaxWeights, x: SparseVector, out: Float64Array): Float64Array {
  const { classes, weights, bias } = model;
  for (let c = 0; c < classes; c++) out[c] = bias[c] as number;
  const { idx, val } = x;
  for (let k = 0; k < idx.length; k++) {
    const base = (idx[k] as number) * classes;
    const v = val[k] as number;
    for (let c = 0; c < classes; c++)
      out[c] = (out[c] as number) + v * (weights[base + c] as number);
  }
  return out;
}

/** Turns logits into probabilities in place, dividing by a temperature first. */
export function softmaxInPlace(z: Float64Array, temperature = 1): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < z.length; c++) max = Math.max(max, (z[c] as number) / temperature);
  let sum = 0;
  for (let c = 0; c < z.length; c++) {
    const e = Math.exp((z[c] as number) / temperature - max);
    z[c] = e;
    sum += e;
  }
  for (let c = 0; c < z.length; c++) z[c] = (z[c] as number) / sum;
  return z;
}

/**
 * Temperature scaling: the T > 0 that minimises the negative log-likelihood of held-out
 * examples, so that confidences match observed accuracy.
 */
export function fitTemperature(heldOutLogits: Float64Array[], labels: number[]): number {
  if (heldOutLogits.length === 0) return 1;
  const nll = (t: number) => {
    let total = 0;
    for (let i = 0; i < heldOutLogits.length; i++) {
      const z = Float64Array.from(heldOutLogits[i] as Float64Array);
      softmaxInPlace(z, t);
      total -= Math.log(Math.max(z[labels[i] as number] as number, 1e-12));
    }
    return total;
  };
  // Golden-section search on log T in [ln 0.05, ln 20].
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  const g = (Math.sqrt(5) - 1) / 2;
  let a = hi - g * (hi - lo);
  let b = lo + g * (hi - lo);
  let fa = nll(Math.exp(a));
  let fb = nll(Math.exp(b));
  for (let i = 0; i < 40; i++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - g * (hi - lo);
      fa = nll(Math.exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + g * (hi - lo);
      fb = nll(Math.exp(b));
    }
  }
  return Math.exp((lo + hi) / 2);
}

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SoftmaxWeights } from './calibration';
import type { SparseVector } from './sparse';

/** Settings of the linear SVM trainer. */
export interface SvmOptions {
  /** Inverse regularisation strength (liblinear's C). */
  C: number;
  /** Stop when the projected-gradient spread of a pass falls below this. */
  tolerance: number;
  /** Passes over the data at most, per class. */
  maxPasses: number;
  seed: number;
  /**
   * Threads that train classes side by side. Default: the machine's cores when the problem is
   * big enough to gain from them, else one. The model is the same for any number: each class
   * has its own seeded order.
   */
  threads?: number;
}

export const DEFAULT_SVM: SvmOptions = { C: 1, tolerance: 0.1, maxPasses: 60, seed: 1 };

/** Threads at most by default (a container may see many more cores than it may use). */
const MAX_THREADS = 4;

/** Below this much work (stored values × classes) threads cost more than they save. */
const THREADED_WORK = 20_000_000;

/** The training set in compressed rows, in memory every thread can read. */
interface SharedProblem {
  indptr: Int32Array;
  idx: Int32Array;
  val: Float32Array;
  y: Int32Array;
  features: number;
  C: number;
  tolerance: number;
  maxPasses: number;
  seed: number;
  /** Per class: 0 to do, 1 being trained, 2 done, 3 failed in a worker. */
  status: Int32Array;
  /** Class-major weights, `features` per class. */
  out: Float32Array;
  bias: Float64Array;
}

/**
 * Trains the binary problem "class c against the rest" and writes its weights into
 * `p.out[c * features …]` and `p.bias[c]`. Self-contained (no imports, no outer names): worker
 * threads run it from its source text.
 *
 * Dual coordinate descent for the L2-regularised squared hinge loss, with liblinear's shrinking:
 * a sample at alpha = 0 whose gradient is past the last pass's largest projected gradient leaves
 * the active set until the active set converges, then every sample is checked once more.
 */
function trainClass(p: SharedProblem, c: number): void {
  const { indptr, idx, val, y, features } = p;
  const n = y.length;
  const diag = 1 / (2 * p.C);
  const qii = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 1 + diag; // bias feature + squared-hinge diagonal
    for (let k = indptr[i] as number; k < (indptr[i + 1] as number); k++) {
      s += (val[k] as number) ** 2;
    }
    qii[i] = s;
  }
  // mulberry32, seeded per class so the result does not depend on which thread trains it.
  let state = (p.seed + Math.imul(c + 1, 0x9e3779b1)) >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const w = new Float64Array(features);
  const alpha = new Float64Array(n);
  let wb = 0;
  let active = n;
  let maxOld = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < p.maxPasses; pass++) {
    for (let i = active - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i] as number;
      order[i] = order[j] as number;
      order[j] = t;
    }
    let maxPG = Number.NEGATIVE_INFINITY;
    let minPG = Number.POSITIVE_INFINITY;
    for (let s = 0; s < active; s++) {
      const i = order[s] as number;
      const yi = y[i] === c ? 1 : -1;
      const from = indptr[i] as number;
      const to = indptr[i + 1] as number;
      let d = wb;
      for (let k = from; k < to; k++) d += (w[idx[k] as number] as number) * (val[k] as number);
      const a = alpha[i] as number;
      const G = yi * d - 1 + a * diag;
      let PG = G;
      if (a === 0) {
        if (G > maxOld) {
          active--;
          order[s] = order[active] as number;
          order[active] = i;
          s--;
          continue;
        }
        if (G > 0) PG = 0;
      }
      if (PG > maxPG) maxPG = PG;
      if (PG < minPG) minPG = PG;
      if (Math.abs(PG) > 1e-12) {
        const next = Math.max(a - G / (qii[i] as number), 0);
        alpha[i] = next;
        const delta = (next - a) * yi;
        for (let k = from; k < to; k++) {
          const f = idx[k] as number;
          w[f] = (w[f] as number) + delta * (val[k] as number);
        }
        wb += delta;
      }
    }
    if (maxPG - minPG < p.tolerance) {
      if (active === n) break;
      active = n; // converged on the active set: check every sample once more
      maxOld = Number.POSITIVE_INFINITY;
      continue;
    }
    maxOld = maxPG <= 0 ? Number.POSITIVE_INFINITY : maxPG;
  }
  p.out.set(w, c * features);
  p.bias[c] = wb;
}

/**
 * Takes classes still to do (status 0 → 1) and trains them until none is left. Self-contained,
 * like `trainClass`; a worker reports a failure as status 3 so the caller trains that class.
 */
function trainClasses(p: SharedProblem, train: (p: SharedProblem, c: number) => void): void {
  for (let c = 0; c < p.status.length; c++) {
    if (Atomics.compareExchange(p.status, c, 0, 1) !== 0) continue;
    try {
      train(p, c);
      Atomics.store(p.status, c, 2);
    } catch (err) {
      Atomics.store(p.status, c, 3);
      Atomics.notify(p.status, c);
      throw err;
    }
    Atomics.notify(p.status, c);
  }
}

// `__name`: bundlers that keep function names (esbuild, as tsx runs it) wrap inner functions in it.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
var __name = (f) => f;
const trainClass = ${trainClass.toString()};
const trainClasses = ${trainClasses.toString()};
trainClasses(workerData, trainClass);
`;

function shared<T extends Int32Array | Float32Array | Float64Array>(
  make: new (b: SharedArrayBuffer) => T,
  bytesPer: number,
  length: number,
): T {
  return new make(new SharedArrayBuffer(Math.max(1, length) * bytesPer));
}

/**
 * One-vs-rest L2-regularised squared-hinge linear SVM, trained by dual coordinate descent
 * (Hsieh et al. 2008, the algorithm of liblinear / scikit-learn's LinearSVC), with a bias
 * feature. Exact enough to need no learning-rate tuning, and deterministic for a seed. Large
 * problems train their classes on several threads (the same model as on one). Returns weights
 * in the same feature-major layout as the softmax model, so the decision values can be
 * calibrated into probabilities with a softmax temperature.
 *
 * @example
 * const model = trainLinearSvm(X, y, vectorizer.size, 3, { ...DEFAULT_SVM, seed: 7 });
 */
export function trainLinearSvm(
  X: SparseVector[],
  y: number[],
  features: number,
  classes: number,
  options: SvmOptions = DEFAULT_SVM,
): SoftmaxWeights {
  let stored = 0;
  for (const x of X) stored += x.idx.length;
  const indptr = shared(Int32Array, 4, X.length + 1);
  const idx = shared(Int32Array, 4, stored);
  const val = shared(Float32Array, 4, stored);
  X.forEach((x, i) => {
    const at = indptr[i] as number;
    idx.set(x.idx, at);
    val.set(x.val, at);
    indptr[i + 1] = at + x.idx.length;
  });
  const p: SharedProblem = {
    indptr,
    idx,
    val,
    y: Int32Array.from(y),
    features,
    C: options.C,
    tolerance: options.tolerance,
    maxPasses: options.maxPasses,
    seed: options.seed,
    status: shared(Int32Array, 4, classes),
    out: shared(Float32Array, 4, classes * features),
    bias: shared(Float64Array, 8, classes),
  };

  const threads = Math.min(
    options.threads ??
      (stored * classes >= THREADED_WORK ? Math.min(availableParallelism(), MAX_THREADS) : 1),
    classes,
  );
  const workers: Worker[] = [];
  if (threads > 1) {
    for (let t = 1; t < threads; t++) {
      try {
        const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: p });
        worker.on('error', () => {}); // its class is marked failed and trained here
        worker.unref();
        workers.push(worker);
      } catch {
        break; // no threads here: this thread trains every class
      }
    }
  }
  let slowest = 0;
  trainClasses(p, (q, c) => {
    const t0 = performance.now();
    trainClass(q, c);
    slowest = Math.max(slowest, performance.now() - t0);
  });
  // Wait for the classes other threads took; train any they failed on, or that take far longer
  // than any class here did (a worker that died without a word: this thread is blocked and
  // would never hear of it). Training is deterministic, so a class trained twice is the same.
  const patienceMs = slowest > 0 ? 4 * slowest + 2000 : 120_000;
  for (let c = 0; c < classes; c++) {
    const waitingSince = performance.now();
    for (;;) {
      const s = Atomics.load(p.status, c);
      if (s === 2) break;
      if (s === 3 || performance.now() - waitingSince > patienceMs) {
        trainClass(p, c);
        Atomics.store(p.status, c, 2);
        break;
      }
      Atomics.wait(p.status, c, s, 200);
    }
  }
  for (const worker of workers) void worker.terminate();

  const weights = new Float32Array(features * classes);
  for (let c = 0; c < classes; c++) {
    const base = c * features;
    for (let f = 0; f < features; f++) weights[f * classes + c] = p.out[base + f] as number;
  }
  return { classes, features, weights, bias: Float32Array.from(p.bias) };
}

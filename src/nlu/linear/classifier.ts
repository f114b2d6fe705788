import { fitTemperature, logits, type SoftmaxWeights, softmaxInPlace } from './calibration';
import { type SparseVector, seededRandom, shuffle } from './sparse';
import { type SvmOptions, trainLinearSvm } from './svm';
import {
  type FeatureConfig,
  type FeatureInput,
  Vectorizer,
  type VectorizerJSON,
} from './vectorizer';

/** A prediction: the best label, its calibrated probability, and every label's probability. */
export interface Prediction {
  label: string;
  confidence: number;
  scores: { label: string; p: number }[];
}

export interface TrainOptions {
  features: FeatureConfig;
  svm: SvmOptions;
  /** Share of the training data held out to calibrate confidences (0 = no calibration). */
  calibrationShare: number;
}

export interface LinearClassifierJSON {
  format: 'suara-linear-classifier@1';
  labels: string[];
  vectorizer: VectorizerJSON;
  /** Float32 weights, feature-major, base64. */
  weights: string;
  bias: number[];
  temperature: number;
}

/**
 * TF-IDF + linear SVM text classifier; decision values become probabilities through a softmax
 * whose temperature is fitted on held-out data (calibrated confidences).
 * Inputs are already analysed documents (see `TextPipeline`), so the same class serves intents,
 * categories, languages and agency routing.
 *
 * @example
 * const model = LinearClassifier.train(docs, labels, DEFAULT_TRAIN_OPTIONS);
 * model.predict(doc) // { label: 'complaint', confidence: 0.93, scores: [...] }
 */
export class LinearClassifier {
  private readonly z: Float64Array;

  private constructor(
    readonly labels: string[],
    private readonly vectorizer: Vectorizer,
    private readonly model: SoftmaxWeights,
    readonly temperature: number,
  ) {
    this.z = new Float64Array(labels.length);
  }

  static train(docs: FeatureInput[], labels: string[], options: TrainOptions): LinearClassifier {
    if (docs.length !== labels.length) throw new Error('docs and labels differ in length');
    const names = [...new Set(labels)].sort();
    if (names.length < 2) throw new Error('training needs at least two labels');
    const y = labels.map((l) => names.indexOf(l));
    const vectorizer = Vectorizer.fit(docs, options.features);
    const X = docs.map((d) => vectorizer.transform(d));

    let temperature = 1;
    if (options.calibrationShare > 0) {
      // A probe model that has not seen a held-out share tells how confident decisions really
      // are. It only needs the scale of the scores, so it trains with a looser tolerance.
      const order = shuffle(
        X.map((_, i) => i),
        seededRandom(options.svm.seed + 1),
      );
      const cut = Math.floor(order.length * options.calibrationShare);
      const held = order.slice(0, cut);
      const rest = order.slice(cut);
      const probe = trainLinearSvm(
        rest.map((i) => X[i] as SparseVector),
        rest.map((i) => y[i] as number),
        vectorizer.size,
        names.length,
        {
          ...options.svm,
          tolerance: Math.max(options.svm.tolerance, 0.5),
          maxPasses: Math.min(options.svm.maxPasses, 15),
        },
      );
      temperature = fitTemperature(
        held.map((i) =>
          Float64Array.from(logits(probe, X[i] as SparseVector, new Float64Array(names.length))),
        ),
        held.map((i) => y[i] as number),
      );
    }
    const model = trainLinearSvm(X, y, vectorizer.size, names.length, options.svm);
    return new LinearClassifier(names, vectorizer, model, temperature);
  }

  static fromJSON(json: LinearClassifierJSON): LinearClassifier {
    if (json.format !== 'suara-linear-classifier@1')
      throw new Error(`unknown model format ${String(json.format)}`);
    const vectorizer = Vectorizer.fromJSON(json.vectorizer);
    const bytes = Buffer.from(json.weights, 'base64');
    const weights = new Float32Array(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    );
    if (weights.length !== vectorizer.size * json.labels.length)
      throw new Error('model weights do not match its vocabulary');
    return new LinearClassifier(
      json.labels,
      vectorizer,
      {
        classes: json.labels.length,
        features: vectorizer.size,
        weights,
        bias: Float32Array.from(json.bias),
      },
      json.temperature,
    );
  }

  toJSON(): LinearClassifierJSON {
    const { weights } = this.model;
    return {
      format: 'suara-linear-classifier@1',
      labels: this.labels,
      vectorizer: this.vectorizer.toJSON(),
      weights: Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength).toString(
        'base64',
      ),
      bias: Array.from(this.model.bias),
      temperature: this.temperature,
    };
  }

  /** Uncalibrated class scores (a view reused between calls). */
  rawLogits(doc: FeatureInput | SparseVector): Float64Array {
    if ('idx' in doc) return logits(this.model, doc, this.z);
    return this.vectorizer.scoreInto(doc, this.model, this.z);
  }

  vectorize(doc: FeatureInput): SparseVector {
    return this.vectorizer.transform(doc);
  }

  /** The feature settings, to share one `featureHashes` pass between models that agree. */
  get features(): FeatureConfig {
    return this.vectorizer.config;
  }

  predict(doc: FeatureInput): Prediction {
    return this.predictScores(this.vectorizer.scoreInto(doc, this.model, this.z));
  }

  /** Predicts from feature hashes computed once for several models with the same settings. */
  predictHashes(hashes: readonly number[]): Prediction {
    return this.predictScores(this.vectorizer.scoreInto(hashes, this.model, this.z));
  }

  /** The best label only (no per-label scores): the cheaper call for the hot path. */
  predictTop(doc: FeatureInput | readonly number[]): { label: string; confidence: number } {
    const p = softmaxInPlace(this.vectorizer.scoreInto(doc, this.model, this.z), this.temperature);
    const best = argmax(p);
    return { label: this.labels[best] as string, confidence: p[best] as number };
  }

  private predictScores(z: Float64Array): Prediction {
    const p = softmaxInPlace(z, this.temperature);
    const best = argmax(p);
    const scores = this.labels
      .map((label, c) => ({ label, p: p[c] as number }))
      .sort((a, b) => b.p - a.p);
    return { label: this.labels[best] as string, confidence: p[best] as number, scores };
  }
}

function argmax(p: Float64Array): number {
  let best = 0;
  for (let c = 1; c < p.length; c++) if ((p[c] as number) > (p[best] as number)) best = c;
  return best;
}

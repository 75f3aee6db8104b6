/**
 * Confusion-matrix metrics (keras/src/metrics/confusion_metrics.py, metrics_utils.py): counts of
 * true/false positives/negatives at one or more thresholds, accumulated over batches. A label is
 * positive when nonzero; a prediction is positive at threshold t when it is strictly above t
 * (thresholds compared in float32, as Keras stores them). Sample weights weigh the counts.
 */
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Metric, type MetricConfig, type MetricDirection, sampleWeights } from './metric.js';

/** Keras's NEG_INF: the default threshold when topK is set (every top-k prediction counts). */
const NEG_INF = -1e10;

export interface ConfusionOptions {
  /** Keep only each row's top k predictions (the rest count as negative). */
  topK?: number | null;
  /** Look only at this class's column. */
  classId?: number | null;
}

/** TP/FP/TN/FN per threshold (thresholds sorted ascending). */
class ConfusionCounts {
  readonly tp: Float64Array;
  readonly fp: Float64Array;
  readonly tn: Float64Array;
  readonly fn: Float64Array;
  private readonly posBuckets: Float64Array;
  private readonly negBuckets: Float64Array;
  private totalPos = 0;
  private totalNeg = 0;
  private dirty = false;

  constructor(readonly thresholds: Float64Array) {
    const n = thresholds.length;
    this.tp = new Float64Array(n);
    this.fp = new Float64Array(n);
    this.tn = new Float64Array(n);
    this.fn = new Float64Array(n);
    this.posBuckets = new Float64Array(n);
    this.negBuckets = new Float64Array(n);
  }

  /** Adds one prediction: it is positive at every threshold strictly below it. */
  add(label: boolean, pred: number, weight: number): void {
    // c = number of thresholds < pred; the prediction lands in bucket c - 1
    let lo = 0;
    let hi = this.thresholds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.thresholds[mid] as number) < pred) lo = mid + 1;
      else hi = mid;
    }
    if (label) {
      this.totalPos += weight;
      if (lo > 0) this.posBuckets[lo - 1] = (this.posBuckets[lo - 1] as number) + weight;
    } else {
      this.totalNeg += weight;
      if (lo > 0) this.negBuckets[lo - 1] = (this.negBuckets[lo - 1] as number) + weight;
    }
    this.dirty = true;
  }

  /** Turns the buckets into counts per threshold (cumulative sums from the top). */
  settle(): void {
    if (!this.dirty) return;
    let pos = 0;
    let neg = 0;
    for (let i = this.thresholds.length - 1; i >= 0; i--) {
      pos += this.posBuckets[i] as number;
      neg += this.negBuckets[i] as number;
      this.tp[i] = pos;
      this.fp[i] = neg;
      this.fn[i] = this.totalPos - pos;
      this.tn[i] = this.totalNeg - neg;
    }
    this.dirty = false;
  }

  reset(): void {
    for (const a of [this.tp, this.fp, this.tn, this.fn, this.posBuckets, this.negBuckets]) a.fill(0);
    this.totalPos = 0;
    this.totalNeg = 0;
    this.dirty = false;
  }
}

/** Feeds a batch into the counts, applying topK / classId and sample weights like Keras. */
function accumulate(
  counts: ConfusionCounts,
  yTrue: Tensor,
  yPred: Tensor,
  sampleWeight: Tensor | null | undefined,
  options: ConfusionOptions,
  owner: string,
  transform?: (p: number) => number,
): void {
  if (yTrue.size !== yPred.size) {
    throw new Error(
      `${owner}: labels of shape ${formatShape(yTrue.shape)} do not match predictions of shape ${formatShape(yPred.shape)}.`,
    );
  }
  const t = yTrue.dataSync();
  const p = yPred.dataSync();
  const batch = yPred.rank === 0 ? 1 : (yPred.shape[0] as number);
  const weights = sampleWeights(sampleWeight, batch, owner);
  const cols = yPred.rank === 0 ? 1 : (yPred.shape[yPred.rank - 1] as number);
  const rows = cols === 0 ? 0 : p.length / cols;
  const perSample = batch > 0 ? p.length / batch : 0;
  const topK = options.topK ?? null;
  const classId = options.classId ?? null;
  if (classId !== null && !(classId >= 0 && classId < cols)) {
    throw new Error(`${owner}: classId ${classId} is out of range for predictions with ${cols} classes.`);
  }
  const row = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      const v = p[r * cols + j] as number;
      row[j] = transform ? transform(v) : v;
    }
    if (topK !== null) keepTopK(row, topK);
    // an element's sample is its flat index divided by the values per sample
    const weightOf = (j: number) => (weights ? (weights[Math.floor((r * cols + j) / perSample)] as number) : 1);
    if (classId !== null) {
      counts.add((t[r * cols + classId] as number) !== 0, row[classId] as number, weightOf(classId));
    } else {
      for (let j = 0; j < cols; j++) counts.add((t[r * cols + j] as number) !== 0, row[j] as number, weightOf(j));
    }
  }
}

/** Sets everything but the k largest entries to NEG_INF (Keras's _filter_top_k). */
function keepTopK(row: Float64Array, k: number): void {
  if (k >= row.length) return;
  const order = Array.from(row.keys()).sort((a, b) => (row[b] as number) - (row[a] as number));
  for (let i = k; i < order.length; i++) row[order[i] as number] = NEG_INF;
}

function float32Thresholds(values: readonly number[]): Float64Array {
  return Float64Array.from(values.map(Math.fround)).sort();
}

function divideNoNan(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

export interface ThresholdMetricOptions extends ConfusionOptions {
  /** Prediction threshold; defaults to 0.5 (or NEG_INF with topK). */
  thresholds?: number;
  name?: string;
}

abstract class ThresholdMetric extends Metric {
  readonly threshold: number;
  readonly topK: number | null;
  readonly classId: number | null;
  protected readonly counts: ConfusionCounts;

  constructor(options: ThresholdMetricOptions, name: string, direction: MetricDirection) {
    super(options.name ?? name, direction);
    this.topK = options.topK ?? null;
    this.classId = options.classId ?? null;
    this.threshold = options.thresholds ?? (this.topK === null ? 0.5 : NEG_INF);
    this.counts = new ConfusionCounts(float32Thresholds([this.threshold]));
  }

  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): void {
    accumulate(this.counts, yTrue, yPred, sampleWeight, { topK: this.topK, classId: this.classId }, this.name);
  }

  resetState(): void {
    this.counts.reset();
  }

  protected settled(): ConfusionCounts {
    this.counts.settle();
    return this.counts;
  }

  override getConfig(): MetricConfig {
    return { ...super.getConfig(), thresholds: this.threshold, top_k: this.topK, class_id: this.classId };
  }
}

/** tp / (tp + fp), 0 when nothing is predicted positive. */
export class Precision extends ThresholdMetric {
  constructor(options: ThresholdMetricOptions = {}) {
    super(options, 'precision', 'up');
  }
  result(): number {
    const c = this.settled();
    return divideNoNan(c.tp[0] as number, (c.tp[0] as number) + (c.fp[0] as number));
  }
}

/** tp / (tp + fn), 0 when there is no positive label. */
export class Recall extends ThresholdMetric {
  constructor(options: ThresholdMetricOptions = {}) {
    super(options, 'recall', 'up');
  }
  result(): number {
    const c = this.settled();
    return divideNoNan(c.tp[0] as number, (c.tp[0] as number) + (c.fn[0] as number));
  }
}

export class TruePositives extends ThresholdMetric {
  constructor(options: ThresholdMetricOptions = {}) {
    super(options, 'true_positives', 'up');
  }
  result(): number {
    return this.settled().tp[0] as number;
  }
}

export class FalsePositives extends ThresholdMetric {
  constructor(options: ThresholdMetricOptions = {}) {
    super(options, 'false_positives', 'down');
  }
  result(): number {
    return this.settled().fp[0] as number;
  }
}

export class TrueNegatives extends ThresholdMetric {
  constructor(options: ThresholdMetricOptions = {}) {
    super(options, 'true_negatives', 'up');
  }
  result(): number {
    return this.settled().tn[0] as number;
  }
}

export class FalseNegatives extends ThresholdMetric {
  constructor(options: ThresholdMetricOptions = {}) {
    super(options, 'false_negatives', 'down');
  }
  result(): number {
    return this.settled().fn[0] as number;
  }
}

export interface AUCOptions {
  /** Evenly spaced thresholds in (0, 1), plus -eps and 1 + eps; defaults to 200. */
  numThresholds?: number;
  curve?: 'ROC' | 'PR';
  summationMethod?: 'interpolation' | 'minoring' | 'majoring';
  /** Explicit thresholds in (0, 1) instead of numThresholds. */
  thresholds?: number[];
  /** Predictions are logits: a sigmoid is applied first. */
  fromLogits?: boolean;
  name?: string;
}

/**
 * Area under the ROC or precision-recall curve, approximated over thresholds like Keras:
 * trapezoids (interpolation) for ROC, Davis & Goadrich's interpolation for PR.
 */
export class AUC extends Metric {
  readonly numThresholds: number;
  readonly curve: 'ROC' | 'PR';
  readonly summationMethod: 'interpolation' | 'minoring' | 'majoring';
  readonly fromLogits: boolean;
  private readonly counts: ConfusionCounts;

  constructor(options: AUCOptions = {}) {
    super(options.name ?? 'auc', 'up');
    this.curve = options.curve ?? 'ROC';
    this.summationMethod = options.summationMethod ?? 'interpolation';
    if (this.curve !== 'ROC' && this.curve !== 'PR')
      throw new Error(`AUC: invalid curve '${this.curve}'; expected 'ROC' or 'PR'.`);
    if (!['interpolation', 'minoring', 'majoring'].includes(this.summationMethod)) {
      throw new Error(
        `AUC: invalid summationMethod '${this.summationMethod}'; expected 'interpolation', 'minoring' or 'majoring'.`,
      );
    }
    let inner: number[];
    if (options.thresholds) {
      inner = options.thresholds.slice().sort((a, b) => a - b);
      this.numThresholds = inner.length + 2;
    } else {
      const n = options.numThresholds ?? 200;
      if (!(n > 1)) throw new Error(`AUC: argument numThresholds must be an integer > 1. Received: numThresholds=${n}`);
      this.numThresholds = n;
      inner = Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1));
    }
    this.counts = new ConfusionCounts(float32Thresholds([-1e-7, ...inner, 1 + 1e-7]));
    this.fromLogits = options.fromLogits ?? false;
  }

  /** The thresholds in use, ascending. */
  get thresholds(): number[] {
    return Array.from(this.counts.thresholds);
  }

  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): void {
    const sigmoid = (z: number) => Math.fround(1 / (1 + Math.exp(-z)));
    accumulate(this.counts, yTrue, yPred, sampleWeight, {}, this.name, this.fromLogits ? sigmoid : undefined);
  }

  resetState(): void {
    this.counts.reset();
  }

  result(): number {
    const { tp, fp, tn, fn } = this.counts;
    this.counts.settle();
    const n = this.numThresholds;
    if (this.curve === 'PR' && this.summationMethod === 'interpolation') return this.interpolatePrAuc();
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const recall = divideNoNan(tp[i] as number, (tp[i] as number) + (fn[i] as number));
      if (this.curve === 'ROC') {
        x[i] = divideNoNan(fp[i] as number, (fp[i] as number) + (tn[i] as number));
        y[i] = recall;
      } else {
        x[i] = recall;
        y[i] = divideNoNan(tp[i] as number, (tp[i] as number) + (fp[i] as number));
      }
    }
    let area = 0;
    for (let i = 0; i < n - 1; i++) {
      const a = y[i] as number;
      const b = y[i + 1] as number;
      const height =
        this.summationMethod === 'interpolation'
          ? (a + b) / 2
          : this.summationMethod === 'minoring'
            ? Math.min(a, b)
            : Math.max(a, b);
      area += ((x[i] as number) - (x[i + 1] as number)) * height;
    }
    return area;
  }

  /** Keras's interpolate_pr_auc: precision varies linearly in TP and P between thresholds. */
  private interpolatePrAuc(): number {
    const { tp, fp, fn } = this.counts;
    const n = this.numThresholds;
    let area = 0;
    for (let i = 0; i < n - 1; i++) {
      const dtp = (tp[i] as number) - (tp[i + 1] as number);
      const pA = (tp[i] as number) + (fp[i] as number);
      const pB = (tp[i + 1] as number) + (fp[i + 1] as number);
      const slope = divideNoNan(dtp, Math.max(pA - pB, 0));
      const intercept = (tp[i + 1] as number) - slope * pB;
      const ratio = pA > 0 && pB > 0 ? divideNoNan(pA, Math.max(pB, 0)) : 1;
      area += divideNoNan(
        slope * (dtp + intercept * Math.log(ratio)),
        Math.max((tp[i + 1] as number) + (fn[i + 1] as number), 0),
      );
    }
    return area;
  }

  override getConfig(): MetricConfig {
    return {
      ...super.getConfig(),
      num_thresholds: this.numThresholds,
      curve: this.curve,
      summation_method: this.summationMethod,
      multi_label: false,
      from_logits: this.fromLogits,
    };
  }
}

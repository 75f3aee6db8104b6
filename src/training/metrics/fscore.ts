/** F-beta and F1 scores (keras/src/metrics/f_score_metrics.py), for [batch, classes] labels. */
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Metric, type MetricConfig, sampleWeights } from './metric.js';

const EPSILON = 1e-7;

export type FScoreAverage = 'micro' | 'macro' | 'weighted' | null;

export interface FBetaScoreOptions {
  /** null: one score per class; 'micro': from global counts; 'macro': mean of class scores; 'weighted': by support. */
  average?: FScoreAverage;
  beta?: number;
  /** Predictions above this are positive; null: each row's maximum is the positive class. */
  threshold?: number | null;
  name?: string;
}

export class FBetaScore extends Metric {
  readonly average: FScoreAverage;
  readonly beta: number;
  readonly threshold: number | null;
  private tp: Float64Array | null = null;
  private fp: Float64Array | null = null;
  private fn: Float64Array | null = null;
  private support: Float64Array | null = null;

  constructor(options: FBetaScoreOptions = {}, defaultName = 'fbeta_score') {
    super(options.name ?? defaultName, 'up');
    this.average = options.average ?? null;
    if (![null, 'micro', 'macro', 'weighted'].includes(this.average)) {
      throw new Error(`${this.name}: invalid average '${this.average}'; expected null, 'micro', 'macro' or 'weighted'.`);
    }
    this.beta = options.beta ?? 1.0;
    if (!(this.beta > 0)) throw new Error(`${this.name}: beta must be > 0, received ${this.beta}.`);
    this.threshold = options.threshold ?? null;
  }

  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): void {
    if (yPred.rank !== 2 || yTrue.rank !== 2 || yTrue.shape[1] !== yPred.shape[1] || yTrue.shape[0] !== yPred.shape[0]) {
      throw new Error(
        `${this.name} expects 2D labels and predictions of the same shape [batch, classes]; received labels ${formatShape(yTrue.shape)} and predictions ${formatShape(yPred.shape)}.`,
      );
    }
    const [rows, cols] = yPred.shape as [number, number];
    if (this.tp === null) {
      this.tp = new Float64Array(cols);
      this.fp = new Float64Array(cols);
      this.fn = new Float64Array(cols);
      this.support = new Float64Array(cols);
    } else if (this.tp.length !== cols) {
      throw new Error(`${this.name}: predictions have ${cols} classes, but earlier batches had ${this.tp.length}.`);
    }
    const [tp, fp, fn, support] = [this.tp, this.fp as Float64Array, this.fn as Float64Array, this.support as Float64Array];
    const t = yTrue.dataSync();
    const p = yPred.dataSync();
    const weights = sampleWeights(sampleWeight, rows, this.name);
    for (let r = 0; r < rows; r++) {
      let rowMax = -Infinity;
      if (this.threshold === null) for (let j = 0; j < cols; j++) rowMax = Math.max(rowMax, p[r * cols + j] as number);
      const w = weights ? (weights[r] as number) : 1;
      for (let j = 0; j < cols; j++) {
        const v = p[r * cols + j] as number;
        // without a threshold the row's max is positive, but an all-zero row predicts nothing
        const predicted = this.threshold === null ? v >= rowMax && Math.abs(v) > 1e-9 : v > this.threshold;
        const pv = predicted ? 1 : 0;
        const tv = t[r * cols + j] as number;
        tp[j] = (tp[j] as number) + w * pv * tv;
        fp[j] = (fp[j] as number) + w * pv * (1 - tv);
        fn[j] = (fn[j] as number) + w * (1 - pv) * tv;
        support[j] = (support[j] as number) + w * tv;
      }
    }
  }

  result(): number | number[] {
    if (this.tp === null) return this.average === null ? [] : 0;
    let tp = Array.from(this.tp);
    let fp = Array.from(this.fp as Float64Array);
    let fn = Array.from(this.fn as Float64Array);
    if (this.average === 'micro') {
      const total = (a: number[]) => [a.reduce((s, v) => s + v, 0)];
      tp = total(tp);
      fp = total(fp);
      fn = total(fn);
    }
    const b2 = this.beta * this.beta;
    const scores = tp.map((tpi, i) => {
      const precision = tpi / (tpi + (fp[i] as number) + EPSILON);
      const recall = tpi / (tpi + (fn[i] as number) + EPSILON);
      return ((precision * recall) / (b2 * precision + recall + EPSILON)) * (1 + b2);
    });
    if (this.average === null) return scores;
    if (this.average === 'weighted') {
      const support = Array.from(this.support as Float64Array);
      const total = support.reduce((s, v) => s + v, 0) + EPSILON;
      return scores.reduce((s, v, i) => s + v * ((support[i] as number) / total), 0);
    }
    return scores.reduce((s, v) => s + v, 0) / scores.length;
  }

  resetState(): void {
    for (const a of [this.tp, this.fp, this.fn, this.support]) a?.fill(0);
  }

  override getConfig(): MetricConfig {
    return { ...super.getConfig(), beta: this.beta, average: this.average, threshold: this.threshold };
  }
}

export class F1Score extends FBetaScore {
  constructor(options: Omit<FBetaScoreOptions, 'beta'> = {}) {
    super({ ...options, beta: 1 }, 'f1_score');
  }
}

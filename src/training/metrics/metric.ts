/**
 * Stateful metrics (Keras 3's keras.metrics.Metric): `updateState` accumulates over batches,
 * `result` reads the value, `resetState` starts over (fit resets every metric each epoch).
 * Metrics never record gradients. On a backend that reads synchronously they read each batch's
 * values at once; on one that cannot (a GPU), Mean and its kin accumulate with that backend's ops
 * and `logValue()` hands the training loop a scalar Tensor, which it reads with the step's other
 * logs in one read (step-logs.ts).
 */
import { noGrad } from '../../autograd/record.js';
import * as ops from '../../ops/index.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

export type MetricConfig = Record<string, number | boolean | string | null | number[]>;

/** Whether larger values are better ('up'), smaller ('down'), or unknown. */
export type MetricDirection = 'up' | 'down' | null;

export abstract class Metric {
  name: string;
  /** Used by callbacks in mode 'auto' (EarlyStopping, ModelCheckpoint). */
  readonly direction: MetricDirection;

  /**
   * `super('name', direction)`, or Keras's keyword form `super({ name })` that custom metrics
   * use; without a name the metric is named after its class in snake_case (Keras's default).
   */
  constructor(nameOrOptions?: string | { name?: string; direction?: MetricDirection }, direction: MetricDirection = null) {
    const options = typeof nameOrOptions === 'object' && nameOrOptions !== null ? nameOrOptions : { name: nameOrOptions };
    const name = options.name ?? snakeCase(this.constructor.name);
    if (typeof name !== 'string' || name === '') {
      throw new Error(`${this.constructor.name}: a metric name must be a non-empty string, received ${JSON.stringify(name)}.`);
    }
    this.name = name;
    this.direction = options.direction ?? direction;
  }

  /** Accumulates a batch; trackers of one value (Mean) take it alone: `lossTracker.updateState(loss)`. */
  abstract updateState(yTrue: Tensor, yPred?: Tensor, sampleWeight?: Tensor | null): void;
  /** The value so far: a number, or one number per class for per-class metrics (F1Score with average null). */
  abstract result(): number | number[];
  abstract resetState(): void;

  /** The value for the step's logs: `result()`, or a scalar Tensor not yet read where the metric accumulates on a backend. */
  logValue(): number | number[] | Tensor {
    return this.result();
  }

  getConfig(): MetricConfig {
    return { name: this.name };
  }

  get className(): string {
    return this.constructor.name;
  }
}

function snakeCase(className: string): string {
  return className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase() || 'metric';
}

/** Per-sample weights as numbers, checked against the batch size. */
export function sampleWeights(sampleWeight: Tensor | null | undefined, batch: number, owner: string): Float64Array | null {
  if (!sampleWeight) return null;
  if (sampleWeight.size === 1) return new Float64Array(batch).fill(sampleWeight.dataSync()[0] as number);
  if (sampleWeight.size !== batch) {
    throw new Error(
      `${owner}: sample weights of shape ${formatShape(sampleWeight.shape)} do not fit a batch of ${batch} samples; give one weight per sample.`,
    );
  }
  return Float64Array.from(sampleWeight.dataSync());
}

/** The (weighted) mean of the values it is given (Keras's keras.metrics.Mean). */
export class Mean extends Metric {
  protected total = 0;
  protected count = 0;
  /** Sums of values that live on a backend without a synchronous read, added with its ops (read with the logs). */
  private onBackend: { total: Tensor; count: Tensor | null } | null = null;

  constructor(options: { name?: string } = {}, direction: MetricDirection = null) {
    super(options.name ?? 'mean', direction);
  }

  /** Adds a batch of values: each sample's values are averaged, then weighted by its sample weight. */
  updateValues(values: ArrayLike<number>, batch: number, weights: Float64Array | null): void {
    const perSample = batch > 0 ? values.length / batch : 0;
    for (let s = 0; s < batch; s++) {
      let v = 0;
      for (let j = 0; j < perSample; j++) v += values[s * perSample + j] as number;
      v /= perSample;
      const w = weights ? (weights[s] as number) : 1;
      this.total += v * w;
      this.count += w;
    }
  }

  /**
   * Adds one value with a weight (the training loop's loss tracker: weight = batch size). A scalar
   * Tensor is read now where its backend reads synchronously, else added on its backend.
   */
  updateValue(value: number | Tensor, weight = 1): void {
    if (typeof value !== 'number' && !value.readsSync) {
      this.addOnBackend(
        noGrad(() => ops.mul(ops.reshape(value, []), weight)),
        null,
      );
      this.count += weight;
      return;
    }
    this.total += (typeof value === 'number' ? value : value.item()) * weight;
    this.count += weight;
  }

  updateState(values: Tensor, _unused?: Tensor, sampleWeight?: Tensor | null): void {
    const batch = values.rank === 0 ? 1 : (values.shape[0] as number);
    if (values.readsSync && (!sampleWeight || sampleWeight.readsSync)) {
      this.updateValues(values.dataSync(), batch, sampleWeights(sampleWeight, batch, this.name));
      return;
    }
    // The same arithmetic as updateValues, with the backend's ops: per-sample means, weighted.
    noGrad(() => {
      const perSample = batch === 0 ? ops.zeros([0]) : ops.mean(ops.reshape(ops.cast(values, 'float32'), [batch, -1]), 1);
      if (!sampleWeight) {
        this.addOnBackend(ops.sum(perSample), null);
        this.count += batch;
        return;
      }
      if (sampleWeight.size !== 1 && sampleWeight.size !== batch) sampleWeights(sampleWeight, batch, this.name);
      const w = ops.mul(ops.reshape(ops.cast(sampleWeight, 'float32'), [-1]), ops.onesLike(perSample));
      this.addOnBackend(ops.sum(ops.mul(perSample, w)), ops.sum(w));
    });
  }

  private addOnBackend(total: Tensor, count: Tensor | null): void {
    const prev = this.onBackend;
    this.onBackend = {
      total: prev ? ops.add(prev.total, total) : total,
      count: prev?.count && count ? ops.add(prev.count, count) : (count ?? prev?.count ?? null),
    };
  }

  result(): number {
    const value = this.logValue();
    return typeof value === 'number' ? value : value.item();
  }

  override logValue(): number | Tensor {
    const b = this.onBackend;
    if (b === null) return this.count === 0 ? 0 : this.total / this.count;
    return noGrad(() => {
      const count = b.count ? ops.add(b.count, this.count) : ops.fill([], this.count);
      // 0 when nothing was counted, as on the host
      return ops.where(ops.equal(count, 0), 0, ops.div(ops.add(b.total, this.total), count));
    });
  }

  resetState(): void {
    this.total = 0;
    this.count = 0;
    this.onBackend = null;
  }
}

/** A function (yTrue, yPred) => per-sample values, averaged over samples (Keras's MeanMetricWrapper). */
export class MeanMetricWrapper extends Mean {
  private readonly fn: (yTrue: Tensor, yPred: Tensor) => Tensor;

  constructor(fn: (yTrue: Tensor, yPred: Tensor) => Tensor, options: { name?: string } = {}, direction: MetricDirection = null) {
    super({ name: options.name ?? (fn.name || 'mean_metric_wrapper') }, direction);
    this.fn = fn;
  }

  override updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): void {
    super.updateState(
      noGrad(() => this.fn(yTrue, yPred)),
      undefined,
      sampleWeight,
    );
  }
}

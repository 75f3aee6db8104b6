/**
 * Stateful metrics (Keras 3's keras.metrics.Metric): `updateState` accumulates over batches,
 * `result` reads the value, `resetState` starts over (fit resets every metric each epoch).
 * Metrics read the tensors' values directly; they never record gradients.
 */
import { noGrad } from '../../autograd/record.js';
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

  /** Adds one value with a weight (the training loop's loss tracker: weight = batch size). */
  updateValue(value: number, weight = 1): void {
    this.total += value * weight;
    this.count += weight;
  }

  updateState(values: Tensor, _unused?: Tensor, sampleWeight?: Tensor | null): void {
    const batch = values.rank === 0 ? 1 : (values.shape[0] as number);
    this.updateValues(values.dataSync(), batch, sampleWeights(sampleWeight, batch, this.name));
  }

  result(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }

  resetState(): void {
    this.total = 0;
    this.count = 0;
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
    const values = noGrad(() => this.fn(yTrue, yPred));
    const batch = values.rank === 0 ? 1 : (values.shape[0] as number);
    this.updateValues(values.dataSync(), batch, sampleWeights(sampleWeight, batch, this.name));
  }
}

/**
 * The running mean behind `layer.addMetric(value, name)`: it has the members fit uses of a
 * Metric (name, direction, result, logValue, resetState, updateState), kept here because layers
 * sit above the training area that defines Metric. Values a backend cannot read synchronously
 * (a GPU's) are summed there and read with the step's logs, as Metric's Mean does.
 */
import { noGrad } from '../../autograd/record.js';
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';

export class AddedMetric {
  readonly direction = null;
  private total = 0;
  private count = 0;
  /** The sum of the observations still on their backend. */
  private onBackend: Tensor | null = null;

  constructor(readonly name: string) {}

  get className(): string {
    return 'Mean';
  }

  /** Adds the mean of these values as one observation. */
  add(values: ArrayLike<number>): void {
    if (values.length === 0) return;
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[i] as number;
    this.total += sum / values.length;
    this.count += 1;
  }

  updateState(values: Tensor): void {
    if (values.readsSync) {
      this.add(values.dataSync());
      return;
    }
    if (values.size === 0) return;
    noGrad(() => {
      const mean = ops.mean(ops.cast(values, 'float32'));
      this.onBackend = this.onBackend ? ops.add(this.onBackend, mean) : mean;
    });
    this.count += 1;
  }

  result(): number {
    const value = this.logValue();
    return typeof value === 'number' ? value : value.item();
  }

  /** The mean so far: a number, or a scalar Tensor where observations are still on their backend. */
  logValue(): number | Tensor {
    const pending = this.onBackend;
    if (pending === null) return this.count === 0 ? 0 : this.total / this.count;
    return noGrad(() => ops.div(ops.add(pending, this.total), this.count));
  }

  resetState(): void {
    this.total = 0;
    this.count = 0;
    this.onBackend = null;
  }

  getConfig(): { name: string } {
    return { name: this.name };
  }
}

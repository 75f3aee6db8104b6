/**
 * The running mean behind `layer.addMetric(value, name)`: it has the members fit uses of a
 * Metric (name, direction, result, resetState, updateState), kept here because layers sit above
 * the training area that defines Metric.
 */
import type { Tensor } from '../../tensor/tensor.js';

export class AddedMetric {
  readonly direction = null;
  private total = 0;
  private count = 0;

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
    this.add(values.dataSync());
  }

  result(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }

  resetState(): void {
    this.total = 0;
    this.count = 0;
  }

  getConfig(): { name: string } {
    return { name: this.name };
  }
}

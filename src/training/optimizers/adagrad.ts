import { backend } from '../../backend/registry.js';
import type { Storage } from '../../tensor/storage.js';
import { Optimizer, type OptimizerConfig, type OptimizerOptions } from './optimizer.js';

export interface AdagradOptions extends OptimizerOptions {
  /** Starting value of the accumulators; Keras's default is 0.1 (PyTorch's is 0). */
  initialAccumulatorValue?: number;
  /** Added inside the square root (Keras); PyTorch adds it outside. Defaults to 1e-7. */
  epsilon?: number;
}

/** Adagrad, Keras 3's rule: acc += g^2; p -= lr * g / sqrt(acc + epsilon). */
export class Adagrad extends Optimizer {
  readonly className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(options: AdagradOptions = {}) {
    super(options, { learningRate: 0.001, name: 'adagrad' });
    this.initialAccumulatorValue = options.initialAccumulatorValue ?? 0.1;
    if (this.initialAccumulatorValue < 0) {
      throw new Error(`Adagrad: initialAccumulatorValue must be non-negative, received ${this.initialAccumulatorValue}.`);
    }
    this.epsilon = options.epsilon ?? 1e-7;
  }

  protected slotSpecs() {
    return [{ name: 'accumulator', initialValue: this.initialAccumulatorValue }];
  }

  protected updateStep(grad: Storage, param: Storage, slots: Storage[], lr: number): void {
    backend().adagradUpdate(param, grad, slots[0] as Storage, lr, this.epsilon);
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), initial_accumulator_value: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}

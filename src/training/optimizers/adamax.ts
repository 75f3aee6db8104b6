import { backend } from '../../backend/registry.js';
import type { Storage } from '../../tensor/storage.js';
import { Optimizer, type OptimizerConfig, type OptimizerOptions } from './optimizer.js';

export interface AdamaxOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  /** Added to the infinity norm after the max (Keras); PyTorch adds it to |g| inside the max. */
  epsilon?: number;
}

/** Adamax, Keras 3's rule: m += (g - m)(1 - beta1); u = max(beta2 * u, |g|); p -= lr * m / ((1 - beta1^t)(u + eps)). */
export class Adamax extends Optimizer {
  readonly className = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(options: AdamaxOptions = {}) {
    super(options, { learningRate: 0.001, name: 'adamax' });
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
  }

  protected slotSpecs() {
    return [
      { name: 'momentum', initialValue: 0 },
      { name: 'norm', initialValue: 0 },
    ];
  }

  protected updateStep(grad: Storage, param: Storage, slots: Storage[], lr: number, step: number): void {
    const { beta1, beta2, epsilon } = this;
    backend().adamaxUpdate(param, grad, slots[0] as Storage, slots[1] as Storage, lr, beta1, beta2, epsilon, step);
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}

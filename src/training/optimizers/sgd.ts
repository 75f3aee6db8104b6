import { backend } from '../../backend/registry.js';
import type { Storage } from '../../tensor/storage.js';
import { Optimizer, type OptimizerConfig, type OptimizerOptions } from './optimizer.js';

export interface SGDOptions extends OptimizerOptions {
  /** Defaults to 0 (plain gradient descent). */
  momentum?: number;
  nesterov?: boolean;
}

/**
 * Gradient descent with optional (Nesterov) momentum, Keras 3's rule:
 * v = momentum * v - lr * g; p += v (nesterov: p += momentum * v - lr * g).
 * Runs on the backend's fused `sgdUpdate` kernel.
 */
export class SGD extends Optimizer {
  readonly className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(options: SGDOptions = {}) {
    super(options, { learningRate: 0.01, name: 'SGD' });
    const momentum = options.momentum ?? 0;
    if (!(momentum >= 0 && momentum <= 1)) throw new Error(`SGD: momentum must be in [0, 1], received ${momentum}.`);
    this.momentum = momentum;
    this.nesterov = options.nesterov ?? false;
  }

  protected slotSpecs() {
    return this.momentum !== 0 ? [{ name: 'momentum', initialValue: 0 }] : [];
  }

  protected updateStep(grad: Storage, param: Storage, slots: Storage[], lr: number): void {
    backend().sgdUpdate(param, grad, slots[0] ?? null, lr, this.momentum, this.nesterov);
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}

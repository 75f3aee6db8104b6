import { backend } from '../../backend/registry.js';
import type { Storage } from '../../tensor/storage.js';
import { Optimizer, type OptimizerConfig, type OptimizerOptions } from './optimizer.js';

export interface AdadeltaOptions extends OptimizerOptions {
  rho?: number;
  epsilon?: number;
}

/**
 * Adadelta, Keras 3's rule (the same as PyTorch's): a = rho * a + (1 - rho) * g^2;
 * delta = -sqrt(d + eps) * g / sqrt(a + eps); d = rho * d + (1 - rho) * delta^2; p += lr * delta.
 * Keras's default learning rate is 0.001 (PyTorch's is 1.0).
 */
export class Adadelta extends Optimizer {
  readonly className = 'Adadelta';
  readonly rho: number;
  readonly epsilon: number;

  constructor(options: AdadeltaOptions = {}) {
    super(options, { learningRate: 0.001, name: 'adadelta' });
    this.rho = options.rho ?? 0.95;
    this.epsilon = options.epsilon ?? 1e-7;
  }

  protected slotSpecs() {
    return [
      { name: 'accumulated_grad', initialValue: 0 },
      { name: 'accumulated_delta_var', initialValue: 0 },
    ];
  }

  protected updateStep(grad: Storage, param: Storage, slots: Storage[], lr: number): void {
    backend().adadeltaUpdate(param, grad, slots[0] as Storage, slots[1] as Storage, lr, this.rho, this.epsilon);
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), rho: this.rho, epsilon: this.epsilon };
  }
}

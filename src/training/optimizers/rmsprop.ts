import { backend } from '../../backend/registry.js';
import type { Storage } from '../../tensor/storage.js';
import { Optimizer, type OptimizerConfig, type OptimizerOptions, type SlotSpec } from './optimizer.js';

export interface RMSpropOptions extends OptimizerOptions {
  rho?: number;
  momentum?: number;
  /** Added inside the square root (Keras); PyTorch adds it outside. Defaults to 1e-7. */
  epsilon?: number;
  centered?: boolean;
}

/**
 * RMSprop, Keras 3's rule: v = rho * v + (1 - rho) * g^2; (centered: a = rho * a + (1 - rho) * g,
 * denominator v - a^2 + eps, else v + eps); increment = lr * g / sqrt(denominator);
 * with momentum: mom = momentum * mom + increment; p -= mom; else p -= increment.
 */
export class RMSprop extends Optimizer {
  readonly className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(options: RMSpropOptions = {}) {
    super(options, { learningRate: 0.001, name: 'rmsprop' });
    this.rho = options.rho ?? 0.9;
    this.momentum = options.momentum ?? 0;
    this.epsilon = options.epsilon ?? 1e-7;
    this.centered = options.centered ?? false;
  }

  protected slotSpecs() {
    // Keras creates all velocities, then all momentums, then all average gradients
    const specs: SlotSpec[] = [{ name: 'velocity', initialValue: 0 }];
    if (this.momentum > 0) specs.push({ name: 'momentum', initialValue: 0, group: 1 });
    if (this.centered) specs.push({ name: 'average_gradient', initialValue: 0, group: 2 });
    return specs;
  }

  protected updateStep(grad: Storage, param: Storage, slots: Storage[], lr: number): void {
    const velocity = slots[0] as Storage;
    const mom = this.momentum > 0 ? (slots[1] as Storage) : null;
    const avg = this.centered ? (slots[this.momentum > 0 ? 2 : 1] as Storage) : null;
    backend().rmspropUpdate(param, grad, velocity, mom, avg, lr, this.rho, this.momentum, this.epsilon);
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}

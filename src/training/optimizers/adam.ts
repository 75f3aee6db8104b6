import { backend } from '../../backend/registry.js';
import type { Storage } from '../../tensor/storage.js';
import { Optimizer, type OptimizerConfig, type OptimizerOptions, type SlotSpec } from './optimizer.js';

export interface AdamOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  /** Keras's "epsilon hat": added to sqrt(v) without bias correction. Defaults to 1e-7. */
  epsilon?: number;
  amsgrad?: boolean;
}

/**
 * Adam with Keras 3's formula: alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t);
 * p -= alpha * m / (sqrt(v) + epsilon). (PyTorch adds epsilon to the bias-corrected sqrt(v),
 * so the two agree only up to epsilon's placement.) Runs on the backend's fused `adamUpdate`.
 */
export class Adam extends Optimizer {
  readonly className: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  constructor(
    options: AdamOptions = {},
    defaults: { learningRate: number; name: string } = { learningRate: 0.001, name: 'adam' },
  ) {
    super(options, defaults);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    this.amsgrad = options.amsgrad ?? false;
  }

  protected slotSpecs() {
    const specs: SlotSpec[] = [
      { name: 'momentum', initialValue: 0 },
      { name: 'velocity', initialValue: 0 },
    ];
    // Keras creates the velocity_hats in a second loop, after every momentum/velocity pair
    if (this.amsgrad) specs.push({ name: 'velocity_hat', initialValue: 0, group: 1 });
    return specs;
  }

  protected updateStep(grad: Storage, param: Storage, slots: Storage[], lr: number, step: number): void {
    const alpha = (lr * Math.sqrt(1 - this.beta2 ** step)) / (1 - this.beta1 ** step);
    backend().adamUpdate(
      param,
      grad,
      slots[0] as Storage,
      slots[1] as Storage,
      slots[2] ?? null,
      alpha,
      this.beta1,
      this.beta2,
      this.epsilon,
    );
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}

export interface AdamWOptions extends AdamOptions {
  /** Defaults to 0.004 as in Keras 3. */
  weightDecay?: number;
}

/** Adam with decoupled weight decay (var -= var * weightDecay * lr before each Adam step). */
export class AdamW extends Adam {
  override readonly className: string = 'AdamW';

  constructor(options: AdamWOptions = {}) {
    super({ ...options, weightDecay: options.weightDecay ?? 0.004 }, { learningRate: 0.001, name: 'adamw' });
    if (this.weightDecay === null) throw new Error('AdamW: weightDecay cannot be null; use Adam for no weight decay.');
  }
}

import { backend } from '../../backend/registry.js';
import type { Storage } from '../../tensor/storage.js';
import { Tensor, Variable } from '../../tensor/tensor.js';
import { Optimizer, type OptimizerConfig, type OptimizerOptions } from './optimizer.js';

export interface NadamOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/**
 * Nadam, Keras 3's rule: u_t = beta1 (1 - 0.5 * 0.96^t), a running product of u_t, and
 * p -= lr * (u_{t+1} m / (1 - prod_{t+1}) + (1 - u_t) g / (1 - prod_t)) / (sqrt(v / (1 - beta2^t)) + eps).
 * (PyTorch's NAdam uses 0.96^(t * momentum_decay) with momentum_decay = 0.004; torch 1.13 also
 * counts u_t twice in the next product. The fixtures follow Keras.)
 */
export class Nadam extends Optimizer {
  readonly className = 'Nadam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Product of the momentum schedule u_1 ... u_t (Keras's _u_product variable, 1 before the first step). */
  private readonly uProduct = new Variable(new Tensor(Float32Array.of(1), []), { name: 'nadam/u_product', trainable: false });

  constructor(options: NadamOptions = {}) {
    super(options, { learningRate: 0.001, name: 'nadam' });
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
  }

  protected slotSpecs() {
    return [
      { name: 'momentum', initialValue: 0 },
      { name: 'velocity', initialValue: 0 },
    ];
  }

  /** Keras 3 tracks _u_product as an optimizer variable after the slots; saving and restoring keep it. */
  protected override extraVariables(): Variable[] {
    return [this.uProduct];
  }

  protected override beforeUpdates(step: number): void {
    this.uProduct.assignValues([(this.uProduct.dataSync()[0] as number) * this.momentumAt(step)]);
  }

  private momentumAt(t: number): number {
    return this.beta1 * (1 - 0.5 * 0.96 ** t);
  }

  protected updateStep(grad: Storage, param: Storage, slots: Storage[], lr: number, step: number): void {
    const { beta1, beta2, epsilon } = this;
    const nextMomentum = this.momentumAt(step + 1);
    const momentumProduct = this.uProduct.dataSync()[0] as number;
    backend().nadamUpdate(param, grad, slots[0] as Storage, slots[1] as Storage, {
      learningRate: lr,
      beta1,
      beta2,
      epsilon,
      momentum: this.momentumAt(step),
      nextMomentum,
      momentumProduct,
      nextMomentumProduct: momentumProduct * nextMomentum,
      beta2Power: beta2 ** step,
    });
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}

/** The Loss base class (Keras 3's keras.losses.Loss) and the wrapper around loss functions. */
import { noGrad } from '../../autograd/record.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { ShapeLike } from './labels.js';
import { type Reduction, reduceWeightedValues, standardizeReduction } from './reduction.js';

export interface LossOptions {
  reduction?: Reduction | null;
  name?: string;
}

export type LossConfig = Record<string, number | boolean | string | null>;

export abstract class Loss {
  readonly name: string;
  readonly reduction: Reduction;

  constructor(options: LossOptions = {}, defaultName = 'loss') {
    this.name = options.name ?? defaultName;
    this.reduction = standardizeReduction(options.reduction);
  }

  /** One loss per sample, unweighted and unreduced. */
  abstract call(yTrue: Tensor, yPred: Tensor): Tensor;

  /** Keras's `loss(y_true, y_pred, sample_weight)`: per-sample losses, weighted, then reduced. */
  apply(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): Tensor {
    return reduceWeightedValues(this.call(yTrue, yPred), sampleWeight, this.reduction);
  }

  /** The reduced loss as a number, computed without recording gradients. */
  compute(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): number {
    return noGrad(() => this.apply(yTrue, yPred, sampleWeight)).item();
  }

  /**
   * Throws a clear error when labels of this shape cannot be used with predictions of that
   * shape (null = any size), so fit fails before its first step. Custom losses accept anything.
   */
  checkLabels(_labels: ShapeLike, _predictions: ShapeLike): void {}

  /** Whether labels are class indices (sparse) rather than per-class values. */
  get sparseLabels(): boolean {
    return false;
  }

  getConfig(): LossConfig {
    return { name: this.name, reduction: this.reduction };
  }

  /** Keras class name in configs. */
  get className(): string {
    return this.constructor.name;
  }
}

/** A per-sample loss function turned into a Loss (Keras's LossFunctionWrapper), for user functions. */
export class LossFunctionWrapper extends Loss {
  private readonly fn: (yTrue: Tensor, yPred: Tensor) => Tensor;

  constructor(fn: (yTrue: Tensor, yPred: Tensor) => Tensor, options: LossOptions = {}) {
    super(options, options.name ?? (fn.name || 'loss'));
    this.fn = fn;
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return this.fn(yTrue, yPred);
  }
}

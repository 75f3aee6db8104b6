/** Keras's loss classes: a loss function with its options, a reduction and a name. */
import type { Tensor } from '../../tensor/tensor.js';
import * as fns from './functions.js';
import { checkCategoricalLabels, checkElementwiseLabels, checkSparseLabels, type ShapeLike } from './labels.js';
import { Loss, type LossConfig, type LossOptions } from './loss.js';

export interface CrossentropyLossOptions extends LossOptions {
  fromLogits?: boolean;
  labelSmoothing?: number;
}

export class CategoricalCrossentropy extends Loss {
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;

  constructor(options: CrossentropyLossOptions = {}) {
    super(options, 'categorical_crossentropy');
    this.fromLogits = options.fromLogits ?? false;
    this.labelSmoothing = options.labelSmoothing ?? 0;
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.categoricalCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing });
  }

  override checkLabels(labels: ShapeLike, predictions: ShapeLike): void {
    checkCategoricalLabels(this.name, labels, predictions);
  }

  override getConfig(): LossConfig {
    return { ...super.getConfig(), from_logits: this.fromLogits, label_smoothing: this.labelSmoothing, axis: -1 };
  }
}

export class SparseCategoricalCrossentropy extends Loss {
  readonly fromLogits: boolean;

  constructor(options: LossOptions & { fromLogits?: boolean } = {}) {
    super(options, 'sparse_categorical_crossentropy');
    this.fromLogits = options.fromLogits ?? false;
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.sparseCategoricalCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits });
  }

  override checkLabels(labels: ShapeLike, predictions: ShapeLike): void {
    checkSparseLabels(this.name, labels, predictions);
  }

  override get sparseLabels(): boolean {
    return true;
  }

  override getConfig(): LossConfig {
    return { ...super.getConfig(), from_logits: this.fromLogits, ignore_class: null };
  }
}

export class BinaryCrossentropy extends Loss {
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;

  constructor(options: CrossentropyLossOptions = {}) {
    super(options, 'binary_crossentropy');
    this.fromLogits = options.fromLogits ?? false;
    this.labelSmoothing = options.labelSmoothing ?? 0;
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.binaryCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing });
  }

  override checkLabels(labels: ShapeLike, predictions: ShapeLike): void {
    checkElementwiseLabels(this.name, labels, predictions);
  }

  override getConfig(): LossConfig {
    return { ...super.getConfig(), from_logits: this.fromLogits, label_smoothing: this.labelSmoothing, axis: -1 };
  }
}

/** Elementwise losses with no options of their own. */
abstract class ElementwiseLoss extends Loss {
  override checkLabels(labels: ShapeLike, predictions: ShapeLike): void {
    checkElementwiseLabels(this.name, labels, predictions);
  }
}

export class MeanSquaredError extends ElementwiseLoss {
  constructor(options: LossOptions = {}) {
    super(options, 'mean_squared_error');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.meanSquaredError(yTrue, yPred);
  }
}

export class MeanAbsoluteError extends ElementwiseLoss {
  constructor(options: LossOptions = {}) {
    super(options, 'mean_absolute_error');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.meanAbsoluteError(yTrue, yPred);
  }
}

export class MeanAbsolutePercentageError extends ElementwiseLoss {
  constructor(options: LossOptions = {}) {
    super(options, 'mean_absolute_percentage_error');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.meanAbsolutePercentageError(yTrue, yPred);
  }
}

export class MeanSquaredLogarithmicError extends ElementwiseLoss {
  constructor(options: LossOptions = {}) {
    super(options, 'mean_squared_logarithmic_error');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.meanSquaredLogarithmicError(yTrue, yPred);
  }
}

export class Huber extends ElementwiseLoss {
  readonly delta: number;
  constructor(options: LossOptions & { delta?: number } = {}) {
    super(options, 'huber_loss');
    this.delta = options.delta ?? 1.0;
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.huber(yTrue, yPred, this.delta);
  }
  override getConfig(): LossConfig {
    return { ...super.getConfig(), delta: this.delta };
  }
}

export class LogCosh extends ElementwiseLoss {
  constructor(options: LossOptions = {}) {
    super(options, 'log_cosh');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.logCosh(yTrue, yPred);
  }
}

export class Hinge extends ElementwiseLoss {
  constructor(options: LossOptions = {}) {
    super(options, 'hinge');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.hinge(yTrue, yPred);
  }
}

export class SquaredHinge extends ElementwiseLoss {
  constructor(options: LossOptions = {}) {
    super(options, 'squared_hinge');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.squaredHinge(yTrue, yPred);
  }
}

export class CategoricalHinge extends Loss {
  constructor(options: LossOptions = {}) {
    super(options, 'categorical_hinge');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.categoricalHinge(yTrue, yPred);
  }
  override checkLabels(labels: ShapeLike, predictions: ShapeLike): void {
    checkCategoricalLabels(this.name, labels, predictions);
  }
}

export class KLDivergence extends ElementwiseLoss {
  constructor(options: LossOptions = {}) {
    super(options, 'kl_divergence');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.klDivergence(yTrue, yPred);
  }
}

export class Poisson extends ElementwiseLoss {
  constructor(options: LossOptions = {}) {
    super(options, 'poisson');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.poisson(yTrue, yPred);
  }
}

export class CosineSimilarity extends ElementwiseLoss {
  readonly axis: number;
  constructor(options: LossOptions & { axis?: number } = {}) {
    super(options, 'cosine_similarity');
    this.axis = options.axis ?? -1;
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.cosineSimilarity(yTrue, yPred, this.axis);
  }
  override getConfig(): LossConfig {
    return { ...super.getConfig(), axis: this.axis };
  }
}

/**
 * Metrics that average a loss-like function over samples (Keras's regression and probabilistic
 * metrics), and RootMeanSquaredError.
 */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as fns from '../losses/functions.js';
import { Mean, MeanMetricWrapper, sampleWeights } from './metric.js';

type Options = { name?: string };

export class MeanSquaredError extends MeanMetricWrapper {
  constructor(options: Options = {}) {
    super(fns.meanSquaredError, { name: options.name ?? 'mean_squared_error' }, 'down');
  }
}

export class MeanAbsoluteError extends MeanMetricWrapper {
  constructor(options: Options = {}) {
    super(fns.meanAbsoluteError, { name: options.name ?? 'mean_absolute_error' }, 'down');
  }
}

export class MeanAbsolutePercentageError extends MeanMetricWrapper {
  constructor(options: Options = {}) {
    super(fns.meanAbsolutePercentageError, { name: options.name ?? 'mean_absolute_percentage_error' }, 'down');
  }
}

export class MeanSquaredLogarithmicError extends MeanMetricWrapper {
  constructor(options: Options = {}) {
    super(fns.meanSquaredLogarithmicError, { name: options.name ?? 'mean_squared_logarithmic_error' }, 'down');
  }
}

export class LogCoshError extends MeanMetricWrapper {
  constructor(options: Options = {}) {
    super(fns.logCosh, { name: options.name ?? 'logcosh' }, 'down');
  }
}

/** Mean cosine similarity (positive: 1 means aligned; the loss of the same name is its negative). */
export class CosineSimilarity extends MeanMetricWrapper {
  constructor(options: Options & { axis?: number } = {}) {
    const axis = options.axis ?? -1;
    super((t, p) => ops.neg(fns.cosineSimilarity(t, p, axis)), { name: options.name ?? 'cosine_similarity' }, 'up');
  }
}

/** sqrt of the mean squared error over every value seen. */
export class RootMeanSquaredError extends Mean {
  constructor(options: Options = {}) {
    super({ name: options.name ?? 'root_mean_squared_error' }, 'down');
  }

  override updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): void {
    if (yTrue.size !== yPred.size) {
      throw new Error(`${this.name}: labels of ${yTrue.size} values do not match predictions of ${yPred.size} values.`);
    }
    const t = yTrue.dataSync();
    const p = yPred.dataSync();
    const sq = new Float64Array(p.length);
    for (let i = 0; i < p.length; i++) sq[i] = ((p[i] as number) - (t[i] as number)) ** 2;
    const batch = yPred.rank === 0 ? 1 : (yPred.shape[0] as number);
    this.updateValues(sq, batch, sampleWeights(sampleWeight, batch, this.name));
  }

  override result(): number {
    return Math.sqrt(super.result());
  }
}

export class BinaryCrossentropy extends MeanMetricWrapper {
  constructor(options: Options & fns.CrossentropyOptions = {}) {
    super((t, p) => fns.binaryCrossentropy(t, p, options), { name: options.name ?? 'binary_crossentropy' }, 'down');
  }
}

export class CategoricalCrossentropy extends MeanMetricWrapper {
  constructor(options: Options & fns.CrossentropyOptions = {}) {
    super((t, p) => fns.categoricalCrossentropy(t, p, options), { name: options.name ?? 'categorical_crossentropy' }, 'down');
  }
}

export class SparseCategoricalCrossentropy extends MeanMetricWrapper {
  constructor(options: Options & fns.SparseCrossentropyOptions = {}) {
    super(
      (t, p) => fns.sparseCategoricalCrossentropy(t, p, options),
      { name: options.name ?? 'sparse_categorical_crossentropy' },
      'down',
    );
  }
}

export class KLDivergence extends MeanMetricWrapper {
  constructor(options: Options = {}) {
    super(fns.klDivergence, { name: options.name ?? 'kl_divergence' }, 'down');
  }
}

export class Poisson extends MeanMetricWrapper {
  constructor(options: Options = {}) {
    super(fns.poisson, { name: options.name ?? 'poisson' }, 'down');
  }
}

export class Hinge extends MeanMetricWrapper {
  constructor(options: Options = {}) {
    super(fns.hinge, { name: options.name ?? 'hinge' }, 'down');
  }
}

export class SquaredHinge extends MeanMetricWrapper {
  constructor(options: Options = {}) {
    super(fns.squaredHinge, { name: options.name ?? 'squared_hinge' }, 'down');
  }
}

export class CategoricalHinge extends MeanMetricWrapper {
  constructor(options: Options = {}) {
    super(fns.categoricalHinge, { name: options.name ?? 'categorical_hinge' }, 'down');
  }
}

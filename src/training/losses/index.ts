/** `capa.losses`: loss functions, loss classes, and Keras-style lookup by name. */
import type { Tensor } from '../../tensor/tensor.js';
import * as classes from './classes.js';
import { Loss, LossFunctionWrapper } from './loss.js';

export * from './classes.js';
export {
  binaryCrossentropy,
  type CrossentropyOptions,
  categoricalCrossentropy,
  categoricalHinge,
  cosineSimilarity,
  EPSILON,
  hinge,
  huber,
  klDivergence,
  type LossFn,
  logCosh,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  meanSquaredLogarithmicError,
  poisson,
  type SparseCrossentropyOptions,
  sparseCategoricalCrossentropy,
  squaredHinge,
} from './functions.js';
export { softmaxCrossEntropyWithLogits } from './fused.js';
export { Loss, type LossConfig, LossFunctionWrapper, type LossOptions } from './loss.js';
export type { Reduction } from './reduction.js';

type LossClass = new () => Loss;

/** Every spelling Keras accepts for a built-in loss (function names, aliases, class names). */
const BY_NAME: Record<string, LossClass> = {
  categorical_crossentropy: classes.CategoricalCrossentropy,
  sparse_categorical_crossentropy: classes.SparseCategoricalCrossentropy,
  binary_crossentropy: classes.BinaryCrossentropy,
  mean_squared_error: classes.MeanSquaredError,
  mse: classes.MeanSquaredError,
  mean_absolute_error: classes.MeanAbsoluteError,
  mae: classes.MeanAbsoluteError,
  mean_absolute_percentage_error: classes.MeanAbsolutePercentageError,
  mape: classes.MeanAbsolutePercentageError,
  mean_squared_logarithmic_error: classes.MeanSquaredLogarithmicError,
  msle: classes.MeanSquaredLogarithmicError,
  huber: classes.Huber,
  huber_loss: classes.Huber,
  log_cosh: classes.LogCosh,
  logcosh: classes.LogCosh,
  hinge: classes.Hinge,
  squared_hinge: classes.SquaredHinge,
  categorical_hinge: classes.CategoricalHinge,
  kl_divergence: classes.KLDivergence,
  kld: classes.KLDivergence,
  kullback_leibler_divergence: classes.KLDivergence,
  poisson: classes.Poisson,
  cosine_similarity: classes.CosineSimilarity,
};
for (const cls of new Set(Object.values(BY_NAME))) BY_NAME[cls.name] = cls;

export type LossIdentifier = string | Loss | ((yTrue: Tensor, yPred: Tensor) => Tensor);

/** Names `get` accepts. */
export function knownLossNames(): string[] {
  return Object.keys(BY_NAME);
}

/**
 * Resolves a loss from a Keras name ('categorical_crossentropy', 'mse', 'MSE', 'Huber', ...),
 * a Loss instance (returned as is), or a function (yTrue, yPred) => per-sample losses.
 */
export function get(identifier: LossIdentifier): Loss {
  if (identifier instanceof Loss) return identifier;
  if (typeof identifier === 'function') return new LossFunctionWrapper(identifier);
  if (typeof identifier === 'string') {
    const cls = BY_NAME[identifier] ?? BY_NAME[identifier.toLowerCase()];
    if (cls) {
      const loss = new cls();
      return identifier === loss.name ? loss : renamed(cls, identifier);
    }
    throw new Error(
      `Could not interpret loss identifier: '${identifier}'. Known losses: ${Object.keys(BY_NAME)
        .filter((k) => k === k.toLowerCase())
        .join(', ')}.`,
    );
  }
  throw new Error(`Could not interpret loss identifier: ${String(identifier)}.`);
}

/** A loss named as the user spelled it (Keras keeps 'mse' as the name when compiled with 'mse'). */
function renamed(cls: LossClass, name: string): Loss {
  const Ctor = cls as unknown as new (options: { name: string }) => Loss;
  return new Ctor({ name: /^[A-Z]/.test(name) ? new cls().name : name });
}

/** `capa.metrics`: stateful metrics, their per-sample functions, and Keras-style lookup. */
import type { Tensor } from '../../tensor/tensor.js';
import type { ShapeLike } from '../losses/labels.js';
import * as accuracy from './accuracy.js';
import * as confusion from './confusion.js';
import * as fscore from './fscore.js';
import { MeanMetricWrapper, Metric } from './metric.js';
import * as regression from './regression.js';

export * from './accuracy.js';
export * from './confusion.js';
export * from './fscore.js';
export { Mean, MeanMetricWrapper, Metric, type MetricConfig, type MetricDirection } from './metric.js';
export * from './regression.js';

type MetricFactory = (name: string) => Metric;

const plain =
  (cls: new (o: { name?: string }) => Metric): MetricFactory =>
  (name) =>
    new cls({ name });

/** Keras's metric identifiers: function names, aliases, class names and their snake_case forms. */
const BY_NAME: Record<string, MetricFactory> = {
  binary_accuracy: plain(accuracy.BinaryAccuracy),
  categorical_accuracy: plain(accuracy.CategoricalAccuracy),
  sparse_categorical_accuracy: plain(accuracy.SparseCategoricalAccuracy),
  top_k_categorical_accuracy: plain(accuracy.TopKCategoricalAccuracy),
  sparse_top_k_categorical_accuracy: plain(accuracy.SparseTopKCategoricalAccuracy),
  mean_squared_error: plain(regression.MeanSquaredError),
  mse: plain(regression.MeanSquaredError),
  mean_absolute_error: plain(regression.MeanAbsoluteError),
  mae: plain(regression.MeanAbsoluteError),
  mean_absolute_percentage_error: plain(regression.MeanAbsolutePercentageError),
  mape: plain(regression.MeanAbsolutePercentageError),
  mean_squared_logarithmic_error: plain(regression.MeanSquaredLogarithmicError),
  msle: plain(regression.MeanSquaredLogarithmicError),
  root_mean_squared_error: plain(regression.RootMeanSquaredError),
  rmse: plain(regression.RootMeanSquaredError),
  logcosh: plain(regression.LogCoshError),
  log_cosh_error: plain(regression.LogCoshError),
  cosine_similarity: plain(regression.CosineSimilarity),
  binary_crossentropy: plain(regression.BinaryCrossentropy),
  bce: plain(regression.BinaryCrossentropy),
  categorical_crossentropy: plain(regression.CategoricalCrossentropy),
  sparse_categorical_crossentropy: plain(regression.SparseCategoricalCrossentropy),
  kl_divergence: plain(regression.KLDivergence),
  kld: plain(regression.KLDivergence),
  poisson: plain(regression.Poisson),
  hinge: plain(regression.Hinge),
  squared_hinge: plain(regression.SquaredHinge),
  categorical_hinge: plain(regression.CategoricalHinge),
  precision: plain(confusion.Precision),
  recall: plain(confusion.Recall),
  true_positives: plain(confusion.TruePositives),
  false_positives: plain(confusion.FalsePositives),
  true_negatives: plain(confusion.TrueNegatives),
  false_negatives: plain(confusion.FalseNegatives),
  auc: plain(confusion.AUC),
  f1_score: plain(fscore.F1Score),
  fbeta_score: plain(fscore.FBetaScore),
};
const CLASS_NAMES: Record<string, string> = {
  BinaryAccuracy: 'binary_accuracy',
  CategoricalAccuracy: 'categorical_accuracy',
  SparseCategoricalAccuracy: 'sparse_categorical_accuracy',
  TopKCategoricalAccuracy: 'top_k_categorical_accuracy',
  SparseTopKCategoricalAccuracy: 'sparse_top_k_categorical_accuracy',
  MeanSquaredError: 'mean_squared_error',
  MeanAbsoluteError: 'mean_absolute_error',
  MeanAbsolutePercentageError: 'mean_absolute_percentage_error',
  MeanSquaredLogarithmicError: 'mean_squared_logarithmic_error',
  RootMeanSquaredError: 'root_mean_squared_error',
  LogCoshError: 'logcosh',
  CosineSimilarity: 'cosine_similarity',
  BinaryCrossentropy: 'binary_crossentropy',
  CategoricalCrossentropy: 'categorical_crossentropy',
  SparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
  KLDivergence: 'kl_divergence',
  Poisson: 'poisson',
  Hinge: 'hinge',
  SquaredHinge: 'squared_hinge',
  CategoricalHinge: 'categorical_hinge',
  Precision: 'precision',
  Recall: 'recall',
  TruePositives: 'true_positives',
  FalsePositives: 'false_positives',
  TrueNegatives: 'true_negatives',
  FalseNegatives: 'false_negatives',
  AUC: 'auc',
  F1Score: 'f1_score',
  FBetaScore: 'fbeta_score',
};

/** What the training loop knows when it resolves 'accuracy' (Keras picks the variant from these). */
export interface AccuracyContext {
  /** The compiled loss takes class indices (sparse_categorical_crossentropy). */
  sparseLabels?: boolean;
  /** The compiled loss is binary cross-entropy. */
  binaryLoss?: boolean;
  yTrueShape?: ShapeLike;
  yPredShape?: ShapeLike;
}

/**
 * 'accuracy' / 'acc' as Keras resolves it: binary when the loss is binary cross-entropy or the
 * output has one unit, sparse when the loss takes class indices or the labels have one value per
 * row, categorical otherwise. The metric keeps the name the user wrote.
 */
export function resolveAccuracy(name: string, context: AccuracyContext): Metric {
  const pred = context.yPredShape;
  const label = context.yTrueShape;
  const units = pred && pred.length > 0 ? pred[pred.length - 1] : null;
  if (context.binaryLoss || units === 1) return new accuracy.BinaryAccuracy({ name });
  const sparseByShape =
    pred !== undefined &&
    label !== undefined &&
    (label.length === pred.length - 1 || (label.length === pred.length && label[label.length - 1] === 1));
  if (context.sparseLabels || sparseByShape) return new accuracy.SparseCategoricalAccuracy({ name });
  return new accuracy.CategoricalAccuracy({ name });
}

export type MetricIdentifier = string | Metric | ((yTrue: Tensor, yPred: Tensor) => Tensor);

/** Names `get` accepts (plus 'accuracy' and 'acc', which need the model's context). */
export function knownMetricNames(): string[] {
  return ['accuracy', 'acc', ...Object.keys(BY_NAME), ...Object.keys(CLASS_NAMES)];
}

/**
 * Resolves a metric: a Keras name ('accuracy', 'mae', 'AUC', 'precision', ...), a Metric
 * (returned as is), or a function (yTrue, yPred) => per-sample values (averaged). Named metrics
 * keep the name as written, as Keras logs them.
 */
export function get(identifier: MetricIdentifier, context: AccuracyContext = {}): Metric {
  if (identifier instanceof Metric) return identifier;
  if (typeof identifier === 'function') return new MeanMetricWrapper(identifier, { name: identifier.name || 'metric' });
  if (typeof identifier === 'string') {
    if (identifier === 'accuracy' || identifier === 'acc') return resolveAccuracy(identifier, context);
    const key = CLASS_NAMES[identifier] ?? identifier;
    const factory = BY_NAME[key];
    if (factory) return factory(identifier);
    throw new Error(
      `Could not interpret metric identifier: '${identifier}'. Known metrics: accuracy, ${Object.keys(BY_NAME).join(', ')}.`,
    );
  }
  throw new Error(`Could not interpret metric identifier: ${String(identifier)}.`);
}

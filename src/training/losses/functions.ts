/**
 * Loss functions as Keras 3 defines them (keras/src/losses/losses.py): each returns one loss
 * per sample (the last axis reduced), unweighted and unreduced. Probabilities are clipped to
 * [epsilon, 1 - epsilon] with Keras's epsilon 1e-7; logits take numerically stable forms.
 */
import { castTo } from '../../ops/engine.js';
import * as ops from '../../ops/index.js';
import { Tensor } from '../../tensor/tensor.js';
import { softmaxCrossEntropyWithLogits } from './fused.js';
import { checkCategoricalLabels, checkSparseLabels, checkSparseLabelValues } from './labels.js';
import { squeezeOrExpandToSameRank } from './reduction.js';

/** Keras's backend.epsilon(). */
export const EPSILON = 1e-7;

export type LossFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

function floats(x: Tensor): Tensor {
  return castTo(x, 'float32');
}

function lastAxisSize(x: Tensor): number {
  return x.shape[x.rank - 1] as number;
}

export interface CrossentropyOptions {
  /** yPred holds logits rather than probabilities. */
  fromLogits?: boolean;
  /** Blends the labels toward uniform: y * (1 - s) + s / classes (binary: + 0.5 * s). */
  labelSmoothing?: number;
}

export function categoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options: CrossentropyOptions = {}): Tensor {
  const name = 'categorical_crossentropy';
  checkCategoricalLabels(name, yTrue.shape, yPred.shape);
  let target = floats(yTrue);
  const smoothing = options.labelSmoothing ?? 0;
  if (smoothing) target = ops.add(ops.mul(target, 1 - smoothing), smoothing / lastAxisSize(yPred));
  if (options.fromLogits) return softmaxCrossEntropyWithLogits(target, yPred);
  return crossentropyFromProbabilities(target, floats(yPred));
}

/** Keras: normalize rows to sum 1, clip to [eps, 1 - eps], -sum(target * log(p)). */
function crossentropyFromProbabilities(target: Tensor, probs: Tensor): Tensor {
  const p = ops.clip(ops.div(probs, ops.sum(probs, -1, true)), EPSILON, 1 - EPSILON);
  return ops.neg(ops.sum(ops.mul(target, ops.log(p)), -1));
}

/**
 * One-hot float rows for integer labels, validated against the class count where they can be read
 * now. A backend that reads only by waiting (a GPU) makes the rows with its own kernel, unread: a
 * label out of range gives a row of zeros there (fit checks in-memory labels before training).
 */
export function oneHotLabels(labels: Tensor, classes: number, lossName: string): Tensor {
  if (!labels.readsSync) return ops.oneHot(labels, classes);
  const values = labels.dataSync();
  checkSparseLabelValues(lossName, values, classes);
  const out = new Float32Array(values.length * classes);
  for (let i = 0; i < values.length; i++) out[i * classes + (values[i] as number)] = 1;
  return new Tensor(out, [...labels.shape, classes]);
}

export interface SparseCrossentropyOptions {
  fromLogits?: boolean;
}

export function sparseCategoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options: SparseCrossentropyOptions = {}): Tensor {
  const name = 'sparse_categorical_crossentropy';
  checkSparseLabels(name, yTrue.shape, yPred.shape);
  let labels = yTrue;
  if (labels.rank === yPred.rank) labels = ops.reshape(labels, labels.shape.slice(0, -1));
  const target = oneHotLabels(labels, lastAxisSize(yPred), name);
  if (options.fromLogits) return softmaxCrossEntropyWithLogits(target, yPred);
  return crossentropyFromProbabilities(target, floats(yPred));
}

export function binaryCrossentropy(yTrue: Tensor, yPred: Tensor, options: CrossentropyOptions = {}): Tensor {
  [yTrue, yPred] = squeezeOrExpandToSameRank(floats(yTrue), yPred);
  let target = yTrue;
  const smoothing = options.labelSmoothing ?? 0;
  if (smoothing) target = ops.add(ops.mul(target, 1 - smoothing), 0.5 * smoothing);
  let elementwise: Tensor;
  if (options.fromLogits) {
    // -t log(sigmoid(z)) - (1 - t) log(sigmoid(-z)) = softplus(z) - t z, stable for any z
    elementwise = ops.sub(ops.softplus(yPred), ops.mul(target, yPred));
  } else {
    const p = ops.clip(floats(yPred), EPSILON, 1 - EPSILON);
    elementwise = ops.neg(ops.add(ops.mul(target, ops.log(p)), ops.mul(ops.sub(1, target), ops.log(ops.sub(1, p)))));
  }
  return ops.mean(elementwise, -1);
}

/** Keras's LossFunctionWrapper lines up ranks before calling regression-style losses. */
function aligned(yTrue: Tensor, yPred: Tensor): [Tensor, Tensor] {
  return squeezeOrExpandToSameRank(floats(yTrue), yPred);
}

export function meanSquaredError(yTrue: Tensor, yPred: Tensor): Tensor {
  [yTrue, yPred] = aligned(yTrue, yPred);
  return ops.mean(ops.squaredDifference(yPred, yTrue), -1);
}

export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor): Tensor {
  [yTrue, yPred] = aligned(yTrue, yPred);
  return ops.mean(ops.abs(ops.sub(yPred, yTrue)), -1);
}

export function meanAbsolutePercentageError(yTrue: Tensor, yPred: Tensor): Tensor {
  [yTrue, yPred] = aligned(yTrue, yPred);
  const diff = ops.abs(ops.div(ops.sub(yTrue, yPred), ops.maximum(ops.abs(yTrue), EPSILON)));
  return ops.mul(ops.mean(diff, -1), 100);
}

export function meanSquaredLogarithmicError(yTrue: Tensor, yPred: Tensor): Tensor {
  [yTrue, yPred] = aligned(yTrue, yPred);
  const first = ops.log(ops.add(ops.maximum(yPred, EPSILON), 1));
  const second = ops.log(ops.add(ops.maximum(yTrue, EPSILON), 1));
  return ops.mean(ops.square(ops.sub(first, second)), -1);
}

/** 0.5 e^2 where |e| <= delta, delta (|e| - 0.5 delta) beyond. */
export function huber(yTrue: Tensor, yPred: Tensor, delta = 1.0): Tensor {
  [yTrue, yPred] = aligned(yTrue, yPred);
  const absError = ops.abs(ops.sub(yPred, yTrue));
  // quadratic = min(|e|, delta): 0.5 q^2 + delta (|e| - q) equals the two branches
  const quadratic = ops.minimum(absError, delta);
  return ops.mean(ops.add(ops.mul(ops.square(quadratic), 0.5), ops.mul(ops.sub(absError, quadratic), delta)), -1);
}

/** log(cosh(e)) computed as e + softplus(-2e) - log(2), stable for large errors. */
export function logCosh(yTrue: Tensor, yPred: Tensor): Tensor {
  [yTrue, yPred] = aligned(yTrue, yPred);
  const e = ops.sub(yPred, yTrue);
  return ops.mean(ops.sub(ops.add(e, ops.softplus(ops.mul(e, -2))), Math.LN2), -1);
}

/** Labels in {0, 1} become {-1, 1}, as Keras's hinge losses expect. */
function hingeLabels(yTrue: Tensor): Tensor {
  const v = yTrue.dataSync();
  for (let i = 0; i < v.length; i++) if (v[i] !== 0 && v[i] !== 1) return yTrue;
  return ops.sub(ops.mul(yTrue, 2), 1);
}

export function hinge(yTrue: Tensor, yPred: Tensor): Tensor {
  [yTrue, yPred] = aligned(yTrue, yPred);
  return ops.mean(ops.relu(ops.sub(1, ops.mul(hingeLabels(yTrue), yPred))), -1);
}

export function squaredHinge(yTrue: Tensor, yPred: Tensor): Tensor {
  [yTrue, yPred] = aligned(yTrue, yPred);
  return ops.mean(ops.square(ops.relu(ops.sub(1, ops.mul(hingeLabels(yTrue), yPred)))), -1);
}

/** max(0, max((1 - y) * p) - sum(y * p) + 1) with one-hot y. */
export function categoricalHinge(yTrue: Tensor, yPred: Tensor): Tensor {
  checkCategoricalLabels('categorical_hinge', yTrue.shape, yPred.shape);
  const y = floats(yTrue);
  const pos = ops.sum(ops.mul(y, yPred), -1);
  const neg = ops.max(ops.mul(ops.sub(1, y), yPred), -1);
  return ops.relu(ops.add(ops.sub(neg, pos), 1));
}

export function klDivergence(yTrue: Tensor, yPred: Tensor): Tensor {
  [yTrue, yPred] = aligned(yTrue, yPred);
  const t = ops.clip(yTrue, EPSILON, 1);
  const p = ops.clip(yPred, EPSILON, 1);
  return ops.sum(ops.mul(t, ops.log(ops.div(t, p))), -1);
}

export function poisson(yTrue: Tensor, yPred: Tensor): Tensor {
  [yTrue, yPred] = aligned(yTrue, yPred);
  return ops.mean(ops.sub(yPred, ops.mul(yTrue, ops.log(ops.add(yPred, EPSILON)))), -1);
}

function l2Normalize(x: Tensor, axis: number): Tensor {
  return ops.mul(x, ops.rsqrt(ops.maximum(ops.sum(ops.square(x), axis, true), 1e-12)));
}

/** -cosine similarity along `axis` (so minimizing it aligns the vectors). */
export function cosineSimilarity(yTrue: Tensor, yPred: Tensor, axis = -1): Tensor {
  [yTrue, yPred] = aligned(yTrue, yPred);
  return ops.neg(ops.sum(ops.mul(l2Normalize(yTrue, axis), l2Normalize(yPred, axis)), axis));
}

/**
 * The accuracy family (keras/src/metrics/accuracy_metrics.py). Each function returns 1 (right)
 * or 0 (wrong) per prediction row (per element for binary accuracy); the classes average them
 * per sample, then over all samples seen. The exact-match family is written with ops, so it runs
 * where the predictions live (no read of the values); the top-k family reads them on the host.
 */
import * as ops from '../../ops/index.js';
import type { TypedArray } from '../../tensor/dtype.js';
import { formatShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { MeanMetricWrapper } from './metric.js';

function lastDim(x: Tensor): number {
  return x.rank === 0 ? 1 : (x.shape[x.rank - 1] as number);
}

function argmaxRows(values: TypedArray, rows: number, cols: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    let bestValue = values[r * cols] as number;
    for (let j = 1; j < cols; j++) {
      const v = values[r * cols + j] as number;
      if (v > bestValue) {
        bestValue = v;
        best = j;
      }
    }
    out[r] = best;
  }
  return out;
}

/** Checks the labels hold one class index per prediction row (a trailing axis of 1 as Keras squeezes it). */
function checkSparseLabels(yTrue: Tensor, yPred: Tensor, fn: string): void {
  const rows = yPred.size / lastDim(yPred);
  if (yTrue.size !== rows) {
    throw new Error(
      `${fn}: labels of shape ${formatShape(yTrue.shape)} do not fit predictions of shape ${formatShape(yPred.shape)}; expected one class index per prediction row.`,
    );
  }
}

/** 1 where a equals b, 0 elsewhere, as float32 (comparisons give int32). */
function matches(a: Tensor, b: Tensor): Tensor {
  return ops.cast(ops.equal(ops.cast(a, 'float32'), ops.cast(b, 'float32')), 'float32');
}

/** Each prediction row's class: the first index of its largest score. */
function predictedClass(yPred: Tensor): Tensor {
  return ops.argmax(yPred, -1);
}

function checkSameShape(yTrue: Tensor, yPred: Tensor, fn: string): void {
  if (yTrue.size !== yPred.size || lastDim(yTrue) !== lastDim(yPred)) {
    throw new Error(
      `${fn}: labels of shape ${formatShape(yTrue.shape)} do not match predictions of shape ${formatShape(yPred.shape)}.`,
    );
  }
}

/** Exact equality per element (Keras's `accuracy` function behind the Accuracy class). */
export function accuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  return elementwiseMatch(yTrue, yPred, 'accuracy', (p) => p);
}

/** 1 where the label equals (prediction > threshold), per element; Mean averages each sample's elements. */
export function binaryAccuracy(yTrue: Tensor, yPred: Tensor, threshold = 0.5): Tensor {
  return elementwiseMatch(yTrue, yPred, 'binary_accuracy', (p) => ops.greater(p, threshold));
}

/** The labels against `predicted(yPred)`, element by element, in the shape of the higher-rank one. */
function elementwiseMatch(yTrue: Tensor, yPred: Tensor, fn: string, predicted: (p: Tensor) => Tensor): Tensor {
  // ranks may differ by a trailing axis of 1 ([batch] labels for [batch, 1] predictions)
  if (yTrue.size !== yPred.size) {
    throw new Error(
      `${fn}: labels of shape ${formatShape(yTrue.shape)} do not match predictions of shape ${formatShape(yPred.shape)}.`,
    );
  }
  const shape = yPred.rank >= yTrue.rank ? yPred.shape : yTrue.shape;
  return matches(ops.reshape(yTrue, shape), ops.reshape(predicted(yPred), shape));
}

export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  checkSameShape(yTrue, yPred, 'categorical_accuracy');
  return matches(ops.argmax(yTrue, -1), predictedClass(yPred));
}

export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  checkSparseLabels(yTrue, yPred, 'sparse_categorical_accuracy');
  const rows = yPred.shape.slice(0, -1);
  return matches(ops.reshape(yTrue, rows), predictedClass(yPred));
}

/** Whether the label's score ranks within the top k: 1 + (number of strictly larger scores) <= k. NaN scores never win. */
function inTopK(scores: TypedArray, rows: number, cols: number, labels: ArrayLike<number>, k: number): Float32Array {
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const label = labels[r] as number;
    let target = scores[r * cols + label] as number;
    if (Number.isNaN(target)) target = -Infinity;
    let rank = 1;
    for (let j = 0; j < cols; j++) if ((scores[r * cols + j] as number) > target) rank++;
    out[r] = rank <= k ? 1 : 0;
  }
  return out;
}

export function topKCategoricalAccuracy(yTrue: Tensor, yPred: Tensor, k = 5): Tensor {
  checkSameShape(yTrue, yPred, 'top_k_categorical_accuracy');
  const cols = lastDim(yPred);
  const rows = yPred.size / cols;
  const labels = argmaxRows(yTrue.dataSync(), rows, cols);
  return new Tensor(inTopK(yPred.dataSync(), rows, cols, labels, k), yPred.shape.slice(0, -1));
}

export function sparseTopKCategoricalAccuracy(yTrue: Tensor, yPred: Tensor, k = 5): Tensor {
  checkSparseLabels(yTrue, yPred, 'sparse_top_k_categorical_accuracy');
  const labels = yTrue.dataSync();
  const cols = lastDim(yPred);
  const rows = yPred.size / cols;
  return new Tensor(inTopK(yPred.dataSync(), rows, cols, labels, k), yPred.shape.slice(0, -1));
}

export class Accuracy extends MeanMetricWrapper {
  constructor(options: { name?: string } = {}) {
    super(accuracy, { name: options.name ?? 'accuracy' }, 'up');
  }
}

export class BinaryAccuracy extends MeanMetricWrapper {
  readonly threshold: number;
  constructor(options: { name?: string; threshold?: number } = {}) {
    const threshold = options.threshold ?? 0.5;
    super((t, p) => binaryAccuracy(t, p, threshold), { name: options.name ?? 'binary_accuracy' }, 'up');
    this.threshold = threshold;
  }
  override getConfig() {
    return { ...super.getConfig(), threshold: this.threshold };
  }
}

export class CategoricalAccuracy extends MeanMetricWrapper {
  constructor(options: { name?: string } = {}) {
    super(categoricalAccuracy, { name: options.name ?? 'categorical_accuracy' }, 'up');
  }
}

export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  constructor(options: { name?: string } = {}) {
    super(sparseCategoricalAccuracy, { name: options.name ?? 'sparse_categorical_accuracy' }, 'up');
  }
}

export class TopKCategoricalAccuracy extends MeanMetricWrapper {
  readonly k: number;
  constructor(options: { name?: string; k?: number } = {}) {
    const k = options.k ?? 5;
    super((t, p) => topKCategoricalAccuracy(t, p, k), { name: options.name ?? 'top_k_categorical_accuracy' }, 'up');
    this.k = k;
  }
  override getConfig() {
    return { ...super.getConfig(), k: this.k };
  }
}

export class SparseTopKCategoricalAccuracy extends MeanMetricWrapper {
  readonly k: number;
  constructor(options: { name?: string; k?: number } = {}) {
    const k = options.k ?? 5;
    super((t, p) => sparseTopKCategoricalAccuracy(t, p, k), { name: options.name ?? 'sparse_top_k_categorical_accuracy' }, 'up');
    this.k = k;
  }
  override getConfig() {
    return { ...super.getConfig(), k: this.k };
  }
}

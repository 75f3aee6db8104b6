/**
 * In-memory data for fit / evaluate / predict: validation of x / y / sampleWeight, the
 * validation split, class weights, and batches cut from the tensors (zero-copy views when the
 * order is sequential, gathered rows when shuffled).
 */

import type { Model } from '../models/functional.js';
import * as ops from '../ops/index.js';
import { shuffledIndices } from '../tensor/random.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { type DataSlots, structuredToTensors } from './array-data.js';
import type { Batch, BatchInput, BatchSlots } from './batch-source.js';

/** The data as one Tensor per model input (output): see array-data.ts for the forms accepted. */
export function toTensorList(value: BatchInput, what: string, where: string, slots?: DataSlots): Tensor[] {
  return structuredToTensors(value, what, where, slots);
}

/** How a model's inputs take data: by its input names, flat typed arrays reshaped to its input shapes. */
export function inputSlots(model: Model): DataSlots {
  return { role: 'inputs', names: model.inputNames, shapes: model.inputs.map((t) => t.shape) };
}

/** Both, for the batches a data iterator yields. */
export function batchSlots(model: Model): BatchSlots {
  return { inputs: inputSlots(model), targets: targetSlots(model) };
}

/** How a model's targets are matched: by its output names. */
export function targetSlots(model: Model): DataSlots {
  return { role: 'outputs', names: model.outputNames };
}

/** Checks every array has the same number of samples (Keras's "data cardinality" check). */
export function checkCardinality(where: string, groups: { name: string; tensors: Tensor[] }[]): number {
  const sizes = groups.flatMap((g) =>
    g.tensors.map((t, i) => ({ name: g.tensors.length > 1 ? `${g.name}[${i}]` : g.name, n: t.shape[0] as number })),
  );
  const n = sizes[0]?.n ?? 0;
  if (sizes.some((s) => s.n !== n)) {
    throw new Error(
      `${where}: data cardinality is ambiguous; all arrays must contain the same number of samples (first axis). ${sizes.map((s) => `'${s.name}' sizes: ${s.n}`).join(', ')}.`,
    );
  }
  // Keras refuses empty data too; a loop over no batches would report a loss of 0.
  if (n === 0) throw new Error(`${where}: expected input data to be non-empty; '${sizes[0]?.name}' has 0 samples (first axis).`);
  return n;
}

/**
 * Rows [start, end) in order (a view, no copy) or the rows listed in `order`. Data a backend holds
 * that cannot be read synchronously (a GPU) is cut there, by its own slice and gather.
 */
export function takeRows(t: Tensor, start: number, end: number, order: Int32Array | null): Tensor {
  if (!t.readsSync) {
    return order === null ? ops.slice(t, start, end - start) : ops.gather(t, Array.from(order.subarray(start, end)));
  }
  const rowSize = t.shape.slice(1).reduce((p, d) => p * d, 1);
  const shape = [end - start, ...t.shape.slice(1)];
  const values = t.dataSync();
  if (order === null) return new Tensor(values.subarray(start * rowSize, end * rowSize), shape);
  const out = values instanceof Int32Array ? new Int32Array((end - start) * rowSize) : new Float32Array((end - start) * rowSize);
  for (let i = start; i < end; i++) {
    const row = order[i] as number;
    out.set(values.subarray(row * rowSize, (row + 1) * rowSize), (i - start) * rowSize);
  }
  return new Tensor(out, shape);
}

/** Keras's class_weight: one weight per sample from its label (argmax of one-hot rows, else the rounded value). */
export function classWeightToSampleWeight(y: Tensor, classWeight: Readonly<Record<number, number>>, where: string): Tensor {
  const cols = y.rank > 1 ? (y.shape[y.rank - 1] as number) : 1;
  const n = y.shape[0] as number;
  const perSample = y.size / n;
  if (cols > 1 && perSample !== cols)
    throw new Error(
      `${where}: classWeight supports labels of shape [samples] or [samples, classes]; received ${formatShape(y.shape)}.`,
    );
  const values = y.dataSync();
  const out = new Float32Array(n);
  for (let s = 0; s < n; s++) {
    let label: number;
    if (cols > 1) {
      label = 0;
      for (let j = 1; j < cols; j++) if ((values[s * cols + j] as number) > (values[s * cols + label] as number)) label = j;
    } else {
      label = Math.round(values[s] as number);
    }
    const w = classWeight[label];
    if (w === undefined) {
      throw new Error(
        `${where}: classWeight has no entry for class ${label}; give a weight for every class (received classes ${Object.keys(classWeight).join(', ')}).`,
      );
    }
    out[s] = w;
  }
  return new Tensor(out, [n]);
}

/** Batches over tensors held in memory. */
export class TensorBatches {
  readonly samples: number;
  readonly steps: number;

  constructor(
    readonly xs: Tensor[],
    readonly ys: Tensor[],
    readonly sampleWeight: Tensor | null,
    readonly batchSize: number,
  ) {
    this.samples = xs[0]?.shape[0] as number;
    this.steps = Math.ceil(this.samples / batchSize);
  }

  /** A new sample order for an epoch (null = in order). */
  epochOrder(shuffle: boolean): Int32Array | null {
    return shuffle ? shuffledIndices(this.samples) : null;
  }

  batch(step: number, order: Int32Array | null): Batch {
    const start = step * this.batchSize;
    const end = Math.min(this.samples, start + this.batchSize);
    return {
      xs: this.xs.map((t) => takeRows(t, start, end, order)),
      ys: this.ys.map((t) => takeRows(t, start, end, order)),
      sampleWeight: this.sampleWeight ? takeRows(this.sampleWeight, start, end, order) : null,
    };
  }
}

/** Keras's validation_split: the last fraction of the samples, taken before any shuffling. */
export function splitForValidation(
  xs: Tensor[],
  ys: Tensor[],
  sampleWeight: Tensor | null,
  fraction: number,
  where: string,
): { train: [Tensor[], Tensor[], Tensor | null]; validation: [Tensor[], Tensor[], Tensor | null] } {
  if (!(fraction > 0 && fraction < 1)) throw new Error(`${where}: validationSplit must be in (0, 1), received ${fraction}.`);
  const n = xs[0]?.shape[0] as number;
  const splitAt = Math.floor(n * (1 - fraction));
  if (splitAt === 0 || splitAt === n) {
    throw new Error(
      `${where}: validationSplit=${fraction} leaves ${splitAt === 0 ? 'no training' : 'no validation'} samples out of ${n}.`,
    );
  }
  const cut = (t: Tensor, a: number, b: number) => takeRows(t, a, b, null);
  return {
    train: [
      xs.map((t) => cut(t, 0, splitAt)),
      ys.map((t) => cut(t, 0, splitAt)),
      sampleWeight ? cut(sampleWeight, 0, splitAt) : null,
    ],
    validation: [
      xs.map((t) => cut(t, splitAt, n)),
      ys.map((t) => cut(t, splitAt, n)),
      sampleWeight ? cut(sampleWeight, splitAt, n) : null,
    ],
  };
}

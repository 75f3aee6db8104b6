/** Selecting by index: gather along an axis, and one-hot encoding. */
import { record } from '../autograd/record.js';
import { checkDType, type DType } from '../tensor/dtype.js';
import { formatShape, normalizeAxis } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { alloc, allocZeros, backendFor, castTo, describe, fromValues, output } from './engine.js';

/**
 * Indices as int32, from a tensor (int32, or float32 holding integers) or a number array. Each is
 * checked against [0, size) as a number, before the int32 conversion could wrap it (2^32 would
 * become 0): `outOfRange` either throws or maps the index to -1 (which oneHot turns into an off row).
 */
function indexValues(
  indices: Tensor | readonly number[],
  op: string,
  size: number,
  outOfRange: (index: number, position: number) => void,
): { values: Int32Array; shape: number[] } {
  const t = indices instanceof Tensor ? indices : Array.isArray(indices) ? null : undefined;
  if (t === undefined) throw new Error(`${op}: indices must be a Tensor or an array of integers, received ${describe(indices)}.`);
  const v: ArrayLike<number> = t ? t.dataSync() : (indices as readonly number[]);
  const values = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const k = v[i] as number;
    if (typeof k !== 'number' || !Number.isInteger(k))
      throw new Error(`${op}: indices must be integers, found ${k} at position ${i}.`);
    if (k < 0 || k >= size) {
      outOfRange(k, i);
      values[i] = -1;
    } else values[i] = k;
  }
  return { values, shape: t ? t.shape : [v.length] };
}

/**
 * Takes slices of x along `axis` at `indices` (any shape): the result has shape
 * x.shape[:axis] + indices.shape + x.shape[axis+1:] (tf.gather). Differentiable in x.
 */
export function gather(x: Tensor, indices: Tensor | readonly number[], axis = 0): Tensor {
  if (!(x instanceof Tensor)) throw new Error(`gather: argument 'x' must be a Tensor, received ${describe(x)}.`);
  const a = normalizeAxis(axis, x.rank, 'gather');
  const n = x.shape[a] as number;
  const idx = indexValues(indices, 'gather', n, (k) => {
    throw new Error(`gather: index ${k} is out of range for axis ${a} of size ${n} (x shape ${formatShape(x.shape)}).`);
  });
  const flat = idx.values;
  const kernelShape = [...x.shape.slice(0, a), flat.length, ...x.shape.slice(a + 1)];
  const shape = [...x.shape.slice(0, a), ...idx.shape, ...x.shape.slice(a + 1)];
  const be = backendFor('gather', x);
  const index = fromValues(flat, [flat.length]);
  const out = alloc(be, x.dtype, kernelShape);
  be.gather(x.storage, x.shape, index.storage, a, out);
  return record('gather', output(be, out, shape, x.dtype), [x], (dy) => {
    const bg = backendFor('gather gradient', dy, index);
    const dx = allocZeros(bg, 'float32', x.shape);
    bg.scatterAdd(castTo(dy, 'float32').storage, index.storage, a, dx, x.shape);
    return [output(bg, dx, x.shape, 'float32')];
  });
}

export interface OneHotOptions {
  onValue?: number;
  offValue?: number;
  /** float32 by default (what losses consume). */
  dtype?: DType;
}

/**
 * indices (any shape) to indices.shape + [depth]; out-of-range indices give an all-off row. Indices
 * a backend cannot read synchronously (a GPU's) go to its kernel as they are, cast to int32, unread.
 */
export function oneHot(indices: Tensor | readonly number[], depth: number, options: OneHotOptions = {}): Tensor {
  if (!Number.isInteger(depth) || depth < 1) throw new Error(`oneHot: depth must be a positive integer, received ${depth}.`);
  const { onValue = 1, offValue = 0, dtype = 'float32' } = options;
  checkDType(dtype, 'oneHot');
  let index: Tensor;
  let indexShape: readonly number[];
  if (indices instanceof Tensor && !indices.readsSync) {
    index = castTo(indices, 'int32');
    indexShape = indices.shape;
  } else {
    const idx = indexValues(indices, 'oneHot', depth, () => {});
    index = fromValues(idx.values, [idx.values.length]);
    indexShape = idx.shape;
  }
  const shape = [...indexShape, depth];
  const be = backendFor('oneHot', index);
  const out = alloc(be, dtype, shape);
  be.oneHot(index.storage, depth, onValue, offValue, out);
  return output(be, out, shape, dtype);
}

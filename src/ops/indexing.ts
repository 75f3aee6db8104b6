/** Selecting by index: gather along an axis, and one-hot encoding. */
import { record } from '../autograd/record.js';
import type { DType } from '../tensor/dtype.js';
import { formatShape, normalizeAxis } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { alloc, allocZeros, backend, castTo, describe } from './engine.js';

/** Indices as int32, from a tensor (int32, or float32 holding integers) or a number array. */
function indexValues(indices: Tensor | readonly number[], op: string): Tensor {
  const t =
    indices instanceof Tensor ? indices : Array.isArray(indices) ? new Tensor(Int32Array.from(indices), [indices.length]) : null;
  if (t === null) throw new Error(`${op}: indices must be a Tensor or an array of integers, received ${describe(indices)}.`);
  if (t.dtype === 'int32') return t;
  const v = t.dataSync();
  for (let i = 0; i < v.length; i++) {
    if (!Number.isInteger(v[i])) throw new Error(`${op}: indices must be integers, found ${v[i]} at position ${i}.`);
  }
  return castTo(t, 'int32');
}

/**
 * Takes slices of x along `axis` at `indices` (any shape): the result has shape
 * x.shape[:axis] + indices.shape + x.shape[axis+1:] (tf.gather). Differentiable in x.
 */
export function gather(x: Tensor, indices: Tensor | readonly number[], axis = 0): Tensor {
  if (!(x instanceof Tensor)) throw new Error(`gather: argument 'x' must be a Tensor, received ${describe(x)}.`);
  const a = normalizeAxis(axis, x.rank, 'gather');
  const idx = indexValues(indices, 'gather');
  const flat = idx.dataSync() as Int32Array;
  const n = x.shape[a] as number;
  for (let i = 0; i < flat.length; i++) {
    const k = flat[i] as number;
    if (k < 0 || k >= n) {
      throw new Error(`gather: index ${k} is out of range for axis ${a} of size ${n} (x shape ${formatShape(x.shape)}).`);
    }
  }
  const kernelShape = [...x.shape.slice(0, a), flat.length, ...x.shape.slice(a + 1)];
  const shape = [...x.shape.slice(0, a), ...idx.shape, ...x.shape.slice(a + 1)];
  const out = alloc(x.dtype, kernelShape);
  backend().gather(x.dataSync(), x.shape, flat, a, out);
  return record('gather', new Tensor(out, shape), [x], (dy) => {
    const dx = allocZeros('float32', x.shape);
    backend().scatterAdd(castTo(dy, 'float32').dataSync(), flat, a, dx, x.shape);
    return [new Tensor(dx, x.shape)];
  });
}

export interface OneHotOptions {
  onValue?: number;
  offValue?: number;
  /** float32 by default (what losses consume). */
  dtype?: DType;
}

/** indices (any shape) to indices.shape + [depth]; out-of-range indices give an all-off row. */
export function oneHot(indices: Tensor | readonly number[], depth: number, options: OneHotOptions = {}): Tensor {
  if (!Number.isInteger(depth) || depth < 1) throw new Error(`oneHot: depth must be a positive integer, received ${depth}.`);
  const idx = indexValues(indices, 'oneHot');
  const { onValue = 1, offValue = 0, dtype = 'float32' } = options;
  const shape = [...idx.shape, depth];
  const out = alloc(dtype, shape);
  backend().oneHot(idx.dataSync() as Int32Array, depth, onValue, offValue, out);
  return new Tensor(out, shape);
}

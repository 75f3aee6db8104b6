/** Reductions over any set of axes, with keepDims, and their gradients. */
import { record } from '../autograd/record.js';
import type { ReduceOp } from '../backend/backend.js';
import { normalizeAxes, normalizeAxis } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { binaryForward, div, mul, sub } from './arithmetic.js';
import { alloc, allocF32, allocZeros, backend, castTo, expectTensor } from './engine.js';
import { exp, log } from './unary.js';

export type Axes = number | readonly number[];

function reducedShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  return keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

/** Forward only: reduces then reshapes to keepDims when asked. */
export function reduceForward(op: ReduceOp, x: Tensor, axes: readonly number[], keepDims: boolean): Tensor {
  const input = op === 'mean' ? castTo(x, 'float32') : x;
  const shape = reducedShape(x.shape, axes, keepDims);
  const out = alloc(input.dtype, shape);
  backend().reduce(op, input.dataSync(), input.shape, axes, out);
  return new Tensor(out, shape);
}

/** dy reshaped to keepDims form and broadcast back over the reduced axes. */
function expandGrad(dy: Tensor, shape: readonly number[], axes: readonly number[]): Tensor {
  const kept = new Tensor(dy.dataSync(), reducedShape(shape, axes, true));
  return binaryForward('add', kept, new Tensor(allocZeros('float32', shape), shape));
}

export function sum(x: Tensor, axis?: Axes, keepDims = false): Tensor {
  expectTensor(x, 'sum');
  const axes = normalizeAxes(axis, x.rank, 'sum');
  const out = reduceForward('sum', x, axes, keepDims);
  return record('sum', out, [x], (dy) => [expandGrad(dy, x.shape, axes)]);
}

export function mean(x: Tensor, axis?: Axes, keepDims = false): Tensor {
  expectTensor(x, 'mean');
  const axes = normalizeAxes(axis, x.rank, 'mean');
  const out = reduceForward('mean', x, axes, keepDims);
  const count = axes.reduce((p, a) => p * (x.shape[a] as number), 1);
  return record('mean', out, [x], (dy) => [div(expandGrad(dy, x.shape, axes), count)]);
}

function extremum(op: 'max' | 'min', x: Tensor, axis: Axes | undefined, keepDims: boolean): Tensor {
  expectTensor(x, op);
  const axes = normalizeAxes(axis, x.rank, op);
  const out = reduceForward(op, x, axes, keepDims);
  return record(op, out, [x], (dy) => {
    // Ties share the gradient equally (PyTorch's amax/amin, TensorFlow's reduce_max).
    const best = expandGrad(castTo(out, 'float32'), x.shape, axes);
    const mask = allocF32(x.shape);
    const xv = x.dataSync();
    const bv = best.dataSync();
    for (let i = 0; i < mask.length; i++) mask[i] = xv[i] === bv[i] ? 1 : 0;
    const maskT = new Tensor(mask, x.shape);
    const counts = expandGrad(reduceForward('sum', maskT, axes, true), x.shape, axes);
    return [div(mul(maskT, expandGrad(dy, x.shape, axes)), counts)];
  });
}

export function max(x: Tensor, axis?: Axes, keepDims = false): Tensor {
  return extremum('max', x, axis, keepDims);
}

export function min(x: Tensor, axis?: Axes, keepDims = false): Tensor {
  return extremum('min', x, axis, keepDims);
}

function argReduce(op: 'argmax' | 'argmin', x: Tensor, axis: number): Tensor {
  expectTensor(x, op);
  const a = normalizeAxis(axis, x.rank, op);
  // TensorFlow refuses this too; any index returned would point at nothing.
  if (x.shape[a] === 0) throw new Error(`${op}: axis ${a} of shape [${x.shape}] is empty: there is no index to return.`);
  const shape = x.shape.filter((_, i) => i !== a);
  const out = alloc('int32', shape) as Int32Array;
  backend().argReduce(op, x.dataSync(), x.shape, a, out);
  return new Tensor(out, shape);
}

/** Index of the largest value along `axis` (default last), int32. */
export function argmax(x: Tensor, axis = -1): Tensor {
  return argReduce('argmax', x, axis);
}

export function argmin(x: Tensor, axis = -1): Tensor {
  return argReduce('argmin', x, axis);
}

/** log(sum(exp(x))) computed stably by subtracting the max. */
export function logSumExp(x: Tensor, axis?: Axes, keepDims = false): Tensor {
  expectTensor(x, 'logSumExp');
  const axes = normalizeAxes(axis, x.rank, 'logSumExp');
  const m = reduceForward('max', castTo(x, 'float32'), axes, true);
  const mv = m.dataSync();
  for (let i = 0; i < mv.length; i++) if (!Number.isFinite(mv[i] as number)) mv[i] = 0;
  const shifted = sub(x, m);
  const s = log(sum(exp(shifted), axes, true));
  const out = binaryForward('add', s, m);
  const result = record('logSumExp', out, [s], (dy) => [dy]);
  return keepDims ? result : reshapeTo(result, reducedShape(x.shape, axes, false));
}

function reshapeTo(x: Tensor, shape: number[]): Tensor {
  const out = new Tensor(x.dataSync(), shape);
  return record('reshape', out, [x], (dy) => [new Tensor(dy.dataSync(), x.shape)]);
}

/** Biased variance (divides by N), like Keras's `ops.var` and TensorFlow's `reduce_variance`. */
export function variance(x: Tensor, axis?: Axes, keepDims = false): Tensor {
  expectTensor(x, 'variance');
  const axes = normalizeAxes(axis, x.rank, 'variance');
  const centered = sub(x, mean(x, axes, true));
  return mean(mul(centered, centered), axes, keepDims);
}

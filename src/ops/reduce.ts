/** Reductions over any set of axes, with keepDims, and their gradients. */
import { record } from '../autograd/record.js';
import type { ReduceOp } from '../backend/backend.js';
import { normalizeAxes, normalizeAxis } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { binaryForward, div, mul, sub } from './arithmetic.js';
import { alloc, allocZeros, backendFor, castTo, expectTensor, fromValues, output } from './engine.js';
import { exp, log } from './unary.js';

export type Axes = number | readonly number[];

function reducedShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  return keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

/** Forward only: reduces then reshapes to keepDims when asked. */
export function reduceForward(op: ReduceOp, x: Tensor, axes: readonly number[], keepDims: boolean): Tensor {
  const input = op === 'mean' ? castTo(x, 'float32') : x;
  const shape = reducedShape(x.shape, axes, keepDims);
  const be = backendFor(op, input);
  const out = alloc(be, input.dtype, shape);
  be.reduce(op, input.storage, input.shape, axes, out);
  return output(be, out, shape, input.dtype);
}

/** dy reshaped to keepDims form and broadcast back over the reduced axes. */
function expandGrad(dy: Tensor, shape: readonly number[], axes: readonly number[]): Tensor {
  const kept = viewAs(dy, reducedShape(shape, axes, true));
  const be = backendFor('reduce gradient', dy);
  return binaryForward('add', kept, output(be, allocZeros(be, 'float32', shape), shape, 'float32'));
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
    const fx = castTo(x, 'float32');
    const be = backendFor(`${op} gradient`, fx, best);
    const hits = alloc(be, 'int32', x.shape);
    be.compare('equal', fx.storage, x.shape, best.storage, x.shape, hits, x.shape);
    const maskT = castTo(output(be, hits, x.shape, 'int32'), 'float32');
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
  const be = backendFor(op, x);
  const out = alloc(be, 'int32', shape);
  be.argReduce(op, x.storage, x.shape, a, out);
  return output(be, out, shape, 'int32');
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
  const m = finiteOrZero(reduceForward('max', castTo(x, 'float32'), axes, true));
  const shifted = sub(x, m);
  const s = log(sum(exp(shifted), axes, true));
  const out = binaryForward('add', s, m);
  const result = record('logSumExp', out, [s], (dy) => [dy]);
  return keepDims ? result : reshapeTo(result, reducedShape(x.shape, axes, false));
}

/** m where it is finite, else 0 (an all -Infinity slice shifts by nothing). */
function finiteOrZero(m: Tensor): Tensor {
  const be = backendFor('logSumExp', m);
  // m - m is 0 exactly where m is finite (NaN for ±Infinity and NaN).
  const diff = alloc(be, 'float32', m.shape);
  be.binary('sub', m.storage, m.shape, m.storage, m.shape, diff, m.shape);
  const zero = fromValues(new Float32Array(1), []).storage;
  const finite = alloc(be, 'int32', m.shape);
  be.compare('equal', diff, m.shape, zero, [], finite, m.shape);
  const out = alloc(be, 'float32', m.shape);
  be.select(finite, m.shape, m.storage, m.shape, zero, [], out, m.shape);
  return output(be, out, m.shape, 'float32');
}

/** The same storage under another shape of the same size (no copy, no history). */
function viewAs(x: Tensor, shape: readonly number[]): Tensor {
  return new Tensor(x.storage, shape, x.owner, x.dtype);
}

function reshapeTo(x: Tensor, shape: number[]): Tensor {
  return record('reshape', viewAs(x, shape), [x], (dy) => [viewAs(dy, x.shape)]);
}

/** Biased variance (divides by N), like Keras's `ops.var` and TensorFlow's `reduce_variance`. */
export function variance(x: Tensor, axis?: Axes, keepDims = false): Tensor {
  expectTensor(x, 'variance');
  const axes = normalizeAxes(axis, x.rank, 'variance');
  const centered = sub(x, mean(x, axes, true));
  return mean(mul(centered, centered), axes, keepDims);
}

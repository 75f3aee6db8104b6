/** Comparisons and logic (int32 0/1 results, not differentiable), where, and cast. */
import { record } from '../autograd/record.js';
import type { CompareOp } from '../backend/backend.js';
import { type DType, upcast } from '../tensor/dtype.js';
import { broadcastShapes } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import {
  alloc,
  asTensor,
  backendFor,
  castTo,
  describe,
  expectTensor,
  fromValues,
  output,
  type TensorLike,
  unbroadcast,
} from './engine.js';

function operands(a: TensorLike, b: TensorLike, op: string): [Tensor, Tensor] {
  if (typeof a !== 'number') expectTensor(a, op, 'a');
  if (typeof b !== 'number') expectTensor(b, op, 'b');
  const ta = asTensor(a, b instanceof Tensor ? b : undefined);
  const tb = asTensor(b, ta);
  const dtype = upcast(ta.dtype, tb.dtype);
  return [castTo(ta, dtype), castTo(tb, dtype)];
}

function comparison(op: CompareOp, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, op);
  const shape = broadcastShapes(x.shape, y.shape, op);
  const be = backendFor(op, x, y);
  const out = alloc(be, 'int32', shape);
  be.compare(op, x.storage, x.shape, y.storage, y.shape, out, shape);
  return output(be, out, shape, 'int32');
}

export const equal = (a: TensorLike, b: TensorLike): Tensor => comparison('equal', a, b);
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => comparison('notEqual', a, b);
export const less = (a: TensorLike, b: TensorLike): Tensor => comparison('less', a, b);
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => comparison('lessEqual', a, b);
export const greater = (a: TensorLike, b: TensorLike): Tensor => comparison('greater', a, b);
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => comparison('greaterEqual', a, b);
/** Nonzero is true. */
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => comparison('logicalAnd', a, b);
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => comparison('logicalOr', a, b);
export const logicalNot = (x: Tensor): Tensor => comparison('equal', expectTensor(x, 'logicalNot'), 0);

/** Elementwise choice: a where cond is nonzero, else b; all three broadcast together. */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  expectTensor(cond, 'where', 'cond');
  const [x, y] = operands(a, b, 'where');
  const shape = broadcastShapes(broadcastShapes(cond.shape, x.shape, 'where'), y.shape, 'where');
  const be = backendFor('where', cond, x, y);
  const out = alloc(be, x.dtype, shape);
  const c = cond.storage;
  be.select(c, cond.shape, x.storage, x.shape, y.storage, y.shape, out, shape);
  return record('where', output(be, out, shape, x.dtype), [x, y], (dy) => {
    const bg = backendFor('where gradient', cond, dy);
    const g = castTo(dy, 'float32').storage;
    const zero = fromValues(new Float32Array(1), []).storage;
    const da = alloc(bg, 'float32', dy.shape);
    const db = alloc(bg, 'float32', dy.shape);
    bg.select(c, cond.shape, g, dy.shape, zero, [], da, dy.shape);
    bg.select(c, cond.shape, zero, [], g, dy.shape, db, dy.shape);
    return [unbroadcast(output(bg, da, dy.shape, 'float32'), x.shape), unbroadcast(output(bg, db, dy.shape, 'float32'), y.shape)];
  });
}

/** Converts to another dtype (float to int truncates toward zero). The gradient passes through float casts. */
export function cast(x: Tensor, dtype: DType): Tensor {
  expectTensor(x, 'cast');
  if (dtype !== 'float32' && dtype !== 'int32') {
    throw new Error(`cast: dtype must be 'float32' or 'int32', received ${describe(dtype)} ${JSON.stringify(dtype)}.`);
  }
  if (x.dtype === dtype) return x;
  const out = castTo(x, dtype);
  return dtype === 'float32' ? record('cast', out, [x], (dy) => [dy]) : out;
}

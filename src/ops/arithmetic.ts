/** Broadcasting binary arithmetic, each op's backward beside its forward. */
import { record } from '../autograd/record.js';
import type { BinaryOp } from '../backend/backend.js';
import { upcast } from '../tensor/dtype.js';
import { broadcastShapes } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { alloc, asTensor, backendFor, castTo, expectTensor, fromValues, output, type TensorLike, unbroadcast } from './engine.js';

/** Forward of a broadcasting binary op (no gradient). */
export function binaryForward(op: BinaryOp, a: Tensor, b: Tensor, name: string = op): Tensor {
  const dtype = upcast(a.dtype, b.dtype);
  const x = castTo(a, dtype);
  const y = castTo(b, dtype);
  const shape = broadcastShapes(x.shape, y.shape, name);
  const be = backendFor(name, x, y);
  const out = alloc(be, dtype, shape);
  be.binary(op, x.storage, x.shape, y.storage, y.shape, out, shape);
  return output(be, out, shape, dtype);
}

function operands(a: TensorLike, b: TensorLike, op: string): [Tensor, Tensor] {
  if (typeof a !== 'number') expectTensor(a, op, 'a');
  if (typeof b !== 'number') expectTensor(b, op, 'b');
  const ta = asTensor(a, b instanceof Tensor ? b : undefined);
  const tb = asTensor(b, ta);
  return [ta, tb];
}

export function add(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, 'add');
  const out = binaryForward('add', x, y);
  return record('add', out, [x, y], (dy) => [unbroadcast(dy, x.shape), unbroadcast(dy, y.shape)]);
}

export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, 'sub');
  const out = binaryForward('sub', x, y);
  return record('sub', out, [x, y], (dy) => [unbroadcast(dy, x.shape), unbroadcast(neg(dy), y.shape)]);
}

export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, 'mul');
  const out = binaryForward('mul', x, y);
  return record('mul', out, [x, y], (dy) => [unbroadcast(mul(dy, y), x.shape), unbroadcast(mul(dy, x), y.shape)]);
}

export function div(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, 'div');
  const out = binaryForward('div', x, y);
  return record('div', out, [x, y], (dy) => [
    unbroadcast(div(dy, y), x.shape),
    // d(x/y)/dy = -x / y^2 = -out / y
    unbroadcast(neg(div(mul(dy, out), y)), y.shape),
  ]);
}

export function pow(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, 'pow');
  const out = binaryForward('pow', x, y);
  return record('pow', out, [x, y], (dy) => [
    unbroadcast(mul(dy, mul(y, binaryForward('pow', x, binaryForward('sub', y, asTensor(1))))), x.shape),
    // d/dy x^y = x^y * log(x), taken as 0 where x <= 0 (as TensorFlow does)
    y.requiresGrad ? unbroadcast(mul(dy, mul(out, safeLog(x))), y.shape) : null,
  ]);
}

/** log(x) where x > 0, else 0. */
function safeLog(x: Tensor): Tensor {
  const fx = castTo(x, 'float32');
  const be = backendFor('pow gradient', fx);
  const logs = alloc(be, 'float32', x.shape);
  be.unary('log', fx.storage, logs, 0, 0);
  const zero = fromValues(new Float32Array(1), []).storage;
  const positive = alloc(be, 'int32', x.shape);
  be.compare('greater', fx.storage, x.shape, zero, [], positive, x.shape);
  const out = alloc(be, 'float32', x.shape);
  be.select(positive, x.shape, logs, x.shape, zero, [], out, x.shape);
  return output(be, out, x.shape, 'float32');
}

/** Gradient goes to the larger operand (to `a` on ties, as TensorFlow does). */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, 'maximum');
  const out = binaryForward('maximum', x, y);
  return record('maximum', out, [x, y], (dy) => {
    const takeA = compareMask('greaterEqual', x, y);
    return [unbroadcast(mul(dy, takeA), x.shape), unbroadcast(mul(dy, sub(1, takeA)), y.shape)];
  });
}

export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, 'minimum');
  const out = binaryForward('minimum', x, y);
  return record('minimum', out, [x, y], (dy) => {
    const takeA = compareMask('lessEqual', x, y);
    return [unbroadcast(mul(dy, takeA), x.shape), unbroadcast(mul(dy, sub(1, takeA)), y.shape)];
  });
}

/** A float32 0/1 mask of a comparison, broadcast. */
function compareMask(op: 'greaterEqual' | 'lessEqual', x: Tensor, y: Tensor): Tensor {
  const shape = broadcastShapes(x.shape, y.shape, op);
  const be = backendFor(op, x, y);
  const mask = alloc(be, 'int32', shape);
  const fx = castTo(x, 'float32');
  const fy = castTo(y, 'float32');
  be.compare(op, fx.storage, fx.shape, fy.storage, fy.shape, mask, shape);
  return castTo(output(be, mask, shape, 'int32'), 'float32');
}

export function squaredDifference(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, 'squaredDifference');
  const out = binaryForward('squaredDifference', x, y);
  return record('squaredDifference', out, [x, y], (dy) => {
    const g = mul(mul(dy, 2), binaryForward('sub', x, y));
    return [unbroadcast(g, x.shape), unbroadcast(neg(g), y.shape)];
  });
}

/** floor(a / b); not differentiable (zero gradient). */
export function floorDiv(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, 'floorDiv');
  return binaryForward('floorDiv', x, y);
}

/** Floor modulo (result has the divisor's sign); gradient 1 for a, -floor(a/b) for b. */
export function mod(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, 'mod');
  const out = binaryForward('mod', x, y);
  return record('mod', out, [x, y], (dy) => [
    unbroadcast(dy, x.shape),
    unbroadcast(neg(mul(dy, binaryForward('floorDiv', x, y))), y.shape),
  ]);
}

export function neg(x: Tensor): Tensor {
  expectTensor(x, 'neg');
  const be = backendFor('neg', x);
  const out = alloc(be, x.dtype, x.shape);
  be.unary('neg', x.storage, out, 0, 0);
  return record('neg', output(be, out, x.shape, x.dtype), [x], (dy) => [neg(dy)]);
}

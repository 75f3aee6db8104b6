/** Broadcasting binary arithmetic, each op's backward beside its forward. */
import { record } from '../autograd/record.js';
import type { BinaryOp } from '../backend/backend.js';
import { upcast } from '../tensor/dtype.js';
import { broadcastShapes } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { alloc, allocF32, asTensor, backend, castTo, expectTensor, type TensorLike, unbroadcast } from './engine.js';

/** Forward of a broadcasting binary op (no gradient). */
export function binaryForward(op: BinaryOp, a: Tensor, b: Tensor, name: string = op): Tensor {
  const dtype = upcast(a.dtype, b.dtype);
  const x = castTo(a, dtype);
  const y = castTo(b, dtype);
  const shape = broadcastShapes(x.shape, y.shape, name);
  const out = alloc(dtype, shape);
  backend().binary(op, x.dataSync(), x.shape, y.dataSync(), y.shape, out, shape);
  return new Tensor(out, shape);
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

function safeLog(x: Tensor): Tensor {
  const v = x.dataSync();
  const out = allocF32(x.shape);
  for (let i = 0; i < v.length; i++) {
    const e = v[i] as number;
    out[i] = e > 0 ? Math.log(e) : 0;
  }
  return new Tensor(out, x.shape);
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
  const mask = alloc('int32', shape) as Int32Array;
  const fx = castTo(x, 'float32');
  const fy = castTo(y, 'float32');
  backend().compare(op, fx.dataSync(), fx.shape, fy.dataSync(), fy.shape, mask, shape);
  return castTo(new Tensor(mask, shape), 'float32');
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
  const out = alloc(x.dtype, x.shape);
  backend().unary('neg', x.dataSync(), out, 0, 0);
  return record('neg', new Tensor(out, x.shape), [x], (dy) => [neg(dy)]);
}

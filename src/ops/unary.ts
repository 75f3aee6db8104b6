/** Elementwise math functions with their derivatives. */
import { record } from '../autograd/record.js';
import type { UnaryOp } from '../backend/backend.js';
import type { Storage } from '../tensor/storage.js';
import type { Tensor } from '../tensor/tensor.js';
import { div, mul, neg } from './arithmetic.js';
import { alloc, backendFor, castTo, expectTensor, fromValues, output } from './engine.js';

/** Forward of an elementwise op (no gradient); float ops on int32 input compute in float32. */
export function unaryForward(op: UnaryOp, x: Tensor, alpha = 0, beta = 0, keepInt = false): Tensor {
  const input = keepInt ? x : castTo(x, 'float32');
  const be = backendFor(op, input);
  const out = alloc(be, input.dtype, input.shape);
  be.unary(op, input.storage, out, alpha, beta);
  return output(be, out, input.shape, input.dtype);
}

export function exp(x: Tensor): Tensor {
  expectTensor(x, 'exp');
  const y = unaryForward('exp', x);
  return record('exp', y, [x], (dy) => [mul(dy, y)]);
}

export function expm1(x: Tensor): Tensor {
  expectTensor(x, 'expm1');
  const y = unaryForward('expm1', x);
  return record('expm1', y, [x], (dy) => [mul(dy, unaryForward('exp', x))]);
}

export function log(x: Tensor): Tensor {
  expectTensor(x, 'log');
  return record('log', unaryForward('log', x), [x], (dy) => [div(dy, x)]);
}

export function log1p(x: Tensor): Tensor {
  expectTensor(x, 'log1p');
  return record('log1p', unaryForward('log1p', x), [x], (dy) => [div(dy, unaryForward('affine', x, 1, 1))]);
}

export function sqrt(x: Tensor): Tensor {
  expectTensor(x, 'sqrt');
  const y = unaryForward('sqrt', x);
  return record('sqrt', y, [x], (dy) => [div(mul(dy, 0.5), y)]);
}

export function rsqrt(x: Tensor): Tensor {
  expectTensor(x, 'rsqrt');
  const y = unaryForward('rsqrt', x);
  // d/dx x^-1/2 = -1/2 x^-3/2 = -1/2 * y^3
  return record('rsqrt', y, [x], (dy) => [mul(dy, mul(unaryForward('powScalar', y, 3), -0.5))]);
}

export function square(x: Tensor): Tensor {
  expectTensor(x, 'square');
  return record('square', unaryForward('square', x, 0, 0, true), [x], (dy) => [mul(dy, mul(x, 2))]);
}

export function abs(x: Tensor): Tensor {
  expectTensor(x, 'abs');
  return record('abs', unaryForward('abs', x, 0, 0, true), [x], (dy) => [mul(dy, unaryForward('sign', x))]);
}

/** Not differentiable: gradient is zero (as in TensorFlow). */
export function sign(x: Tensor): Tensor {
  expectTensor(x, 'sign');
  return unaryForward('sign', x, 0, 0, true);
}

export function reciprocal(x: Tensor): Tensor {
  expectTensor(x, 'reciprocal');
  const y = unaryForward('reciprocal', x);
  return record('reciprocal', y, [x], (dy) => [neg(mul(dy, mul(y, y)))]);
}

export function floor(x: Tensor): Tensor {
  return unaryForward('floor', expectTensor(x, 'floor'), 0, 0, true);
}

export function ceil(x: Tensor): Tensor {
  return unaryForward('ceil', expectTensor(x, 'ceil'), 0, 0, true);
}

/** Rounds halves to even, like TensorFlow and NumPy. */
export function round(x: Tensor): Tensor {
  return unaryForward('round', expectTensor(x, 'round'), 0, 0, true);
}

export function sin(x: Tensor): Tensor {
  expectTensor(x, 'sin');
  return record('sin', unaryForward('sin', x), [x], (dy) => [mul(dy, unaryForward('cos', x))]);
}

export function cos(x: Tensor): Tensor {
  expectTensor(x, 'cos');
  return record('cos', unaryForward('cos', x), [x], (dy) => [neg(mul(dy, unaryForward('sin', x)))]);
}

export function erf(x: Tensor): Tensor {
  expectTensor(x, 'erf');
  // d/dx erf = 2/sqrt(pi) exp(-x^2)
  return record('erf', unaryForward('erf', x), [x], (dy) => [
    mul(dy, mul(unaryForward('exp', unaryForward('affine', unaryForward('square', x), -1, 0)), 2 / Math.sqrt(Math.PI))),
  ]);
}

/** Clamps into [min, max]; gradient flows only where x was inside. */
export function clip(x: Tensor, min: number, max: number): Tensor {
  expectTensor(x, 'clip');
  if (!(min <= max)) throw new Error(`clip: min (${min}) must not exceed max (${max}).`);
  const y = unaryForward('clip', x, min, max, true);
  return record('clip', y, [x], (dy) => {
    const fx = castTo(x, 'float32');
    const g = castTo(dy, 'float32');
    const be = backendFor('clip gradient', fx, g);
    const scalar = (v: number): Storage => fromValues(Float32Array.of(v), []).storage;
    const [lo, hi, zero] = [scalar(min), scalar(max), scalar(0)];
    const aboveMin = alloc(be, 'int32', x.shape);
    be.compare('greaterEqual', fx.storage, x.shape, lo, [], aboveMin, x.shape);
    const belowMax = alloc(be, 'int32', x.shape);
    be.compare('lessEqual', fx.storage, x.shape, hi, [], belowMax, x.shape);
    const inside = alloc(be, 'int32', x.shape);
    be.compare('logicalAnd', aboveMin, x.shape, belowMax, x.shape, inside, x.shape);
    const out = alloc(be, 'float32', x.shape);
    be.select(inside, x.shape, g.storage, x.shape, zero, [], out, x.shape);
    return [output(be, out, x.shape, 'float32')];
  });
}

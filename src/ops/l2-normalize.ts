/** L2 normalization, Keras's `normalize(x, axis, order=2)`: x * rsqrt(max(Σ x², 1e-12)) over the axes. */
import type { Tensor } from '../tensor/tensor.js';
import { maximum, mul } from './arithmetic.js';
import { sum } from './reduce.js';
import { rsqrt, square } from './unary.js';

export function l2Normalize(x: Tensor, axis: number | readonly number[] = -1): Tensor {
  const squareSum = sum(square(x), axis, true);
  return mul(x, rsqrt(maximum(squareSum, 1e-12)));
}

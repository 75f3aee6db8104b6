/**
 * Default gradient clipping. The norm never leaves the backend: the scale min(1, c / norm) is
 * computed as c / max(norm, c), which is exactly 1 when the norm is within bounds, so no branch
 * needs the value on the host.
 */
import type { RequiredPrimitives } from '../backend.js';
import { lengthOf, map, scalar, sumOfSquares, zip } from './elementwise.js';

export function clipByValue(b: RequiredPrimitives, grad: Float32Array, clipValue: number, out: Float32Array): void {
  b.unary('clip', grad, out, -clipValue, clipValue);
}

/** grad * (maxNorm / max(norm, maxNorm)) into out; norm is a one-element tensor. */
function rescale(b: RequiredPrimitives, grad: Float32Array, norm: Float32Array, maxNorm: number, out: Float32Array): void {
  const scale = zip(b, 'div', maxNorm, zip(b, 'maximum', norm, maxNorm));
  b.binary('mul', grad, [lengthOf(grad)], scale, [], out, [lengthOf(grad)]);
}

export function clipByNorm(b: RequiredPrimitives, grad: Float32Array, maxNorm: number, out: Float32Array): void {
  rescale(b, grad, map(b, 'sqrt', sumOfSquares(b, grad)), maxNorm, out);
}

export function clipByGlobalNorm(
  b: RequiredPrimitives,
  grads: readonly Float32Array[],
  maxNorm: number,
  outs: readonly Float32Array[],
): void {
  let total = scalar(b, 0) as Float32Array;
  for (const g of grads) total = zip(b, 'add', total, sumOfSquares(b, g));
  const norm = map(b, 'sqrt', total);
  for (const [i, g] of grads.entries()) rescale(b, g, norm, maxNorm, outs[i] as Float32Array);
}

/**
 * Default gradient clipping. The norm never leaves the backend: the scale min(1, c / norm) is
 * computed as c / max(norm, c), which is exactly 1 when the norm is within bounds, so no branch
 * needs the value on the host.
 */
import type { RequiredPrimitives, Storage } from '../backend.js';
import { map, scalar, sumOfSquares, zip } from './elementwise.js';

export function clipByValue(b: RequiredPrimitives, grad: Storage, clipValue: number, out: Storage): void {
  b.unary('clip', grad, out, -clipValue, clipValue);
}

/** grad * (maxNorm / max(norm, maxNorm)) into out; norm is a one-element tensor. */
function rescale(b: RequiredPrimitives, grad: Storage, norm: Storage, maxNorm: number, out: Storage): void {
  const scale = zip(b, 'div', maxNorm, zip(b, 'maximum', norm, maxNorm));
  b.binary('mul', grad, [b.sizeOf(grad)], scale, [], out, [b.sizeOf(grad)]);
}

export function clipByNorm(b: RequiredPrimitives, grad: Storage, maxNorm: number, out: Storage): void {
  rescale(b, grad, map(b, 'sqrt', sumOfSquares(b, grad)), maxNorm, out);
}

export function clipByGlobalNorm(
  b: RequiredPrimitives,
  grads: readonly Storage[],
  maxNorm: number,
  outs: readonly Storage[],
): void {
  let total = scalar(b, 0) as Storage;
  for (const g of grads) total = zip(b, 'add', total, sumOfSquares(b, g));
  const norm = map(b, 'sqrt', total);
  for (const [i, g] of grads.entries()) rescale(b, g, norm, maxNorm, outs[i] as Storage);
}

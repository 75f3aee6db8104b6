/**
 * Masks of the attention layers, as Keras 3 builds them: a causal mask (target i sees sources
 * j <= i), boolean masks combined with a logical and, and the masked softmax that adds -1e9 to
 * the masked scores and zeroes them after the softmax (so a fully masked row attends to nothing).
 */
import * as ops from '../../ops/index.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

/** [1, targets, sources] with 1 where source j <= target i (Keras's `_compute_causal_mask`). */
export function causalMask(targets: number, sources: number): Tensor {
  const values = new Float32Array(targets * sources);
  for (let i = 0; i < targets; i++) for (let j = 0; j <= Math.min(i, sources - 1); j++) values[i * sources + j] = 1;
  return ops.tensor(values, [1, targets, sources]);
}

/** A mask as float 0/1 (nonzero is true, as Keras's cast to bool). */
export function asFloatMask(mask: Tensor): Tensor {
  return ops.cast(ops.notEqual(mask, 0), 'float32');
}

/** Both masks (either may be absent): their logical and, as float 0/1. */
export function combineMasks(a: Tensor | null, b: Tensor | null): Tensor | null {
  if (a === null) return b;
  if (b === null) return a;
  return ops.mul(a, b);
}

/**
 * Checks that `mask` broadcasts to `expected` (each axis equal or 1, no more axes), naming the
 * layer and both shapes; returns it as float 0/1.
 */
export function checkedMask(owner: string, what: string, mask: Tensor, expected: readonly number[], meaning: string): Tensor {
  const offset = expected.length - mask.rank;
  const fits = offset >= 0 && mask.shape.every((d, i) => d === 1 || d === expected[i + offset]);
  if (!fits) {
    throw new Error(
      `${owner}: \`${what}\` of shape ${formatShape(mask.shape)} does not match the ${meaning} shape ${formatShape(expected)} ` +
        '(each axis must be equal or 1).',
    );
  }
  return asFloatMask(mask);
}

/** softmax over the last axis with masked scores removed (Keras 3's Softmax layer with a mask). */
export function maskedSoftmax(scores: Tensor, mask: Tensor | null): Tensor {
  if (mask === null) return ops.softmax(scores, -1);
  const adder = ops.mul(ops.sub(1, mask), -1e9);
  return ops.mul(ops.softmax(ops.add(scores, adder), -1), mask);
}

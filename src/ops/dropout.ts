/** Inverted dropout with a seeded mask (identical on every backend: the mask is drawn in TypeScript). */

import { generatorFor } from '../tensor/random.js';
import { broadcastShapes, formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul } from './arithmetic.js';
import { allocHost, expectTensor, fromValues } from './engine.js';

export interface DropoutOptions {
  /** Seed of this mask; without it the global stream (`setSeed`) is used. */
  seed?: number;
  /**
   * Shape of the mask, broadcast against x (Keras's noise_shape); null entries take x's size.
   * E.g. [batch, 1, 1, channels] drops whole feature maps.
   */
  noiseShape?: readonly (number | null)[];
}

/**
 * Zeroes each element with probability `rate` and scales the kept ones by 1 / (1 - rate), so the
 * expected value is unchanged. The gradient is the same mask applied to dy.
 */
export function dropout(x: Tensor, rate: number, options: DropoutOptions = {}): Tensor {
  expectTensor(x, 'dropout');
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout: rate must be in [0, 1), received ${rate}.`);
  if (rate === 0) return x;
  const shape = options.noiseShape ? options.noiseShape.map((d, i) => d ?? (x.shape[i] as number)) : x.shape;
  if (options.noiseShape) {
    const joint = broadcastShapes(x.shape, shape, 'dropout');
    if (joint.length !== x.rank || joint.some((d, i) => d !== x.shape[i])) {
      throw new Error(`dropout: noiseShape ${formatShape(shape)} does not broadcast to x's shape ${formatShape(x.shape)}.`);
    }
  }
  const rng = generatorFor(options.seed);
  const keep = 1 / (1 - rate);
  const mask = allocHost('float32', shape);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.nextFloat() >= rate ? keep : 0;
  return mul(x, fromValues(mask, shape));
}

/**
 * `ImageDataGenerator.get_random_transform`: draws one image's transform parameters from the
 * generator's ranges, in Keras's order and with Keras's rules for each range's type. Pure.
 */
import type { RandomGenerator } from '../../tensor/random.js';
import type { TransformParameters } from './transform.js';

export interface AugmentationRanges {
  rotationRange: number;
  widthShiftRange: number | readonly number[];
  heightShiftRange: number | readonly number[];
  shearRange: number;
  /** [low, high]; [1, 1] means no zoom. */
  zoomRange: readonly [number, number];
  channelShiftRange: number;
  brightnessRange: readonly [number, number] | null;
  horizontalFlip: boolean;
  verticalFlip: boolean;
}

function isActive(range: number | readonly number[]): boolean {
  return typeof range === 'number' ? range !== 0 : range.length > 0;
}

function uniform(rng: RandomGenerator, low: number, high: number): number {
  return low + (high - low) * rng.nextFloat();
}

/**
 * One shift in pixels, Keras's rules: a list picks one of its values with a random sign; an
 * integer n >= 1 picks an integer in [0, n) with a random sign (NumPy's `choice(n)`); any other
 * number draws uniformly in (-r, r); values below 1 are fractions of the image size.
 */
function drawShift(range: number | readonly number[], size: number, rng: RandomGenerator): number {
  let v: number;
  let max: number;
  if (typeof range === 'number') {
    max = range;
    if (Number.isInteger(range) && range >= 1) {
      v = rng.nextInt(range) * (rng.nextFloat() < 0.5 ? -1 : 1);
    } else {
      v = uniform(rng, -range, range);
    }
  } else {
    max = Math.max(...range);
    v = (range[rng.nextInt(range.length)] as number) * (rng.nextFloat() < 0.5 ? -1 : 1);
  }
  return max < 1 ? v * size : v;
}

export function hasRandomTransform(r: AugmentationRanges): boolean {
  return (
    r.rotationRange !== 0 ||
    isActive(r.widthShiftRange) ||
    isActive(r.heightShiftRange) ||
    r.shearRange !== 0 ||
    r.zoomRange[0] !== 1 ||
    r.zoomRange[1] !== 1 ||
    r.channelShiftRange !== 0 ||
    r.brightnessRange !== null ||
    r.horizontalFlip ||
    r.verticalFlip
  );
}

/**
 * Draws the parameters for an image with `rows` x `cols` pixels.
 *
 * One deliberate difference from Keras: Keras 3 (and tf.keras since 2.5) draws `tx` from
 * `height_shift_range` and `ty` from `width_shift_range`, but its `apply_affine_transform` swaps the
 * axes, so `width_shift_range` ends up moving images vertically and vice versa (keras-team/keras
 * #17398, tf-keras #310, tensorflow #82838). capa draws `tx` (which moves columns) from
 * `widthShiftRange` scaled by the width, and `ty` (rows) from `heightShiftRange` scaled by the
 * height, so each option moves the image the way its name and Keras's documentation say.
 */
export function drawTransform(r: AugmentationRanges, rows: number, cols: number, rng: RandomGenerator): TransformParameters {
  const theta = r.rotationRange ? uniform(rng, -r.rotationRange, r.rotationRange) : 0;
  const ty = isActive(r.heightShiftRange) ? drawShift(r.heightShiftRange, rows, rng) : 0;
  const tx = isActive(r.widthShiftRange) ? drawShift(r.widthShiftRange, cols, rng) : 0;
  const shear = r.shearRange ? uniform(rng, -r.shearRange, r.shearRange) : 0;
  let zx = 1;
  let zy = 1;
  if (!(r.zoomRange[0] === 1 && r.zoomRange[1] === 1)) {
    zx = uniform(rng, r.zoomRange[0], r.zoomRange[1]);
    zy = uniform(rng, r.zoomRange[0], r.zoomRange[1]);
  }
  const flipHorizontal = rng.nextFloat() < 0.5 && r.horizontalFlip;
  const flipVertical = rng.nextFloat() < 0.5 && r.verticalFlip;
  const channelShiftIntensity = r.channelShiftRange !== 0 ? uniform(rng, -r.channelShiftRange, r.channelShiftRange) : null;
  const brightness = r.brightnessRange !== null ? uniform(rng, r.brightnessRange[0], r.brightnessRange[1]) : null;
  return { theta, tx, ty, shear, zx, zy, flipHorizontal, flipVertical, channelShiftIntensity, brightness };
}

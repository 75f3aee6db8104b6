/**
 * `ImageDataGenerator.apply_transform` and `standardize` on one channels-last float32 image, as
 * plain functions of plain data so worker threads can run them. Pure TypeScript.
 */

import { brightnessShift, channelShift, flipHorizontal, flipVertical } from './adjust.js';
import { affineTransformPlanes, type FillMode, kerasAffineMap } from './affine.js';

/** Keras's transform parameters (`get_random_transform`'s dictionary, camelCased). */
export interface TransformParameters {
  /** Rotation, degrees. */
  theta?: number;
  /** Keras's `tx`: with Keras's axis swap it moves the image along its columns (horizontally). */
  tx?: number;
  /** Keras's `ty`: moves the image along its rows (vertically). */
  ty?: number;
  /** Shear angle, degrees. */
  shear?: number;
  zx?: number;
  zy?: number;
  flipHorizontal?: boolean;
  flipVertical?: boolean;
  channelShiftIntensity?: number | null;
  brightness?: number | null;
}

export interface TransformSettings {
  fillMode: FillMode;
  cval: number;
  interpolationOrder: number;
}

/** One HWC image's geometry. */
export interface ImageShape {
  height: number;
  width: number;
  channels: number;
}

/**
 * `apply_transform` for channels-last data: the composed affine map (SciPy semantics), channel
 * shift, horizontal then vertical flip, brightness. Returns `x` itself when nothing applies.
 */
export function applyTransformHWC(
  x: Float32Array,
  shape: ImageShape,
  p: TransformParameters,
  s: TransformSettings,
): Float32Array {
  const { height, width, channels } = shape;
  let out = x;
  const map = kerasAffineMap(p, height, width, true);
  if (map !== null) {
    const next = new Float32Array(x.length);
    affineTransformPlanes(
      out,
      next,
      { dimA: height, dimB: width, channels, strideA: width * channels, strideB: channels, strideC: 1 },
      map,
      s.fillMode,
      s.cval,
      s.interpolationOrder,
    );
    out = next;
  }
  if (p.channelShiftIntensity !== undefined && p.channelShiftIntensity !== null) {
    out = channelShift(out, p.channelShiftIntensity);
  }
  if (p.flipHorizontal) out = flipHorizontal(out, height, width, channels);
  if (p.flipVertical) out = flipVertical(out, height, width, channels);
  if (p.brightness !== undefined && p.brightness !== null) out = brightnessShift(out, channels, p.brightness);
  return out;
}

/** What `standardize` needs besides the user's preprocessing function (applied before this). */
export interface StandardizeState {
  rescale: number | null;
  samplewiseCenter: boolean;
  samplewiseStdNormalization: boolean;
  /** Per-channel mean after `fit`, or null (not fit / not wanted). */
  mean: Float32Array | null;
  /** Per-channel std after `fit`, or null. */
  std: Float32Array | null;
  /** ZCA matrix (d x d, d = H*W*C, float64) after `fit`, or null. */
  zca: Float64Array | null;
}

const f32 = Math.fround;

/** `standardize` after the preprocessing function, in NumPy's float32 arithmetic; writes into a copy. */
export function standardizeHWC(x: Float32Array, channels: number, st: StandardizeState): Float32Array {
  const out = new Float32Array(x);
  const n = out.length;
  if (st.rescale) {
    const r = f32(st.rescale);
    for (let i = 0; i < n; i++) out[i] = (out[i] as number) * r;
  }
  if (st.samplewiseCenter) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += out[i] as number;
    const mean = f32(sum / n);
    for (let i = 0; i < n; i++) out[i] = (out[i] as number) - mean;
  }
  if (st.samplewiseStdNormalization) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += out[i] as number;
    const mean = sum / n;
    let sq = 0;
    for (let i = 0; i < n; i++) sq += ((out[i] as number) - mean) ** 2;
    const d = f32(f32(Math.sqrt(sq / n)) + f32(1e-6));
    for (let i = 0; i < n; i++) out[i] = (out[i] as number) / d;
  }
  if (st.mean) {
    for (let i = 0; i < n; i++) out[i] = (out[i] as number) - (st.mean[i % channels] as number);
  }
  if (st.std) {
    const d = new Float32Array(channels);
    for (let c = 0; c < channels; c++) d[c] = f32((st.std[c] as number) + f32(1e-6));
    for (let i = 0; i < n; i++) out[i] = (out[i] as number) / (d[i % channels] as number);
  }
  if (st.zca) {
    if (st.zca.length !== n * n) {
      throw new Error(
        `standardize: the ZCA matrix was fit on images of ${Math.round(Math.sqrt(st.zca.length))} values, this image has ${n}.`,
      );
    }
    const white = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = out[i] as number;
      if (v === 0) continue;
      const row = i * n;
      for (let j = 0; j < n; j++) white[j] = (white[j] as number) + v * (st.zca[row + j] as number);
    }
    out.set(white);
  }
  return out;
}

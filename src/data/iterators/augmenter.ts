/**
 * What the image iterators need from an ImageDataGenerator (kept as an interface so the iterators
 * do not import the generator that creates them).
 */
import type { RandomGenerator } from '../../tensor/random.js';
import type { ImageShape, TransformParameters, TransformSettings } from '../image-kernels/transform.js';

export type DataFormat = 'channels_last' | 'channels_first';

export interface Augmenter {
  readonly dataFormat: DataFormat;
  /** Keras's `_validation_split`. */
  readonly validationSplit: number;
  /** Whether the validation subset is augmented (Keras: always); undefined = Keras's default. */
  readonly augmentValidation: boolean | undefined;
  /** True when any random transform is configured. */
  hasRandomTransform(): boolean;
  /** One image's random parameters (channels-last geometry). */
  drawTransform(shape: ImageShape, rng: RandomGenerator): TransformParameters;
  transformSettings(): TransformSettings;
  /** `apply_transform` on channels-last data. */
  applyTransformHWC(x: Float32Array, shape: ImageShape, params: TransformParameters): Float32Array;
  /** `standardize` (preprocessing function included) on channels-last data. */
  standardizeHWC(x: Float32Array, shape: ImageShape): Float32Array;
}

let validationNoticeShown = false;

/**
 * Whether an iterator over `subset` should augment, printing once per process the notice that
 * Keras augments the validation subset too.
 */
export function augmentsSubset(augmenter: Augmenter, subset: string | null | undefined): boolean {
  if (!augmenter.hasRandomTransform()) return false;
  if (subset !== 'validation') return true;
  if (augmenter.augmentValidation === undefined) {
    if (!validationNoticeShown) {
      validationNoticeShown = true;
      console.warn(
        'Note: like Keras, this ImageDataGenerator also applies its random augmentation to the ' +
          "subset: 'validation' images. Pass augmentValidation: false to the ImageDataGenerator to " +
          'validate on unaugmented images.',
      );
    }
    return true;
  }
  return augmenter.augmentValidation;
}

/** Channels-last (H, W, C) to channels-first (C, H, W). */
export function hwcToChw(x: Float32Array, shape: ImageShape): Float32Array {
  const { height, width, channels } = shape;
  const out = new Float32Array(x.length);
  const plane = height * width;
  for (let p = 0; p < plane; p++) for (let c = 0; c < channels; c++) out[c * plane + p] = x[p * channels + c] as number;
  return out;
}

/** Channels-first (C, H, W) to channels-last (H, W, C). */
export function chwToHwc(x: Float32Array, shape: ImageShape): Float32Array {
  const { height, width, channels } = shape;
  const out = new Float32Array(x.length);
  const plane = height * width;
  for (let p = 0; p < plane; p++) for (let c = 0; c < channels; c++) out[p * channels + c] = x[c * plane + p] as number;
  return out;
}

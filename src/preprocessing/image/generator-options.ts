/**
 * ImageDataGenerator's arguments: Keras's names (camelCased), defaults, validation messages and
 * the warnings Keras prints when one option overrides another.
 */
import { FILL_MODES, type FillMode } from '../../data/image-kernels/affine.js';
import type { DataFormat } from '../../data/iterators/augmenter.js';
import type { Tensor } from '../../tensor/tensor.js';

export interface ImageDataGeneratorOptions {
  featurewiseCenter?: boolean;
  samplewiseCenter?: boolean;
  featurewiseStdNormalization?: boolean;
  samplewiseStdNormalization?: boolean;
  zcaWhitening?: boolean;
  zcaEpsilon?: number;
  /** Degrees. */
  rotationRange?: number;
  /** Fraction of the width (< 1), pixels (>= 1; integers pick whole pixels), or a list of values. */
  widthShiftRange?: number | number[];
  heightShiftRange?: number | number[];
  brightnessRange?: [number, number] | null;
  /** Shear angle in degrees. */
  shearRange?: number;
  /** z for [1 - z, 1 + z], or [low, high]. */
  zoomRange?: number | [number, number];
  channelShiftRange?: number;
  fillMode?: FillMode;
  cval?: number;
  horizontalFlip?: boolean;
  verticalFlip?: boolean;
  rescale?: number | null;
  /** Applied to each image (rank 3) after augmentation, before the other normalizations. */
  preprocessingFunction?: ((x: Tensor) => Tensor) | null;
  dataFormat?: DataFormat;
  validationSplit?: number;
  /** 0 (nearest) or 1 (bilinear, Keras's default) for the affine map. */
  interpolationOrder?: number;
  dtype?: 'float32';
  /** Augment the `subset: 'validation'` iterators too (Keras does). Unset: Keras's behaviour, with a one-time note. */
  augmentValidation?: boolean;
}

/** Every option resolved to its value (what the generator's fields hold). */
export interface ResolvedOptions {
  featurewiseCenter: boolean;
  samplewiseCenter: boolean;
  featurewiseStdNormalization: boolean;
  samplewiseStdNormalization: boolean;
  zcaWhitening: boolean;
  zcaEpsilon: number;
  rotationRange: number;
  widthShiftRange: number | number[];
  heightShiftRange: number | number[];
  brightnessRange: [number, number] | null;
  shearRange: number;
  zoomRange: [number, number];
  channelShiftRange: number;
  fillMode: FillMode;
  cval: number;
  horizontalFlip: boolean;
  verticalFlip: boolean;
  rescale: number | null;
  preprocessingFunction: ((x: Tensor) => Tensor) | null;
  dataFormat: DataFormat;
  interpolationOrder: number;
  augmentValidation: boolean | undefined;
  _validationSplit: number;
}

function checkRange(value: number | number[], name: string): number | number[] {
  if (typeof value === 'number' ? !Number.isFinite(value) : !Array.isArray(value) || value.some((v) => !Number.isFinite(v))) {
    throw new Error(`ImageDataGenerator: ${name} must be a number or a list of numbers, received ${String(value)}.`);
  }
  return value;
}

export function resolveOptions(o: ImageDataGeneratorOptions): ResolvedOptions {
  const r = {} as ResolvedOptions;
  r.featurewiseCenter = o.featurewiseCenter ?? false;
  r.samplewiseCenter = o.samplewiseCenter ?? false;
  r.featurewiseStdNormalization = o.featurewiseStdNormalization ?? false;
  r.samplewiseStdNormalization = o.samplewiseStdNormalization ?? false;
  r.zcaWhitening = o.zcaWhitening ?? false;
  r.zcaEpsilon = o.zcaEpsilon ?? 1e-6;
  r.rotationRange = o.rotationRange ?? 0;
  r.widthShiftRange = checkRange(o.widthShiftRange ?? 0, 'widthShiftRange');
  r.heightShiftRange = checkRange(o.heightShiftRange ?? 0, 'heightShiftRange');
  r.shearRange = o.shearRange ?? 0;
  r.channelShiftRange = o.channelShiftRange ?? 0;
  r.fillMode = o.fillMode ?? 'nearest';
  r.cval = o.cval ?? 0;
  r.horizontalFlip = o.horizontalFlip ?? false;
  r.verticalFlip = o.verticalFlip ?? false;
  r.rescale = o.rescale ?? null;
  r.preprocessingFunction = o.preprocessingFunction ?? null;
  r.interpolationOrder = o.interpolationOrder ?? 1;
  r.augmentValidation = o.augmentValidation;
  const dataFormat = o.dataFormat ?? 'channels_last';
  if (dataFormat !== 'channels_last' && dataFormat !== 'channels_first') {
    throw new Error(
      `ImageDataGenerator: \`data_format\` should be \`"channels_last"\` (channel after row and column) or \`"channels_first"\` (channel before row and column). Received: ${String(dataFormat)}`,
    );
  }
  r.dataFormat = dataFormat;
  if (o.dtype !== undefined && o.dtype !== 'float32')
    throw new Error(`ImageDataGenerator: dtype must be 'float32', received '${String(o.dtype)}'.`);
  if (!FILL_MODES.includes(r.fillMode)) {
    throw new Error(`ImageDataGenerator: fillMode must be one of ${FILL_MODES.join(', ')}, received '${String(r.fillMode)}'.`);
  }
  if (r.interpolationOrder !== 0 && r.interpolationOrder !== 1) {
    throw new Error(`ImageDataGenerator: interpolationOrder must be 0 or 1, received ${r.interpolationOrder}.`);
  }
  const validationSplit = o.validationSplit ?? 0;
  if (validationSplit && !(validationSplit > 0 && validationSplit < 1)) {
    throw new Error(`ImageDataGenerator: \`validation_split\` must be strictly between 0 and 1.  Received: ${validationSplit}`);
  }
  r._validationSplit = validationSplit;
  const zoom = o.zoomRange ?? 0;
  if (typeof zoom === 'number' && Number.isFinite(zoom)) r.zoomRange = [1 - zoom, 1 + zoom];
  else if (Array.isArray(zoom) && zoom.length === 2 && zoom.every((v) => Number.isFinite(v))) r.zoomRange = [zoom[0], zoom[1]];
  else
    throw new Error(
      `ImageDataGenerator: \`zoom_range\` should be a float or a tuple or list of two floats. Received: ${String(zoom)}`,
    );
  if (r.zcaWhitening) {
    if (!r.featurewiseCenter) {
      r.featurewiseCenter = true;
      console.warn('This ImageDataGenerator specifies `zca_whitening`, which overrides setting of `featurewise_center`.');
    }
    if (r.featurewiseStdNormalization) {
      r.featurewiseStdNormalization = false;
      console.warn(
        'This ImageDataGenerator specifies `zca_whitening` which overrides setting of`featurewise_std_normalization`.',
      );
    }
  }
  if (r.featurewiseStdNormalization && !r.featurewiseCenter) {
    r.featurewiseCenter = true;
    console.warn(
      'This ImageDataGenerator specifies `featurewise_std_normalization`, which overrides setting of `featurewise_center`.',
    );
  }
  if (r.samplewiseStdNormalization && !r.samplewiseCenter) {
    r.samplewiseCenter = true;
    console.warn(
      'This ImageDataGenerator specifies `samplewise_std_normalization`, which overrides setting of `samplewise_center`.',
    );
  }
  const b = o.brightnessRange ?? null;
  if (b !== null && (!Array.isArray(b) || b.length !== 2)) {
    throw new Error(`ImageDataGenerator: \`brightness_range should be tuple or list of two floats. Received: ${String(b)}`);
  }
  r.brightnessRange = b === null ? null : [b[0], b[1]];
  return r;
}

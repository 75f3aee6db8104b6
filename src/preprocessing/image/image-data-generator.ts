/**
 * `keras.preprocessing.image.ImageDataGenerator` (Keras 3's legacy copy), with every argument and
 * its semantics: feature-wise and sample-wise normalization fit on data, ZCA whitening, random
 * rotation / shift / shear / zoom composed into one affine map applied as Keras does
 * (scipy.ndimage, order 1, Keras's fill modes), channel shift, brightness, flips, rescale, a
 * preprocessing function, validation split; `flow` over tensors and `flowFromDirectory` over a
 * folder of class folders.
 *
 * Differences from Keras, each a fix for a reported trap: `widthShiftRange` moves images
 * horizontally and `heightShiftRange` vertically (Keras 3 swaps them, see random-transform.ts);
 * `augmentValidation: false` keeps the validation subset unaugmented (Keras augments it, and says
 * nothing; capa prints a one-time note when it does); a brightness shift on images in [0, 1]
 * (which Keras's 8-bit round trip turns black) warns once.
 */
import type { FillMode } from '../../data/image-kernels/affine.js';
import { channelMean, channelStd, divideChannels, subtractChannels, zcaMatrix } from '../../data/image-kernels/fit-stats.js';
import { type AugmentationRanges, drawTransform, hasRandomTransform } from '../../data/image-kernels/random-transform.js';
import {
  applyTransformHWC,
  type ImageShape,
  type StandardizeState,
  standardizeHWC,
  type TransformParameters,
  type TransformSettings,
} from '../../data/image-kernels/transform.js';
import { ArrayIterator, type FlowOptions } from '../../data/iterators/array-iterator.js';
import { type Augmenter, chwToHwc, type DataFormat, hwcToChw } from '../../data/iterators/augmenter.js';
import { DirectoryIterator, type FlowFromDirectoryOptions } from '../../data/iterators/directory-iterator.js';
import { generatorFor, type RandomGenerator } from '../../tensor/random.js';
import { formatShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { type ImageDataGeneratorOptions, resolveOptions } from './generator-options.js';

export type { FillMode, ImageDataGeneratorOptions, TransformParameters };

export interface FitOptions {
  augment?: boolean;
  rounds?: number;
  seed?: number;
}

const warnedOnce = new Set<string>();
function warnOnce(key: string, message: string): void {
  if (warnedOnce.has(key)) return;
  warnedOnce.add(key);
  console.warn(message);
}

export class ImageDataGenerator implements Augmenter {
  declare featurewiseCenter: boolean;
  declare samplewiseCenter: boolean;
  declare featurewiseStdNormalization: boolean;
  declare samplewiseStdNormalization: boolean;
  declare zcaWhitening: boolean;
  declare zcaEpsilon: number;
  declare rotationRange: number;
  declare widthShiftRange: number | number[];
  declare heightShiftRange: number | number[];
  declare brightnessRange: [number, number] | null;
  declare shearRange: number;
  declare zoomRange: [number, number];
  declare channelShiftRange: number;
  declare fillMode: FillMode;
  declare cval: number;
  declare horizontalFlip: boolean;
  declare verticalFlip: boolean;
  declare rescale: number | null;
  declare preprocessingFunction: ((x: Tensor) => Tensor) | null;
  declare readonly dataFormat: DataFormat;
  declare interpolationOrder: number;
  readonly dtype = 'float32' as const;
  declare readonly augmentValidation: boolean | undefined;
  /** Per-channel mean after `fit` (shape [1, 1, C], or [C, 1, 1] channels first). */
  mean: Tensor | null = null;
  std: Tensor | null = null;
  /** [d, d] with d = H * W * C, after `fit` with `zcaWhitening`. */
  zcaWhiteningMatrix: Tensor | null = null;
  declare private readonly _validationSplit: number;
  /** The ZCA matrix in channels-last element order, as the kernels see images. */
  private zcaHwc: Float64Array | null = null;

  constructor(options: ImageDataGeneratorOptions = {}) {
    Object.assign(this, resolveOptions(options));
  }

  get validationSplit(): number {
    return this._validationSplit;
  }

  /** `flow(x, y)`: batches of augmented, standardized images from tensors (rank 4 `x`). */
  flow(x: Tensor, y: Tensor | null = null, options: FlowOptions = {}): ArrayIterator {
    return new ArrayIterator(x, y, this, options);
  }

  /** `flow_from_directory(directory)`: batches from a folder with one subfolder per class. Node only. */
  flowFromDirectory(directory: string, options: FlowFromDirectoryOptions = {}): DirectoryIterator {
    return new DirectoryIterator(directory, this, options);
  }

  /** `get_random_transform(img_shape, seed)`: random parameters for an image of this shape (rank 3). */
  getRandomTransform(imgShape: readonly number[], seed?: number): TransformParameters {
    return this.drawTransform(this.shapeOf(imgShape, 'getRandomTransform'), generatorFor(seed));
  }

  /** `random_transform(x, seed)`. */
  randomTransform(x: Tensor, seed?: number): Tensor {
    return this.applyTransform(x, this.getRandomTransform(x.shape, seed));
  }

  /** `apply_transform(x, transform_parameters)` on one image (rank 3). */
  applyTransform(x: Tensor, params: TransformParameters): Tensor {
    const shape = this.shapeOf(x.shape, 'applyTransform');
    const hwc = this.toHWC(Float32Array.from(x.dataSync()), shape);
    return new Tensor(this.fromHWC(this.applyTransformHWC(hwc, shape, params), shape), x.shape);
  }

  /** `standardize(x)` on one image (rank 3) or a batch (rank 4); returns a new tensor. */
  standardize(x: Tensor): Tensor {
    if (x.rank === 3) {
      const shape = this.shapeOf(x.shape, 'standardize');
      const hwc = this.toHWC(Float32Array.from(x.dataSync()), shape);
      return new Tensor(this.fromHWC(this.standardizeHWC(hwc, shape), shape), x.shape);
    }
    if (x.rank !== 4)
      throw new Error(`standardize: expected an image (rank 3) or a batch (rank 4), received shape ${formatShape(x.shape)}.`);
    if (this.preprocessingFunction) {
      throw new Error(
        'standardize: with a preprocessingFunction, standardize images one at a time (rank 3), as the iterators do.',
      );
    }
    // Keras applies each step to the whole array at once: the sample-wise statistics of a batch are the batch's.
    const shape = this.shapeOf(x.shape.slice(1), 'standardize');
    const n = x.shape[0] as number;
    const size = shape.height * shape.width * shape.channels;
    const src = Float32Array.from(x.dataSync());
    const hwc = new Float32Array(src.length);
    for (let i = 0; i < n; i++) hwc.set(this.toHWC(src.subarray(i * size, (i + 1) * size), shape), i * size);
    const out = standardizeHWC(hwc, shape.channels, { ...this.standardizeState(), zca: null });
    if (this.zcaWhitening && this.zcaHwc) {
      for (let i = 0; i < n; i++)
        out.set(standardizeHWC(out.subarray(i * size, (i + 1) * size), shape.channels, this.zcaOnly()), i * size);
    }
    const back = new Float32Array(out.length);
    for (let i = 0; i < n; i++) back.set(this.fromHWC(out.subarray(i * size, (i + 1) * size), shape), i * size);
    return new Tensor(back, x.shape);
  }

  /**
   * `fit(x)`: the feature-wise mean / std and the ZCA matrix from sample data (rank 4), after
   * `rescale`, optionally over `rounds` randomly augmented copies.
   */
  fit(x: Tensor, options: FitOptions = {}): void {
    if (x.rank !== 4) throw new Error(`Input to \`.fit()\` should have rank 4. Got array with shape: ${formatShape(x.shape)}`);
    const shape = this.shapeOf(x.shape.slice(1), 'fit');
    if (![1, 3, 4].includes(shape.channels)) {
      const axis = this.dataFormat === 'channels_first' ? 1 : 3;
      console.warn(
        `Expected input to be images (as Numpy array) following the data format convention "${this.dataFormat}" (channels on axis ${axis}), i.e. expected either 1, 3 or 4 channels on axis ${axis}. However, it was passed an array with shape ${formatShape(x.shape)} (${shape.channels} channels).`,
      );
    }
    const rng = generatorFor(options.seed);
    const n = x.shape[0] as number;
    const size = shape.height * shape.width * shape.channels;
    const src = x.dataSync();
    let data = new Float32Array(n * size);
    for (let i = 0; i < n; i++) data.set(this.toHWC(Float32Array.from(src.subarray(i * size, (i + 1) * size)), shape), i * size);
    if (this.rescale) {
      const r = Math.fround(this.rescale);
      for (let i = 0; i < data.length; i++) data[i] = (data[i] as number) * r;
    }
    let count = n;
    if (options.augment) {
      const rounds = options.rounds ?? 1;
      const aug = new Float32Array(rounds * data.length);
      for (let r = 0; r < rounds; r++) {
        for (let i = 0; i < n; i++) {
          const img = data.subarray(i * size, (i + 1) * size);
          aug.set(this.applyTransformHWC(img, shape, this.drawTransform(shape, rng)), (r * n + i) * size);
        }
      }
      data = aug;
      count = rounds * n;
    }
    const c = shape.channels;
    const statShape = this.dataFormat === 'channels_first' ? [c, 1, 1] : [1, 1, c];
    if (this.featurewiseCenter) {
      const mean = channelMean(data, c);
      this.mean = new Tensor(mean, statShape);
      subtractChannels(data, mean);
    }
    if (this.featurewiseStdNormalization) {
      const std = channelStd(data, c);
      this.std = new Tensor(std, statShape);
      divideChannels(data, std);
    }
    if (this.zcaWhitening) {
      this.zcaHwc = zcaMatrix(data, count, size, this.zcaEpsilon);
      const visible = this.dataFormat === 'channels_first' ? permuteZca(this.zcaHwc, shape) : this.zcaHwc;
      this.zcaWhiteningMatrix = new Tensor(Float32Array.from(visible), [size, size]);
    }
  }

  // ---- Augmenter (the iterators' view; channels-last data) ----

  hasRandomTransform(): boolean {
    return hasRandomTransform(this.ranges());
  }

  drawTransform(shape: ImageShape, rng: RandomGenerator): TransformParameters {
    return drawTransform(this.ranges(), shape.height, shape.width, rng);
  }

  transformSettings(): TransformSettings {
    return { fillMode: this.fillMode, cval: this.cval, interpolationOrder: this.interpolationOrder };
  }

  applyTransformHWC(x: Float32Array, shape: ImageShape, params: TransformParameters): Float32Array {
    if (params.brightness !== undefined && params.brightness !== null) {
      let hi = -Infinity;
      for (let i = 0; i < x.length; i++) if ((x[i] as number) > hi) hi = x[i] as number;
      if (hi <= 1) {
        warnOnce(
          'brightness-unit',
          'ImageDataGenerator: brightnessRange on images whose values are in [0, 1]: like Keras, the brightness shift goes through 8-bit pixels, so these images come out (nearly) black. Keep the images in 0..255 and use `rescale` (applied after augmentation) instead.',
        );
      }
    }
    return applyTransformHWC(x, shape, params, this.transformSettings());
  }

  standardizeHWC(x: Float32Array, shape: ImageShape): Float32Array {
    let data = x;
    if (this.preprocessingFunction) {
      const imgShape =
        this.dataFormat === 'channels_first'
          ? [shape.channels, shape.height, shape.width]
          : [shape.height, shape.width, shape.channels];
      const result = this.preprocessingFunction(new Tensor(this.fromHWC(Float32Array.from(x), shape), imgShape));
      if (!(result instanceof Tensor) || result.size !== x.length) {
        throw new Error(
          `ImageDataGenerator: preprocessingFunction must return a Tensor of the image's shape ${formatShape(imgShape)}, received ${result instanceof Tensor ? formatShape(result.shape) : typeof result}.`,
        );
      }
      data = this.toHWC(Float32Array.from(result.dataSync()), shape);
    }
    this.warnIfNotFit();
    return standardizeHWC(data, shape.channels, this.standardizeState());
  }

  // ---- helpers ----

  private ranges(): AugmentationRanges {
    return {
      rotationRange: this.rotationRange,
      widthShiftRange: this.widthShiftRange,
      heightShiftRange: this.heightShiftRange,
      shearRange: this.shearRange,
      zoomRange: this.zoomRange,
      channelShiftRange: this.channelShiftRange,
      brightnessRange: this.brightnessRange,
      horizontalFlip: this.horizontalFlip,
      verticalFlip: this.verticalFlip,
    };
  }

  private standardizeState(): StandardizeState {
    return {
      rescale: this.rescale,
      samplewiseCenter: this.samplewiseCenter,
      samplewiseStdNormalization: this.samplewiseStdNormalization,
      mean: this.featurewiseCenter && this.mean ? (this.mean.dataSync() as Float32Array) : null,
      std: this.featurewiseStdNormalization && this.std ? (this.std.dataSync() as Float32Array) : null,
      zca: this.zcaWhitening ? this.zcaHwc : null,
    };
  }

  private zcaOnly(): StandardizeState {
    return { rescale: null, samplewiseCenter: false, samplewiseStdNormalization: false, mean: null, std: null, zca: this.zcaHwc };
  }

  private warnIfNotFit(): void {
    if (this.featurewiseCenter && this.mean === null) {
      warnOnce(
        'fit-center',
        "This ImageDataGenerator specifies `featurewise_center`, but it hasn't been fit on any training data. Fit it first by calling `.fit(numpy_data)`.",
      );
    }
    if (this.featurewiseStdNormalization && this.std === null) {
      warnOnce(
        'fit-std',
        "This ImageDataGenerator specifies `featurewise_std_normalization`, but it hasn't been fit on any training data. Fit it first by calling `.fit(numpy_data)`.",
      );
    }
    if (this.zcaWhitening && this.zcaHwc === null) {
      warnOnce(
        'fit-zca',
        "This ImageDataGenerator specifies `zca_whitening`, but it hasn't been fit on any training data. Fit it first by calling `.fit(numpy_data)`.",
      );
    }
  }

  private shapeOf(dims: readonly number[], what: string): ImageShape {
    if (dims.length !== 3 || !dims.every((d) => Number.isInteger(d) && d > 0)) {
      throw new Error(`${what}: expected an image of rank 3 (${this.dataFormat}), received shape ${formatShape(dims)}.`);
    }
    const [a, b, c] = dims as [number, number, number];
    return this.dataFormat === 'channels_first' ? { height: b, width: c, channels: a } : { height: a, width: b, channels: c };
  }

  private toHWC(x: Float32Array, shape: ImageShape): Float32Array {
    return this.dataFormat === 'channels_first' ? chwToHwc(x, shape) : x;
  }

  private fromHWC(x: Float32Array, shape: ImageShape): Float32Array {
    return this.dataFormat === 'channels_first' ? hwcToChw(x, shape) : x;
  }
}

/** ZCA matrix from channels-last element order to channels-first order (what users see). */
function permuteZca(zca: Float64Array, shape: ImageShape): Float64Array {
  const d = shape.height * shape.width * shape.channels;
  const plane = shape.height * shape.width;
  const perm = new Int32Array(d); // perm[hwcIndex] = chwIndex
  for (let p = 0; p < plane; p++) for (let c = 0; c < shape.channels; c++) perm[p * shape.channels + c] = c * plane + p;
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) out[(perm[i] as number) * d + (perm[j] as number)] = zca[i * d + j] as number;
  return out;
}

/** `capa.preprocessing.image`: Keras's image preprocessing API. */

export {
  DEFAULT_MAX_IMAGE_PIXELS,
  getMaxImagePixels,
  setMaxImagePixels,
} from '../../data/codecs/pixel-limit.js';
export type { PilInterpolation as Interpolation } from '../../data/image-kernels/resize-pil.js';
export type { FlowOptions } from '../../data/iterators/array-iterator.js';
export { ArrayIterator as NumpyArrayIterator } from '../../data/iterators/array-iterator.js';
export type { DataFormat } from '../../data/iterators/augmenter.js';
export type { BatchTuple } from '../../data/iterators/batch-iterator.js';
export { BatchIterator as Iterator } from '../../data/iterators/batch-iterator.js';
export type { ClassMode, FlowFromDirectoryOptions } from '../../data/iterators/directory-iterator.js';
export { DirectoryIterator } from '../../data/iterators/directory-iterator.js';
export type { ColorMode } from '../../data/load-image.js';
export { type ApplyAffineTransformOptions, applyAffineTransform } from './affine.js';
export {
  type FillMode,
  type FitOptions,
  ImageDataGenerator,
  type ImageDataGeneratorOptions,
  type TransformParameters,
} from './image-data-generator.js';
export {
  type ArrayToImgOptions,
  arrayToImg,
  Image,
  type ImageArrayOptions,
  imgToArray,
  type LoadImgOptions,
  loadImg,
  type SaveImgOptions,
  saveImg,
} from './io.js';

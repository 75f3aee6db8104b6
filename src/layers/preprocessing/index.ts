/**
 * Keras 3's preprocessing layers: image preprocessing and augmentation, text and lookup layers,
 * feature preprocessing. Importing this module registers them with the layer class registry under Keras's class names.
 */
import { registerLayerClass } from '../registry.js';
import { CategoryEncoding } from './category-encoding.js';
import { Discretization } from './discretization.js';
import { Hashing } from './hashing.js';
import { IntegerLookup } from './integer-lookup.js';
import { Normalization } from './normalization.js';
import { RandomRotation, RandomTranslation, RandomZoom } from './random-affine.js';
import { RandomBrightness, RandomContrast } from './random-color.js';
import { RandomCrop } from './random-crop.js';
import { RandomFlip } from './random-flip.js';
import { Rescaling } from './rescaling.js';
import { Resizing } from './resizing.js';
import { StringLookup } from './string-lookup.js';
import { TextVectorization } from './text-vectorization.js';

for (const cls of [
  Rescaling,
  Resizing,
  RandomFlip,
  RandomRotation,
  RandomZoom,
  RandomTranslation,
  RandomContrast,
  RandomBrightness,
  RandomCrop,
  TextVectorization,
  StringLookup,
  IntegerLookup,
  Normalization,
  Discretization,
  CategoryEncoding,
  Hashing,
]) {
  registerLayerClass(cls);
}

export type { Factor, PreprocessingArgs, RandomArgs } from './base.js';
export { CategoryEncoding, type CategoryEncodingArgs } from './category-encoding.js';
export { Discretization, type DiscretizationArgs } from './discretization.js';
export { Hashing, type HashingArgs } from './hashing.js';
export { IntegerLookup, type IntegerLookupArgs } from './integer-lookup.js';
export type { IndexLookupArgs } from './lookup/index-lookup.js';
export type { LookupInput, StringInput } from './lookup/string-batch.js';
export type { OutputMode } from './lookup/vocabulary-table.js';
export { Normalization, type NormalizationArgs } from './normalization.js';
export { type AffineLayerArgs, RandomRotation, RandomTranslation, RandomZoom } from './random-affine.js';
export { type ColorArgs, RandomBrightness, RandomContrast } from './random-color.js';
export { RandomCrop } from './random-crop.js';
export { type FlipMode, RandomFlip } from './random-flip.js';
export { Rescaling, type RescalingArgs } from './rescaling.js';
export { Resizing, type ResizingArgs } from './resizing.js';
export { StringLookup, type StringLookupArgs } from './string-lookup.js';
export type { SplitArg, StandardizeArg } from './text/tokenize.js';
export { TextVectorization, type TextVectorizationArgs } from './text-vectorization.js';

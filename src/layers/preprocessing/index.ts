/**
 * Keras 3's image preprocessing and augmentation layers (data area). Importing this module
 * registers them with the layer class registry under Keras's class names.
 */
import { registerLayerClass } from '../registry.js';
import { RandomRotation, RandomTranslation, RandomZoom } from './random-affine.js';
import { RandomBrightness, RandomContrast } from './random-color.js';
import { RandomCrop } from './random-crop.js';
import { RandomFlip } from './random-flip.js';
import { Rescaling } from './rescaling.js';
import { Resizing } from './resizing.js';

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
]) {
  registerLayerClass(cls);
}

export type { Factor, PreprocessingArgs, RandomArgs } from './base.js';
export { type AffineLayerArgs, RandomRotation, RandomTranslation, RandomZoom } from './random-affine.js';
export { type ColorArgs, RandomBrightness, RandomContrast } from './random-color.js';
export { RandomCrop } from './random-crop.js';
export { type FlipMode, RandomFlip } from './random-flip.js';
export { Rescaling, type RescalingArgs } from './rescaling.js';
export { Resizing, type ResizingArgs } from './resizing.js';

/**
 * One image of a batch: read, decode, convert and resize, then (for ImageDataGenerator) the
 * random transform. Runs in a worker thread, or on the main thread when workers are off. Tasks
 * are plain data so they cross threads by structured clone.
 */

import { readImageFile } from '../image-io.js';
import { type FloatImage, resizeTf, resizeWithPad, smartCrop, type TfInterpolation } from '../image-kernels/resize-tf.js';
import { applyTransformHWC, type TransformParameters, type TransformSettings } from '../image-kernels/transform.js';
import { type ColorMode, modeForColorMode, type PrepareOptions, prepareImage, rawShape, rawToFloat } from '../load-image.js';
import { convertMode } from '../raw-image.js';

/** What every task names: the file, and its loader's pixel limit (worker threads do not see the main thread's setMaxImagePixels). */
interface FileTask {
  path: string;
  maxImagePixels: number | null;
}

/** ImageDataGenerator's pipeline: Keras's `load_img` (Pillow semantics), `img_to_array`, `apply_transform`. */
export interface GeneratorImageTask extends FileTask {
  kind: 'generator';
  prepare: PrepareOptions;
  transform: TransformParameters | null;
  settings: TransformSettings;
}

/** Keras 3 `image_dataset_from_directory`'s pipeline: decode to the colour mode, `tf.image.resize`. */
export interface DatasetImageTask extends FileTask {
  kind: 'dataset';
  colorMode: ColorMode;
  size: [number, number];
  interpolation: TfInterpolation;
  cropToAspectRatio: boolean;
  padToAspectRatio: boolean;
}

export type ImageTask = GeneratorImageTask | DatasetImageTask;

export interface ImageTaskResult {
  data: Float32Array;
  shape: [number, number, number];
}

export async function runImageTask(task: ImageTask): Promise<ImageTaskResult> {
  const decoded = await readImageFile(task.path, task.maxImagePixels);
  if (task.kind === 'dataset') {
    const raw = convertMode(decoded, modeForColorMode(task.colorMode));
    const [h, w, c] = rawShape(raw);
    let img: FloatImage = { data: rawToFloat(raw), height: h, width: w, channels: c };
    const [th, tw] = task.size;
    if (task.cropToAspectRatio) img = resizeTf(smartCrop(img, th, tw), th, tw, task.interpolation);
    else if (task.padToAspectRatio) img = resizeWithPad(img, th, tw, task.interpolation);
    else img = resizeTf(img, th, tw, task.interpolation);
    return { data: img.data, shape: [img.height, img.width, img.channels] };
  }
  const img = prepareImage(decoded, task.prepare);
  const shape = rawShape(img);
  let data = rawToFloat(img);
  if (task.transform) {
    data = applyTransformHWC(data, { height: shape[0], width: shape[1], channels: shape[2] }, task.transform, task.settings);
  }
  return { data, shape };
}

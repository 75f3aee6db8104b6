/**
 * One image of a directory batch: read, decode, convert and resize as Keras's `load_img`, then
 * `img_to_array` and the random transform. Runs in a worker thread, or on the main thread when
 * workers are off. The task is plain data so it crosses threads by structured clone.
 */

import { readImageFile } from '../image-io.js';
import { applyTransformHWC, type TransformParameters, type TransformSettings } from '../image-kernels/transform.js';
import { type PrepareOptions, prepareImage, rawShape, rawToFloat } from '../load-image.js';

export interface ImageTask {
  path: string;
  prepare: PrepareOptions;
  transform: TransformParameters | null;
  settings: TransformSettings;
}

export interface ImageTaskResult {
  data: Float32Array;
  shape: [number, number, number];
}

export async function runImageTask(task: ImageTask): Promise<ImageTaskResult> {
  const img = prepareImage(await readImageFile(task.path), task.prepare);
  const shape = rawShape(img);
  let data = rawToFloat(img);
  if (task.transform) {
    data = applyTransformHWC(data, { height: shape[0], width: shape[1], channels: shape[2] }, task.transform, task.settings);
  }
  return { data, shape };
}

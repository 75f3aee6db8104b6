/**
 * `utils.toPixels(tensor, canvas?)` (TensorFlow.js's `tf.browser.toPixels`): an image tensor
 * [height, width] or [height, width, 1 | 3 | 4] to RGBA bytes, drawn onto `canvas` when one is
 * given. float32 values are read as 0..1 and int32 values as 0..255, as in TensorFlow.js; values
 * outside that range are an error (a tensor in 0..255 stored as float is the usual mistake).
 */
import { type CanvasLike, drawRgba } from '../data/browser-image.js';
import type { Tensor } from '../tensor/tensor.js';

export async function toPixels(img: Tensor, canvas?: CanvasLike): Promise<Uint8ClampedArray> {
  const what = 'toPixels';
  const shape = img.shape;
  if (shape.length !== 2 && shape.length !== 3)
    throw new Error(
      `${what}: expected a tensor of shape [height, width] or [height, width, channels], received shape [${shape.join(', ')}].`,
    );
  const [height, width] = shape as [number, number];
  const channels = shape.length === 2 ? 1 : (shape[2] as number);
  if (channels !== 1 && channels !== 3 && channels !== 4)
    throw new Error(
      `${what}: the last dimension must be 1, 3 or 4 channels, received ${channels} (shape [${shape.join(', ')}]).`,
    );
  if (img.dtype !== 'float32' && img.dtype !== 'int32')
    throw new Error(`${what}: expected a float32 or int32 tensor, received ${img.dtype}.`);
  const values = await img.data();
  const scale = img.dtype === 'float32' ? 255 : 1;
  const max = img.dtype === 'float32' ? 1 : 255;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 4; c++) {
      let v: number;
      if (c === 3 && channels !== 4) v = max;
      else v = values[p * channels + (channels === 1 ? 0 : c)] as number;
      if (!(v >= 0 && v <= max)) {
        throw new Error(
          `${what}: ${img.dtype} values must lie in [0, ${max}], found ${v} at pixel ${p}` +
            (img.dtype === 'float32' && v > 1 && v <= 255 ? ' (divide a 0..255 image by 255, or cast it to int32).' : '.'),
        );
      }
      rgba[p * 4 + c] = Math.round(v * scale);
    }
  }
  if (canvas) drawRgba(canvas, rgba, width, height, what);
  return rgba;
}

/**
 * Keras's `imagenet_utils`: `preprocessInput` in the three modes the ImageNet applications use,
 * and `decodePredictions` with the class index bundled in the package (nothing is downloaded).
 */
import { Tensor } from '../tensor/tensor.js';
import { IMAGENET_CLASS_INDEX } from './imagenet-class-index.generated.js';

/**
 * - `caffe`: RGB -> BGR, then subtract the ImageNet mean per channel (VGG16/19, ResNet50); no scaling.
 * - `tf`: scale to [-1, 1] (MobileNetV2, Xception, Inception).
 * - `torch`: scale to [0, 1], then normalize with the ImageNet mean and std per channel.
 */
export type PreprocessMode = 'caffe' | 'tf' | 'torch';

export interface PreprocessOptions {
  mode?: PreprocessMode;
  /** Only 'channels_last' (NHWC, capa's layout) is supported. */
  dataFormat?: 'channels_last';
}

/** Keras's constants, BGR order for caffe (`[103.939, 116.779, 123.68]`), RGB for torch. */
const CAFFE_MEAN_BGR = [103.939, 116.779, 123.68] as const;
const TORCH_MEAN = [0.485, 0.456, 0.406] as const;
const TORCH_STD = [0.229, 0.224, 0.225] as const;
// numpy subtracts a Python float from a float32 array in float32: round the constants first.
const MEAN_BGR_F32 = Float32Array.from(CAFFE_MEAN_BGR);
const TORCH_MEAN_F32 = Float32Array.from(TORCH_MEAN);
const TORCH_STD_F32 = Float32Array.from(TORCH_STD);

/**
 * Preprocesses a batch (or one image) of RGB values in 0..255, channels last, like
 * `keras.applications.imagenet_utils.preprocess_input`. Returns a new float32 tensor.
 */
export function preprocessInput(x: Tensor, options: PreprocessOptions = {}): Tensor {
  const mode = options.mode ?? 'caffe';
  if (!(x instanceof Tensor)) throw new Error('preprocessInput: expected a Tensor of images (channels last).');
  if (options.dataFormat !== undefined && options.dataFormat !== 'channels_last') {
    throw new Error(`preprocessInput: only dataFormat 'channels_last' is supported, received '${String(options.dataFormat)}'.`);
  }
  const channels = x.shape[x.shape.length - 1];
  const input = x.dataSync();
  const out = new Float32Array(input.length);
  if (mode === 'tf') {
    // float32 at every step, as numpy computes `x /= 127.5; x -= 1.` on a float32 array.
    for (let i = 0; i < input.length; i++) out[i] = Math.fround(input[i]! / 127.5) - 1;
    return new Tensor(out, x.shape);
  }
  if (channels !== 3) {
    throw new Error(
      `preprocessInput: mode '${mode}' needs 3 color channels in the last axis, received shape [${x.shape.join(', ')}].`,
    );
  }
  if (mode === 'caffe') {
    for (let i = 0; i < input.length; i += 3) {
      // RGB -> BGR, then zero-center each channel.
      out[i] = input[i + 2]! - MEAN_BGR_F32[0]!;
      out[i + 1] = input[i + 1]! - MEAN_BGR_F32[1]!;
      out[i + 2] = input[i]! - MEAN_BGR_F32[2]!;
    }
    return new Tensor(out, x.shape);
  }
  if (mode === 'torch') {
    for (let i = 0; i < input.length; i++) {
      const c = i % 3;
      out[i] = Math.fround(Math.fround(input[i]! / 255) - TORCH_MEAN_F32[c]!) / TORCH_STD_F32[c]!;
    }
    return new Tensor(out, x.shape);
  }
  throw new Error(`preprocessInput: unknown mode '${String(mode)}' (expected 'caffe', 'tf' or 'torch').`);
}

/** One decoded prediction: `[wordnetId, label, score]` (Keras's tuple). */
export type DecodedPrediction = [string, string, number];

/**
 * The `top` most probable ImageNet classes of each row of `preds` (shape `[samples, 1000]`),
 * best first, like `keras.applications.imagenet_utils.decode_predictions`. Equal scores keep
 * Keras's order (the higher class index first).
 */
export function decodePredictions(preds: Tensor | readonly (readonly number[])[], top = 5): DecodedPrediction[][] {
  const rows: ArrayLike<number>[] = [];
  let shape: number[];
  if (preds instanceof Tensor) {
    shape = preds.shape.slice();
    if (shape.length === 2) {
      const data = preds.dataSync();
      for (let r = 0; r < shape[0]!; r++) rows.push(data.subarray(r * shape[1]!, (r + 1) * shape[1]!));
    }
  } else {
    shape = [preds.length, preds[0]?.length ?? 0];
    for (const row of preds) {
      if (row.length !== shape[1]) shape = [preds.length, -1];
      rows.push(row);
    }
  }
  if (shape.length !== 2 || shape[1] !== IMAGENET_CLASS_INDEX.length) {
    throw new Error(
      '`decodePredictions` expects a batch of predictions (i.e. a 2D array of shape (samples, 1000)). ' +
        `Received array with shape: (${shape.map((d) => (d < 0 ? 'ragged' : d)).join(', ')})`,
    );
  }
  if (!Number.isInteger(top) || top < 1) throw new Error(`decodePredictions: 'top' must be a positive integer, received ${top}.`);
  return rows.map((row) => {
    const order = Array.from({ length: row.length }, (_, i) => i);
    order.sort((a, b) => row[b]! - row[a]! || b - a);
    return order.slice(0, top).map((i) => {
      const [wnid, label] = IMAGENET_CLASS_INDEX[i]!;
      return [wnid, label, row[i]!] as DecodedPrediction;
    });
  });
}

/**
 * Keras's image utilities: `load_img`, `img_to_array`, `array_to_img`, `save_img`. Decoding and
 * encoding use `sharp` (plus capa's BMP/Netpbm codecs), loaded only when called; colour
 * conversion and resizing reproduce Pillow's arithmetic, so arrays match Keras's.
 */

import { decodeImageBytes, readImage } from '#platform/image-files';
import { floatToRaw } from '../../data/array-to-image.js';
import { type BrowserImageSource, isBrowserImageSource, rawFromBrowserImage } from '../../data/browser-image.js';
import { resolveMaxImagePixels } from '../../data/codecs/pixel-limit.js';
import { formatForPath, normalizeFormat, writeImageFile } from '../../data/image-io.js';
import type { PilInterpolation } from '../../data/image-kernels/resize-pil.js';
import { chwToHwc, type DataFormat, hwcToChw } from '../../data/iterators/augmenter.js';
import {
  type ColorMode,
  checkColorMode,
  checkInterpolation,
  checkTargetSize,
  prepareImage,
  rawToFloat,
} from '../../data/load-image.js';
import { channelsOf, convertMode, type ImageMode, type RawImage } from '../../data/raw-image.js';
import { formatShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';

/** An 8-bit image in memory, what `loadImg` returns (Keras returns a PIL image). */
export class Image {
  readonly width: number;
  readonly height: number;
  /** Pillow's mode name: 'L', 'LA', 'RGB' or 'RGBA'. */
  readonly mode: ImageMode;
  /** height x width x channels bytes. */
  readonly data: Uint8Array;

  constructor(raw: RawImage) {
    this.width = raw.width;
    this.height = raw.height;
    this.mode = raw.mode;
    this.data = raw.data;
  }

  /** [width, height], as PIL's `Image.size`. */
  get size(): [number, number] {
    return [this.width, this.height];
  }

  get channels(): number {
    return channelsOf(this.mode);
  }

  /** `Image.convert(mode)` with Pillow's formulas. */
  convert(mode: ImageMode): Image {
    return new Image(convertMode(this.raw(), mode));
  }

  /** @internal */
  raw(): RawImage {
    return { width: this.width, height: this.height, mode: this.mode, data: this.data };
  }
}

export interface LoadImgOptions {
  /** 'rgb' (default), 'rgba' or 'grayscale'. */
  colorMode?: ColorMode;
  /** [height, width], or null (default) to keep the image's size. */
  targetSize?: [number, number] | null;
  /** Used when resizing: 'nearest' (default), 'bilinear', 'bicubic', 'lanczos', 'box', 'hamming'. */
  interpolation?: PilInterpolation;
  /** Resize through the centred crop that has the target's aspect ratio. */
  keepAspectRatio?: boolean;
  /**
   * Refuse images of more pixels (width x height) than this, from their header (a guard against
   * decompression bombs); null: no limit. Default: `getMaxImagePixels()` (268,402,689, sharp's).
   */
  maxImagePixels?: number | null;
}

/** What `loadImg` reads: a file path (Node) or URL (browser), encoded bytes, a Blob/File, or a browser image. */
export type ImageSource = string | Uint8Array | Blob | BrowserImageSource;

async function readSource(source: ImageSource, maxPixels: number | null): Promise<RawImage> {
  if (typeof source === 'string') return readImage(source, maxPixels);
  if (source instanceof Uint8Array) return decodeImageBytes(source, '(bytes)', maxPixels);
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    return decodeImageBytes(
      new Uint8Array(await source.arrayBuffer()),
      `(${(source as { name?: string }).name ?? 'Blob'})`,
      maxPixels,
    );
  }
  if (isBrowserImageSource(source)) return rawFromBrowserImage(source, 'loadImg', maxPixels);
  throw new Error(
    'loadImg: expected a file path or URL, encoded bytes (Uint8Array), a Blob/File, or an <img>, <canvas>, ImageBitmap or ImageData; ' +
      `received ${source === null ? 'null' : typeof source}.`,
  );
}

/**
 * `load_img(path)`: reads an image into an `Image`: a file (Node) or URL (browser build), encoded
 * bytes, a Blob/File, or (in a browser) an <img>, <canvas>, OffscreenCanvas, ImageBitmap or ImageData.
 */
export async function loadImg(path: ImageSource, options: LoadImgOptions = {}): Promise<Image> {
  const what = 'loadImg';
  const maxPixels = resolveMaxImagePixels(options.maxImagePixels, what);
  const raw = await readSource(path, maxPixels);
  return new Image(
    prepareImage(raw, {
      colorMode: checkColorMode(options.colorMode ?? 'rgb', what),
      targetSize: checkTargetSize(options.targetSize, what),
      interpolation: checkInterpolation(options.interpolation ?? 'nearest', what),
      keepAspectRatio: options.keepAspectRatio ?? false,
    }),
  );
}

export interface ImageArrayOptions {
  dataFormat?: DataFormat;
}

/** `img_to_array(img)`: float32 tensor [height, width, channels] (or [channels, height, width]). */
export function imgToArray(img: Image, options: ImageArrayOptions = {}): Tensor {
  if (!(img instanceof Image)) throw new Error('imgToArray: expected an Image (from loadImg or arrayToImg).');
  const shape = { height: img.height, width: img.width, channels: img.channels };
  const hwc = rawToFloat(img.raw());
  if ((options.dataFormat ?? 'channels_last') === 'channels_first') {
    return new Tensor(hwcToChw(hwc, shape), [shape.channels, shape.height, shape.width]);
  }
  return new Tensor(hwc, [shape.height, shape.width, shape.channels]);
}

export interface ArrayToImgOptions extends ImageArrayOptions {
  /** Stretch the values to 0..255 first (default true, as Keras). */
  scale?: boolean;
}

/** `array_to_img(x)`: a rank-3 tensor (1, 3 or 4 channels) to an `Image`. */
export function arrayToImg(x: Tensor, options: ArrayToImgOptions = {}): Image {
  if (!(x instanceof Tensor) || x.rank !== 3) {
    throw new Error(
      `arrayToImg: Expected image array to have rank 3 (single image). Got array with shape: ${x instanceof Tensor ? formatShape(x.shape) : typeof x}`,
    );
  }
  const channelsFirst = (options.dataFormat ?? 'channels_last') === 'channels_first';
  const [a, b, c] = x.shape as [number, number, number];
  const shape = channelsFirst ? { height: b, width: c, channels: a } : { height: a, width: b, channels: c };
  let data: Float32Array = Float32Array.from(x.dataSync());
  if (channelsFirst) data = chwToHwc(data, shape);
  return new Image(floatToRaw(data, shape.height, shape.width, shape.channels, options.scale ?? true, 'arrayToImg'));
}

export interface SaveImgOptions extends ArrayToImgOptions {
  /** 'png', 'jpeg'/'jpg', 'webp', 'tiff', 'gif', 'bmp', 'ppm'; default from the file extension. */
  fileFormat?: string;
}

/** `save_img(path, x)`: writes a rank-3 tensor (or an `Image`) as an image file, atomically. Node only. */
export async function saveImg(path: string, x: Tensor | Image, options: SaveImgOptions = {}): Promise<void> {
  const what = 'saveImg';
  let img = x instanceof Image ? x : arrayToImg(x, options);
  const format = options.fileFormat !== undefined ? normalizeFormat(options.fileFormat, what) : formatForPath(path);
  if (format === null) {
    throw new Error(
      `${what}: cannot tell the image format from '${path}'; give fileFormat (png, jpeg, webp, tiff, gif, bmp, ppm).`,
    );
  }
  if (img.mode === 'RGBA' && format === 'jpeg') {
    console.warn('The JPG format does not support RGBA images, converting to RGB.');
    img = img.convert('RGB');
  }
  await writeImageFile(path, img.raw(), format, what);
}

/**
 * Keras's `load_img` steps after decoding: colour-mode conversion, then resizing (optionally
 * through the centred crop that keeps the aspect ratio), with Pillow's exact arithmetic; and
 * `img_to_array`. Pure TypeScript: decoding lives in image-io.ts.
 */
import { PIL_INTERPOLATIONS, type PilInterpolation, resizePil } from './image-kernels/resize-pil.js';
import { aspectCropBox, channelsOf, convertMode, type ImageMode, type RawImage } from './raw-image.js';

export type ColorMode = 'grayscale' | 'rgb' | 'rgba';

export const COLOR_MODES: readonly ColorMode[] = ['grayscale', 'rgb', 'rgba'];

export interface PrepareOptions {
  colorMode: ColorMode;
  /** [height, width], or null to keep the image's size. */
  targetSize: readonly [number, number] | null;
  interpolation: PilInterpolation;
  keepAspectRatio: boolean;
}

export function checkColorMode(colorMode: string, what: string): ColorMode {
  if (!(COLOR_MODES as readonly string[]).includes(colorMode)) {
    throw new Error(`${what}: Invalid color mode: ${colorMode}; expected "rgb", "rgba", or "grayscale".`);
  }
  return colorMode as ColorMode;
}

export function checkInterpolation(interpolation: string, what: string): PilInterpolation {
  if (!(PIL_INTERPOLATIONS as readonly string[]).includes(interpolation)) {
    throw new Error(
      `${what}: Invalid interpolation method ${interpolation} specified. Supported methods are ${PIL_INTERPOLATIONS.join(', ')}.`,
    );
  }
  return interpolation as PilInterpolation;
}

export function checkTargetSize(size: readonly number[] | null | undefined, what: string): [number, number] | null {
  if (size === null || size === undefined) return null;
  if (size.length !== 2 || !size.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`${what}: targetSize must be [height, width] with positive integers, received [${size.join(', ')}].`);
  }
  return [size[0] as number, size[1] as number];
}

export function modeForColorMode(colorMode: ColorMode): ImageMode {
  return colorMode === 'grayscale' ? 'L' : colorMode === 'rgb' ? 'RGB' : 'RGBA';
}

export function channelsForColorMode(colorMode: ColorMode): number {
  return colorMode === 'grayscale' ? 1 : colorMode === 'rgb' ? 3 : 4;
}

/** `load_img`'s conversion and resize, on an already decoded image. */
export function prepareImage(img: RawImage, opts: PrepareOptions): RawImage {
  let out = convertMode(img, modeForColorMode(opts.colorMode));
  const size = opts.targetSize;
  if (size !== null) {
    const [height, width] = size;
    if (out.width !== width || out.height !== height) {
      const box = opts.keepAspectRatio ? aspectCropBox(out.width, out.height, width, height) : undefined;
      out = resizePil(out, width, height, opts.interpolation, box);
    }
  }
  return out;
}

/** `img_to_array` (channels last): float32 copy of the bytes, shape [height, width, channels]. */
export function rawToFloat(img: RawImage): Float32Array {
  return new Float32Array(img.data);
}

export function rawShape(img: RawImage): [number, number, number] {
  return [img.height, img.width, channelsOf(img.mode)];
}

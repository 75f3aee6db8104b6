/**
 * The decompression-bomb guard: an image whose header claims more pixels than the limit is
 * refused before anything is allocated or inflated (a 1.5 MB PNG can claim 40000x40000 pixels,
 * 4.8 GB of RGB). Every decoder checks it from the header, and sharp gets it as its own
 * `limitInputPixels`. The default is sharp's (0x3FFF * 0x3FFF = 268,402,689 pixels); like
 * Pillow's `Image.MAX_IMAGE_PIXELS`, it is a process-wide setting (`setMaxImagePixels`), and the
 * loading functions also take it per call (`maxImagePixels`). null turns the guard off.
 */

/** sharp's `limitInputPixels` default. */
export const DEFAULT_MAX_IMAGE_PIXELS = 0x3fff * 0x3fff;

let processLimit: number | null = DEFAULT_MAX_IMAGE_PIXELS;

function checkLimit(limit: unknown, what: string): number | null {
  if (limit === null) return null;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
    throw new Error(`${what}: maxImagePixels must be a positive integer or null (no limit), received ${String(limit)}.`);
  }
  return limit;
}

/** Sets the largest image (width x height) any loader decodes, or null for no limit; Pillow's `Image.MAX_IMAGE_PIXELS = n`. */
export function setMaxImagePixels(limit: number | null): void {
  processLimit = checkLimit(limit, 'setMaxImagePixels');
}

/** The process-wide pixel limit (null: none). */
export function getMaxImagePixels(): number | null {
  return processLimit;
}

/** A per-call `maxImagePixels` option, checked; undefined means the process-wide limit at the time of the call. */
export function resolveMaxImagePixels(option: number | null | undefined, what: string): number | null {
  return option === undefined ? processLimit : checkLimit(option, what);
}

/** Throws, naming the format and the dimensions, when `width x height` is over `limit`. */
export function checkImagePixels(format: string, width: number, height: number, limit: number | null): void {
  if (limit === null || width * height <= limit) return;
  throw new Error(
    `${format}: the image is ${width}x${height} = ${(width * height).toLocaleString('en-US')} pixels, over the limit of ` +
      `${limit.toLocaleString('en-US')} (a guard against decompression bombs); if the file is trusted, raise the limit ` +
      'with the maxImagePixels option, preprocessing.image.setMaxImagePixels(), or --max-image-pixels on the command line.',
  );
}

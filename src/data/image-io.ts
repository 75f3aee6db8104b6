/**
 * Image files to and from `RawImage`. Node-only: `sharp` (libvips) decodes and encodes PNG, JPEG,
 * TIFF, GIF and WebP; BMP and Netpbm go through capa's own codecs because the prebuilt libvips has
 * no loader for them. Everything Node-specific is reached lazily (see node.ts), so importing this
 * module costs nothing until an image is read.
 */
import { Unzlib } from 'fflate';
import { loadSharp as loadPlatformSharp, type Sharp } from '#platform/sharp';
import { decodeBmp, encodeBmp, isBmp } from './codecs/bmp.js';
import { checkImagePixels } from './codecs/pixel-limit.js';
import { decodePngFast, isPng } from './codecs/png.js';
import { decodePpm, encodePpm, isPpm } from './codecs/ppm.js';
import { nodeFs, nodeZlib, writeFileAtomic } from './node.js';
import { modeForChannels, type RawImage } from './raw-image.js';

/** `sharp`, imported on first use (a clear error in a browser build). */
export function loadSharp(): Promise<Sharp> {
  return loadPlatformSharp('capa image I/O');
}

/** Compressed bytes fed per step once a stream turns out longer than needed: at most ~1 MB inflated past the rows. */
const INFLATE_STEP = 1024;

/**
 * The first `length` bytes a zlib stream inflates to, never more: node's zlib stops at the
 * bound; a stream that goes on past it (a PNG with more data than its rows, or a bomb behind a
 * small header) is then read in small steps only until `length` bytes are out, and the rest is
 * ignored, as libpng and Pillow ignore it.
 */
function inflatePrefix(data: Uint8Array, length: number): Uint8Array {
  try {
    return nodeZlib('decode').inflateSync(data, { maxOutputLength: Math.max(1, length) });
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_BUFFER_TOO_LARGE') throw err;
  }
  const out = new Uint8Array(length);
  let filled = 0;
  const inflater = new Unzlib((chunk) => {
    const n = Math.min(chunk.length, length - filled);
    out.set(chunk.subarray(0, n), filled);
    filled += n;
  });
  for (let at = 0; filled < length && at < data.length; at += INFLATE_STEP) inflater.push(data.subarray(at, at + INFLATE_STEP));
  return out.subarray(0, filled);
}

/** sharp's decode with `limitInputPixels`; its "exceeds pixel limit" becomes the same message as capa's decoders give. */
async function decodeWithSharp(bytes: Uint8Array, maxPixels: number | null): Promise<RawImage> {
  const sharp = await loadSharp();
  try {
    // First frame only (GIF/TIFF pages), 8 bits per sample, no EXIF rotation: what Pillow's open() gives.
    const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels ?? false })
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    const mode = modeForChannels(info.channels, 'decode');
    return { width: info.width, height: info.height, mode, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (err) {
    if (maxPixels !== null && /pixel limit/i.test((err as Error).message)) {
      const { format, width, height } = await sharp(bytes, { limitInputPixels: false }).metadata();
      checkImagePixels((format ?? 'image').toUpperCase(), width ?? 0, height ?? 0, maxPixels);
    }
    throw err;
  }
}

/**
 * Decodes an image held in memory. `source` names it in errors. Images over `maxPixels` (null:
 * no limit) are refused from their header, before any pixel is decoded.
 */
export async function decodeImage(bytes: Uint8Array, source: string, maxPixels: number | null): Promise<RawImage> {
  try {
    if (isBmp(bytes)) return decodeBmp(bytes, maxPixels);
    if (isPpm(bytes)) return decodePpm(bytes, maxPixels);
    if (isPng(bytes)) {
      const fast = decodePngFast(bytes, inflatePrefix, maxPixels);
      if (fast !== null) return fast;
    }
    return await decodeWithSharp(bytes, maxPixels);
  } catch (err) {
    throw new Error(`Cannot decode image ${source}: ${(err as Error).message}`);
  }
}

/**
 * Reads and decodes an image file; errors name the file. `maxPixels` as in `decodeImage`. Only
 * regular files are read: a link to /dev/zero or a FIFO among the images would never end.
 */
export async function readImageFile(path: string, maxPixels: number | null): Promise<RawImage> {
  const fs = nodeFs('loadImg');
  let bytes: Uint8Array;
  try {
    // Non-blocking, so that opening a FIFO returns at once instead of waiting for a writer.
    const file = await fs.promises.open(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    try {
      if (!(await file.stat()).isFile()) throw new Error('not a regular file');
      bytes = await file.readFile();
    } finally {
      await file.close();
    }
  } catch (err) {
    throw new Error(`Cannot read image file '${path}': ${(err as Error).message}`);
  }
  if (bytes.length === 0) throw new Error(`Cannot decode image '${path}': the file is empty.`);
  return decodeImage(bytes, `'${path}'`, maxPixels);
}

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'tiff' | 'gif' | 'bmp' | 'ppm';

export const IMAGE_FORMATS: readonly ImageFormat[] = ['png', 'jpeg', 'webp', 'tiff', 'gif', 'bmp', 'ppm'];

/** The format for a file name's extension (Pillow's names: jpg/jpeg, tif/tiff, pgm/ppm), or null. */
export function formatForPath(path: string): ImageFormat | null {
  const ext = /\.([^./\\]+)$/.exec(path)?.[1]?.toLowerCase();
  switch (ext) {
    case 'png':
      return 'png';
    case 'jpg':
    case 'jpeg':
      return 'jpeg';
    case 'webp':
      return 'webp';
    case 'tif':
    case 'tiff':
      return 'tiff';
    case 'gif':
      return 'gif';
    case 'bmp':
      return 'bmp';
    case 'ppm':
    case 'pgm':
    case 'pbm':
      return 'ppm';
    default:
      return null;
  }
}

export function normalizeFormat(format: string, what: string): ImageFormat {
  const f = format.toLowerCase() === 'jpg' ? 'jpeg' : format.toLowerCase() === 'tif' ? 'tiff' : format.toLowerCase();
  if (!(IMAGE_FORMATS as readonly string[]).includes(f)) {
    throw new Error(`${what}: unsupported image format '${format}'; expected one of ${IMAGE_FORMATS.join(', ')}.`);
  }
  return f as ImageFormat;
}

/** Encodes an image (JPEG at Pillow's default quality 75); JPEG cannot hold alpha, as in Pillow. */
export async function encodeImage(img: RawImage, format: ImageFormat, what: string): Promise<Uint8Array> {
  if (format === 'bmp') return encodeBmp(img);
  if (format === 'ppm') return encodePpm(img);
  if (format === 'jpeg' && (img.mode === 'RGBA' || img.mode === 'LA')) {
    throw new Error(`${what}: cannot write mode ${img.mode} as JPEG (JPEG has no alpha); use PNG or drop the alpha channel.`);
  }
  const sharp = await loadSharp();
  const channels = img.mode === 'L' ? 1 : img.mode === 'LA' ? 2 : img.mode === 'RGB' ? 3 : 4;
  const pipeline = sharp(img.data, { raw: { width: img.width, height: img.height, channels: channels as 1 | 2 | 3 | 4 } });
  // Pillow's defaults where they matter: JPEG quality 75, TIFF lossless (sharp would pick JPEG-in-TIFF).
  const formatOptions =
    format === 'jpeg'
      ? { quality: 75 }
      : format === 'tiff'
        ? { compression: 'lzw' }
        : format === 'webp'
          ? { lossless: true }
          : {};
  const out = await pipeline.toFormat(format, formatOptions).toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** Encodes and writes an image file atomically (temporary name, then rename). */
export async function writeImageFile(path: string, img: RawImage, format: ImageFormat, what: string): Promise<void> {
  const bytes = await encodeImage(img, format, what);
  await writeFileAtomic(path, bytes, what);
}

/**
 * Images from what a browser page holds (`<img>`, `<canvas>`, `OffscreenCanvas`, `ImageBitmap`,
 * `ImageData`, `<video>`, a `Blob`), read as RGBA pixels through a 2D canvas, and pixels back to a
 * canvas. Only the DOM features used are typed here: capa compiles without the DOM library.
 */
import { checkImagePixels } from './codecs/pixel-limit.js';
import type { RawImage } from './raw-image.js';

/** Anything with pixels a 2D canvas can draw (CanvasImageSource) or hold (ImageData). */
export interface BrowserImageSource {
  readonly width: number;
  readonly height: number;
}

interface ImageDataLike {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}
interface Context2dLike {
  drawImage(source: BrowserImageSource, x: number, y: number): void;
  getImageData(x: number, y: number, w: number, h: number): ImageDataLike;
  putImageData(data: ImageDataLike, x: number, y: number): void;
}
export interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): unknown;
}

type Ctor = abstract new (...args: never[]) => unknown;
const DRAWABLE = [
  'HTMLImageElement',
  'HTMLCanvasElement',
  'OffscreenCanvas',
  'ImageBitmap',
  'HTMLVideoElement',
  'SVGImageElement',
  'VideoFrame',
];

function globalClass(name: string): Ctor | undefined {
  const value = (globalThis as Record<string, unknown>)[name];
  return typeof value === 'function' ? (value as Ctor) : undefined;
}

function isImageData(value: unknown): value is ImageDataLike {
  const ImageDataClass = globalClass('ImageData');
  return ImageDataClass !== undefined && value instanceof ImageDataClass;
}

/** True for `<img>`, `<canvas>`, `OffscreenCanvas`, `ImageBitmap`, `<video>`, `ImageData`. */
export function isBrowserImageSource(value: unknown): value is BrowserImageSource {
  if (typeof value !== 'object' || value === null) return false;
  if (isImageData(value)) return true;
  return DRAWABLE.some((name) => {
    const cls = globalClass(name);
    return cls !== undefined && value instanceof cls;
  });
}

/** A 2D context on a fresh canvas of this size (OffscreenCanvas in workers and pages; a <canvas> otherwise). */
function scratchContext(width: number, height: number, what: string): Context2dLike {
  const Offscreen = (globalThis as { OffscreenCanvas?: new (w: number, h: number) => CanvasLike }).OffscreenCanvas;
  const canvas: CanvasLike | undefined = Offscreen
    ? new Offscreen(width, height)
    : (globalThis as { document?: { createElement(tag: 'canvas'): CanvasLike } }).document?.createElement('canvas');
  if (!canvas) throw new Error(`${what}: reading pixels from a browser image needs OffscreenCanvas or a document.`);
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d') as Context2dLike | null;
  if (!context) throw new Error(`${what}: the browser gave no 2D canvas context.`);
  return context;
}

/** The source's pixels as an RGBA image (the size the source is drawn at: an <img>'s natural size). */
export function rawFromBrowserImage(source: BrowserImageSource, what: string, maxPixels: number | null): RawImage {
  const natural = source as { naturalWidth?: number; naturalHeight?: number; videoWidth?: number; videoHeight?: number };
  const width = natural.naturalWidth || natural.videoWidth || source.width;
  const height = natural.naturalHeight || natural.videoHeight || source.height;
  if (!(width > 0 && height > 0))
    throw new Error(`${what}: the image has no pixels yet (${width}x${height}); wait for it to load.`);
  checkImagePixels(what, width, height, maxPixels);
  const data = isImageData(source)
    ? source.data
    : (() => {
        const context = scratchContext(width, height, what);
        context.drawImage(source, 0, 0);
        return context.getImageData(0, 0, width, height).data;
      })();
  return { width, height, mode: 'RGBA', data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice() };
}

/** Decodes encoded image bytes (PNG, JPEG, GIF, WebP, BMP, ...) with the browser's own decoder. */
export async function decodeWithBrowser(bytes: Uint8Array | Blob, what: string, maxPixels: number | null): Promise<RawImage> {
  const create = (globalThis as { createImageBitmap?: (blob: Blob) => Promise<BrowserImageSource & { close(): void }> })
    .createImageBitmap;
  if (!create) throw new Error(`${what}: decoding images here needs createImageBitmap (a browser or a worker in one).`);
  const blob = bytes instanceof Blob ? bytes : new Blob([bytes.slice().buffer]);
  let bitmap: BrowserImageSource & { close(): void };
  try {
    bitmap = await create(blob);
  } catch (error) {
    throw new Error(
      `${what}: the browser could not decode the image (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  try {
    return rawFromBrowserImage(bitmap, what, maxPixels);
  } finally {
    bitmap.close();
  }
}

/** RGBA bytes drawn onto `canvas` (resized to the image). */
export function drawRgba(canvas: CanvasLike, rgba: Uint8ClampedArray, width: number, height: number, what: string): void {
  const ImageDataClass = globalClass('ImageData') as
    | (new (
        data: Uint8ClampedArray,
        w: number,
        h: number,
      ) => ImageDataLike)
    | undefined;
  if (!ImageDataClass) throw new Error(`${what}: drawing to a canvas needs a browser (ImageData is missing).`);
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d') as Context2dLike | null;
  if (!context) throw new Error(`${what}: the canvas gave no 2D context.`);
  context.putImageData(new ImageDataClass(rgba, width, height), 0, 0);
}

/**
 * A fast path for the common PNGs of image datasets (8-bit and low-bit grey, grey+alpha, RGB,
 * RGBA, palette; not interlaced): inflate (node:zlib) and unfilter in TypeScript, no libvips
 * round trip, which dominates the cost of small images such as MNIST's 28x28 digits. PNG is
 * lossless, so the bytes equal what sharp or Pillow decode. Anything else (16-bit samples,
 * interlacing, transparency keys on non-palette images) returns null and goes to sharp.
 * The pixel limit is checked from IHDR before anything is inflated, and inflation stops at the
 * size IHDR implies (a small header cannot hide a huge data stream).
 */
import type { ImageMode, RawImage } from '../raw-image.js';
import { checkImagePixels } from './pixel-limit.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

/** zlib inflation of the first `length` bytes of a stream, no more (fewer when the stream is shorter). */
export type InflatePrefix = (data: Uint8Array, length: number) => Uint8Array;

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Reverses the per-row filters in place; `bpp` is bytes per pixel (at least 1). */
function unfilter(data: Uint8Array, height: number, stride: number, bpp: number): Uint8Array {
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const type = data[y * (stride + 1)] as number;
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    const prev = row - stride;
    for (let x = 0; x < stride; x++) {
      const raw = data[src + x] as number;
      const a = x >= bpp ? (out[row + x - bpp] as number) : 0;
      const b = y > 0 ? (out[prev + x] as number) : 0;
      const c = x >= bpp && y > 0 ? (out[prev + x - bpp] as number) : 0;
      let v: number;
      switch (type) {
        case 0:
          v = raw;
          break;
        case 1:
          v = raw + a;
          break;
        case 2:
          v = raw + b;
          break;
        case 3:
          v = raw + ((a + b) >> 1);
          break;
        case 4:
          v = raw + paeth(a, b, c);
          break;
        default:
          throw new Error(`PNG: invalid filter type ${type} on row ${y}.`);
      }
      out[row + x] = v & 0xff;
    }
  }
  return out;
}

/**
 * Decodes the PNG, or returns null when it needs the general decoder. Throws on corrupt data and
 * on images over `maxPixels` (null: no limit).
 */
export function decodePngFast(bytes: Uint8Array, inflate: InflatePrefix, maxPixels: number | null): RawImage | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let colorType = -1;
  let palette: Uint8Array | null = null;
  let alphas: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  let ended = false;
  while (pos + 8 <= bytes.length) {
    const len = view.getUint32(pos);
    const type = String.fromCharCode(
      bytes[pos + 4] as number,
      bytes[pos + 5] as number,
      bytes[pos + 6] as number,
      bytes[pos + 7] as number,
    );
    const start = pos + 8;
    if (start + len + 4 > bytes.length) throw new Error(`PNG: chunk ${type} is truncated.`);
    const body = bytes.subarray(start, start + len);
    if (type === 'IHDR') {
      width = view.getUint32(start);
      height = view.getUint32(start + 4);
      depth = body[8] as number;
      colorType = body[9] as number;
      checkImagePixels('PNG', width, height, maxPixels);
      if (body[12] !== 0) return null; // interlaced
    } else if (type === 'PLTE') palette = body;
    else if (type === 'tRNS') alphas = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') {
      ended = true;
      break;
    }
    pos = start + len + 4;
  }
  if (!ended) throw new Error('PNG: the file is truncated (no IEND chunk).');
  if (width === 0 || height === 0) throw new Error('PNG: missing or invalid IHDR chunk.');
  if (depth === 16 || (alphas !== null && colorType !== 3)) return null;
  const channels =
    colorType === 0 ? 1 : colorType === 2 ? 3 : colorType === 3 ? 1 : colorType === 4 ? 2 : colorType === 6 ? 4 : 0;
  if (channels === 0) throw new Error(`PNG: invalid color type ${colorType}.`);
  const total = idat.reduce((n, c) => n + c.length, 0);
  const joined = new Uint8Array(total);
  let o = 0;
  for (const c of idat) {
    joined.set(c, o);
    o += c.length;
  }
  const bitsPerPixel = channels * depth;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const expected = height * (stride + 1);
  // Data past the rows is ignored, as libpng and Pillow ignore it, and never inflated.
  const inflated = inflate(joined, expected);
  if (inflated.length < expected) throw new Error('PNG: image data is truncated.');
  const rows = unfilter(inflated, height, stride, Math.max(1, bitsPerPixel >> 3));
  if (depth === 8 && colorType !== 3) {
    const mode: ImageMode = channels === 1 ? 'L' : channels === 2 ? 'LA' : channels === 3 ? 'RGB' : 'RGBA';
    return { width, height, mode, data: rows };
  }
  // Sub-byte samples (grey or palette indices).
  const sample = (y: number, x: number): number => {
    const bit = x * depth;
    return ((rows[y * stride + (bit >> 3)] as number) >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
  };
  if (colorType === 0) {
    const scale = 255 / ((1 << depth) - 1);
    const out = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = sample(y, x) * scale;
    return { width, height, mode: 'L', data: out };
  }
  if (colorType !== 3 || palette === null) throw new Error('PNG: palette image without a PLTE chunk.');
  const withAlpha = alphas !== null;
  const c = withAlpha ? 4 : 3;
  const out = new Uint8Array(width * height * c);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const index = depth === 8 ? (rows[y * stride + x] as number) : sample(y, x);
      if (index * 3 + 2 >= palette.length) throw new Error(`PNG: palette index ${index} out of range.`);
      const d = (y * width + x) * c;
      out[d] = palette[index * 3] as number;
      out[d + 1] = palette[index * 3 + 1] as number;
      out[d + 2] = palette[index * 3 + 2] as number;
      if (withAlpha) out[d + 3] = index < (alphas as Uint8Array).length ? ((alphas as Uint8Array)[index] as number) : 255;
    }
  }
  return { width, height, mode: withAlpha ? 'RGBA' : 'RGB', data: out };
}

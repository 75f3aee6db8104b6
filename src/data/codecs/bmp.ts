/**
 * BMP reading and writing in TypeScript (sharp/libvips has no BMP loader, and Keras lists .bmp
 * among its image files). Reads what Pillow reads in practice: Windows BMP with the 12-, 40-, 52-,
 * 56-, 108- and 124-byte headers, 1/4/8-bit palettes, 16/24/32-bit pixels with or without bit
 * fields, bottom-up or top-down rows. Writes 24-bit (RGB, L) and 32-bit (RGBA) files.
 */
import type { ImageMode, RawImage } from '../raw-image.js';
import { checkImagePixels } from './pixel-limit.js';

export function isBmp(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d;
}

function fail(reason: string): never {
  throw new Error(`BMP: ${reason}.`);
}

/** Position and width of a channel inside a bit-field mask, scaled to 8 bits on read. */
function maskReader(mask: number): (v: number) => number {
  if (mask === 0) return () => 255;
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  let bits = 0;
  while (((mask >>> (shift + bits)) & 1) === 1 && shift + bits < 32) bits++;
  const max = 2 ** bits - 1;
  return (v) => Math.round((((v & mask) >>> 0) >>> shift) * (255 / max));
}

/** Decodes a BMP; images over `maxPixels` (null: no limit) are refused from the header. */
export function decodeBmp(bytes: Uint8Array, maxPixels: number | null): RawImage {
  if (!isBmp(bytes)) fail('missing the "BM" signature');
  if (bytes.length < 26) fail('file is truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataOffset = view.getUint32(10, true);
  const headerSize = view.getUint32(14, true);
  let width: number;
  let rawHeight: number;
  let bitCount: number;
  let compression = 0;
  let colorsUsed = 0;
  if (headerSize === 12) {
    width = view.getUint16(18, true);
    rawHeight = view.getInt16(20, true);
    bitCount = view.getUint16(24, true);
  } else if (headerSize >= 40) {
    if (bytes.length < 54) fail('file is truncated');
    width = view.getInt32(18, true);
    rawHeight = view.getInt32(22, true);
    bitCount = view.getUint16(28, true);
    compression = view.getUint32(30, true);
    colorsUsed = view.getUint32(46, true);
  } else {
    fail(`unsupported header size ${headerSize}`);
  }
  if (14 + headerSize > bytes.length) fail('header is truncated');
  const topDown = rawHeight < 0;
  const height = Math.abs(rawHeight);
  if (width <= 0 || height <= 0) fail(`invalid size ${width}x${height}`);
  checkImagePixels('BMP', width, height, maxPixels);
  // Bit fields follow a 40-byte header (BI_BITFIELDS / BI_ALPHABITFIELDS) or sit inside V2+ headers.
  let masks: [number, number, number, number] | null = null;
  if (compression === 3 || compression === 6) {
    const at = 14 + (headerSize >= 52 ? 40 : headerSize);
    if (at + 16 > bytes.length) fail('bit fields are truncated');
    masks = [view.getUint32(at, true), view.getUint32(at + 4, true), view.getUint32(at + 8, true), 0];
    if (compression === 6 || headerSize >= 56) masks[3] = view.getUint32(at + 12, true);
  } else if (compression !== 0) {
    fail(`compression ${compression} (RLE/JPEG/PNG inside BMP) is not supported; re-save the file as an uncompressed BMP or PNG`);
  }
  let palette: Uint8Array | null = null;
  if (bitCount <= 8) {
    // Indices cannot exceed 2^bitCount - 1, so a larger colour count in the header is not read (nor allocated).
    const entries = Math.min(colorsUsed || 1 << bitCount, 1 << bitCount);
    const entrySize = headerSize === 12 ? 3 : 4;
    const at = 14 + headerSize;
    palette = new Uint8Array(entries * 3);
    for (let i = 0; i < entries; i++) {
      const p = at + i * entrySize;
      if (p + 2 >= bytes.length) fail('palette is truncated');
      palette[i * 3] = bytes[p + 2] as number;
      palette[i * 3 + 1] = bytes[p + 1] as number;
      palette[i * 3 + 2] = bytes[p] as number;
    }
  } else if (![16, 24, 32].includes(bitCount)) {
    fail(`unsupported bit depth ${bitCount}`);
  }
  const rowSize = Math.floor((bitCount * width + 31) / 32) * 4;
  if (dataOffset + rowSize * height > bytes.length) fail('pixel data is truncated');
  if (bitCount === 16 && masks === null) masks = [0x7c00, 0x03e0, 0x001f, 0];
  const hasAlpha = masks !== null && masks[3] !== 0;
  const mode: ImageMode = hasAlpha ? 'RGBA' : 'RGB';
  const c = hasAlpha ? 4 : 3;
  const out = new Uint8Array(width * height * c);
  const readers = masks ? masks.map(maskReader) : null;
  for (let y = 0; y < height; y++) {
    const row = dataOffset + (topDown ? y : height - 1 - y) * rowSize;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * c;
      if (palette) {
        const bitPos = x * bitCount;
        const byte = bytes[row + (bitPos >> 3)] as number;
        const index = (byte >> (8 - bitCount - (bitPos & 7))) & ((1 << bitCount) - 1);
        if (index * 3 + 2 >= palette.length) fail(`palette index ${index} out of range`);
        out[o] = palette[index * 3] as number;
        out[o + 1] = palette[index * 3 + 1] as number;
        out[o + 2] = palette[index * 3 + 2] as number;
      } else if (readers) {
        const p = row + x * (bitCount / 8);
        const v = bitCount === 16 ? view.getUint16(p, true) : view.getUint32(p, true);
        for (let k = 0; k < c; k++) out[o + k] = (readers[k] as (v: number) => number)(v);
      } else {
        const p = row + x * (bitCount / 8);
        out[o] = bytes[p + 2] as number;
        out[o + 1] = bytes[p + 1] as number;
        out[o + 2] = bytes[p] as number;
      }
    }
  }
  return { width, height, mode, data: out };
}

/** A bottom-up BMP: 24-bit for L/RGB (L replicated, as Pillow saves L with a grey palette), 32-bit BGRA for RGBA. */
export function encodeBmp(img: RawImage): Uint8Array {
  const alpha = img.mode === 'RGBA' || img.mode === 'LA';
  const bpp = alpha ? 4 : 3;
  const inC = img.mode === 'L' ? 1 : img.mode === 'LA' ? 2 : img.mode === 'RGB' ? 3 : 4;
  const headerSize = alpha ? 108 : 40;
  const rowSize = Math.floor((bpp * 8 * img.width + 31) / 32) * 4;
  const dataOffset = 14 + headerSize;
  const size = dataOffset + rowSize * img.height;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out[0] = 0x42;
  out[1] = 0x4d;
  view.setUint32(2, size, true);
  view.setUint32(10, dataOffset, true);
  view.setUint32(14, headerSize, true);
  view.setInt32(18, img.width, true);
  view.setInt32(22, img.height, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, bpp * 8, true);
  view.setUint32(30, alpha ? 3 : 0, true);
  view.setUint32(34, rowSize * img.height, true);
  view.setInt32(38, 2835, true);
  view.setInt32(42, 2835, true);
  if (alpha) {
    view.setUint32(54, 0x00ff0000, true);
    view.setUint32(58, 0x0000ff00, true);
    view.setUint32(62, 0x000000ff, true);
    view.setUint32(66, 0xff000000, true);
    view.setUint32(70, 0x73524742, true); // 'sRGB'
  }
  for (let y = 0; y < img.height; y++) {
    const row = dataOffset + (img.height - 1 - y) * rowSize;
    for (let x = 0; x < img.width; x++) {
      const i = (y * img.width + x) * inC;
      const r = img.data[i] as number;
      const g = inC >= 3 ? (img.data[i + 1] as number) : r;
      const b = inC >= 3 ? (img.data[i + 2] as number) : r;
      const p = row + x * bpp;
      out[p] = b;
      out[p + 1] = g;
      out[p + 2] = r;
      if (alpha) out[p + 3] = img.data[i + inC - 1] as number;
    }
  }
  return out;
}

/**
 * Decompression-bomb image files, built at test time in milliseconds: valid files whose header
 * claims a huge image (or whose PNG data inflates far past what the header implies), small on
 * disk because their pixels are zeros.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';

const PNG_SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function u32(...values: number[]): Uint8Array {
  const out = new Uint8Array(4 * values.length);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => {
    view.setUint32(4 * i, v);
  });
  return out;
}

function pngChunk(type: string, body: Uint8Array): Uint8Array {
  const typed = concat([new TextEncoder().encode(type), body]);
  return concat([u32(body.length), typed, u32(crc32(typed))]);
}

/**
 * A zlib stream that inflates to `total` zero bytes, without deflating them: one block of zeros
 * compressed once after a full flush (so it stands alone) and repeated, then an empty final block.
 */
export function zerosZlib(total: number): Uint8Array {
  let piece = Math.min(total, 1 << 24);
  while (total % piece !== 0) piece--;
  const block = deflateRawSync(new Uint8Array(piece), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const last = Uint8Array.from([0x03, 0x00]); // a final fixed-Huffman block holding nothing
  const adler = ((total % 65521) * 65536 + 1) >>> 0; // Adler-32 of zeros: a = 1, b = total mod 65521
  return concat([Uint8Array.from([0x78, 0xda]), ...Array.from({ length: total / piece }, () => block), last, u32(adler)]);
}

/** A valid 8-bit greyscale PNG with `idat` as its compressed data. */
export function pngFile(width: number, height: number, idat: Uint8Array, interlaced = false): Uint8Array {
  const ihdr = concat([u32(width, height), Uint8Array.from([8, 0, 0, 0, interlaced ? 1 : 0])]);
  return concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', new Uint8Array(0))]);
}

/** A black `width` x `height` greyscale PNG; the bomb: 40000 x 40000 is 1.6 GB of pixels in about 1.5 MB. */
export function blackPng(width: number, height: number): Uint8Array {
  return pngFile(width, height, zerosZlib(height * (width + 1)));
}

/** A small PNG (`width` x `height`) whose data inflates to `inflated` bytes, far more than its rows need. */
export function pngDataBomb(width: number, height: number, inflated: number): Uint8Array {
  return pngFile(width, height, zerosZlib(inflated));
}

/** A 24-bit BMP header claiming `width` x `height` pixels, with none of them. */
export function bmpHeader(width: number, height: number): Uint8Array {
  const out = new Uint8Array(54);
  const view = new DataView(out.buffer);
  out.set([0x42, 0x4d]);
  view.setUint32(2, 54, true);
  view.setUint32(10, 54, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, width, true);
  view.setInt32(22, height, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, 24, true);
  return out;
}

/** A Netpbm header (P1..P6) claiming `width` x `height` pixels, with one sample. */
export function ppmHeader(kind: 1 | 2 | 3 | 4 | 5 | 6, width: number, height: number): Uint8Array {
  const maxval = kind === 1 || kind === 4 ? '' : ' 255';
  return new TextEncoder().encode(`P${kind}\n${width} ${height}${maxval}\n0 `);
}

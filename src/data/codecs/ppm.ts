/**
 * Netpbm reading and writing in TypeScript (sharp's prebuilt libvips has no PPM loader, and Keras
 * lists .ppm among its image files): P1-P6, i.e. PBM (1 = black, as Pillow reads it), PGM and PPM,
 * ASCII or binary; samples with a maxval other than 255 are scaled to 0..255.
 */
import type { RawImage } from '../raw-image.js';
import { checkImagePixels } from './pixel-limit.js';

export function isPpm(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x50 && (bytes[1] as number) >= 0x31 && (bytes[1] as number) <= 0x36;
}

function fail(reason: string): never {
  throw new Error(`PPM: ${reason}.`);
}

const isSpace = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0b || b === 0x0c;

/**
 * Decodes a Netpbm file; images over `maxPixels` (null: no limit) are refused from the header,
 * and the pixel buffer is allocated only once the file is known to hold that many samples.
 */
export function decodePpm(bytes: Uint8Array, maxPixels: number | null): RawImage {
  if (!isPpm(bytes)) fail('missing a P1..P6 signature');
  const kind = (bytes[1] as number) - 0x30;
  let pos = 2;
  const skipSpaceAndComments = (): void => {
    for (;;) {
      while (pos < bytes.length && isSpace(bytes[pos] as number)) pos++;
      if (bytes[pos] !== 0x23) return;
      while (pos < bytes.length && bytes[pos] !== 0x0a && bytes[pos] !== 0x0d) pos++;
    }
  };
  const token = (): string => {
    skipSpaceAndComments();
    const start = pos;
    while (pos < bytes.length && !isSpace(bytes[pos] as number) && bytes[pos] !== 0x23) pos++;
    if (start === pos) fail('header or data is truncated');
    // At most 16 characters: enough for any valid number, and a megabyte-long token is not spread into arguments.
    return String.fromCharCode(...bytes.subarray(start, Math.min(pos, start + 16)));
  };
  const number = (): number => {
    const t = token();
    if (!/^\d{1,15}$/.test(t)) fail(`expected a non-negative integer, found "${t}${t.length === 16 ? '...' : ''}"`);
    return Number(t);
  };
  const width = number();
  const height = number();
  if (width === 0 || height === 0) fail(`invalid size ${width}x${height}`);
  checkImagePixels('PPM', width, height, maxPixels);
  const bitmap = kind === 1 || kind === 4;
  const maxval = bitmap ? 1 : number();
  if (maxval < 1 || maxval > 65535) fail(`invalid maxval ${maxval}`);
  const channels = kind === 3 || kind === 6 ? 3 : 1;
  const n = width * height * channels;
  const wide = maxval > 255;
  const rowBytes = Math.ceil(width / 8);
  // Binary data starts after one whitespace byte. The fewest bytes that hold n samples: P4 packs
  // 8 per byte, P5/P6 take 1 or 2 bytes each, ASCII at least one character each. Checked before
  // the buffer is allocated, so a header cannot make capa allocate more than the file holds.
  const dataStart = kind <= 3 ? pos : pos + 1;
  const dataBytes = kind === 4 ? rowBytes * height : kind >= 5 ? n * (wide ? 2 : 1) : n;
  if (dataStart + dataBytes > bytes.length) fail(kind <= 3 ? 'header or data is truncated' : 'pixel data is truncated');
  const out = new Uint8Array(n);
  const scale = (v: number): number => (maxval === 255 ? v : Math.round((Math.min(v, maxval) * 255) / maxval));
  if (kind <= 3) {
    for (let i = 0; i < n; i++) {
      if (kind === 1) {
        skipSpaceAndComments();
        const b = bytes[pos++];
        if (b !== 0x30 && b !== 0x31) fail('bitmap data is truncated or not 0/1');
        out[i] = b === 0x31 ? 0 : 255;
      } else {
        out[i] = scale(number());
      }
    }
  } else {
    pos = dataStart;
    if (kind === 4) {
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const bit = ((bytes[pos + y * rowBytes + (x >> 3)] as number) >> (7 - (x & 7))) & 1;
          out[y * width + x] = bit ? 0 : 255;
        }
      }
    } else {
      for (let i = 0; i < n; i++) {
        const v = wide ? ((bytes[pos + 2 * i] as number) << 8) | (bytes[pos + 2 * i + 1] as number) : (bytes[pos + i] as number);
        out[i] = scale(v);
      }
    }
  }
  return { width, height, mode: channels === 3 ? 'RGB' : 'L', data: out };
}

/** Binary PGM (L) or PPM (RGB); alpha is dropped, as Netpbm has none. */
export function encodePpm(img: RawImage): Uint8Array {
  const gray = img.mode === 'L' || img.mode === 'LA';
  const inC = img.mode === 'L' ? 1 : img.mode === 'LA' ? 2 : img.mode === 'RGB' ? 3 : 4;
  const outC = gray ? 1 : 3;
  const header = new TextEncoder().encode(`${gray ? 'P5' : 'P6'}\n${img.width} ${img.height}\n255\n`);
  const out = new Uint8Array(header.length + img.width * img.height * outC);
  out.set(header);
  let o = header.length;
  for (let i = 0; i < img.width * img.height; i++) {
    for (let k = 0; k < outC; k++) out[o++] = img.data[i * inC + k] as number;
  }
  return out;
}

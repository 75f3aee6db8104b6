/**
 * An 8-bit image in memory (rows of interleaved channels), and Pillow's mode conversions on it,
 * so images reach arrays exactly as Keras's `load_img` (Pillow) hands them over. Pure TypeScript.
 */

/** Pillow's mode names for the layouts capa handles: 1, 2, 3 or 4 interleaved 8-bit channels. */
export type ImageMode = 'L' | 'LA' | 'RGB' | 'RGBA';

export interface RawImage {
  width: number;
  height: number;
  mode: ImageMode;
  /** height x width x channels bytes, row-major. */
  data: Uint8Array;
}

export function channelsOf(mode: ImageMode): number {
  return mode === 'L' ? 1 : mode === 'LA' ? 2 : mode === 'RGB' ? 3 : 4;
}

export function modeForChannels(channels: number, what: string): ImageMode {
  switch (channels) {
    case 1:
      return 'L';
    case 2:
      return 'LA';
    case 3:
      return 'RGB';
    case 4:
      return 'RGBA';
    default:
      throw new Error(`${what}: images have 1, 2, 3 or 4 channels, received ${channels}.`);
  }
}

/** Pillow's L24 luma (ITU-R 601-2 in 16.16 fixed point), as `Image.convert('L')` computes it. */
function luma(r: number, g: number, b: number): number {
  return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >>> 16;
}

/** `Image.convert(mode)` between L, LA, RGB and RGBA, with Pillow's formulas. */
export function convertMode(img: RawImage, mode: ImageMode): RawImage {
  if (img.mode === mode) return img;
  const n = img.width * img.height;
  const src = img.data;
  const inC = channelsOf(img.mode);
  const outC = channelsOf(mode);
  const out = new Uint8Array(n * outC);
  const hasColor = inC >= 3;
  const hasAlpha = inC === 2 || inC === 4;
  for (let i = 0; i < n; i++) {
    const s = i * inC;
    const d = i * outC;
    const r = src[s] as number;
    const g = hasColor ? (src[s + 1] as number) : r;
    const b = hasColor ? (src[s + 2] as number) : r;
    const a = hasAlpha ? (src[s + inC - 1] as number) : 255;
    if (outC <= 2) {
      out[d] = hasColor ? luma(r, g, b) : r;
      if (outC === 2) out[d + 1] = a;
    } else {
      out[d] = r;
      out[d + 1] = g;
      out[d + 2] = b;
      if (outC === 4) out[d + 3] = a;
    }
  }
  return { width: img.width, height: img.height, mode, data: out };
}

/** Pillow's MULDIV255: round(a * b / 255) in integer arithmetic. */
function mulDiv255(a: number, b: number): number {
  const t = a * b + 128;
  return ((t >>> 8) + t) >>> 8;
}

/** RGBA -> RGBa (LA -> La): colour premultiplied by alpha, as Pillow does before resampling. */
export function premultiplyAlpha(img: RawImage): RawImage {
  const c = channelsOf(img.mode);
  const out = new Uint8Array(img.data);
  for (let i = 0; i < out.length; i += c) {
    const a = out[i + c - 1] as number;
    for (let k = 0; k < c - 1; k++) out[i + k] = mulDiv255(out[i + k] as number, a);
  }
  return { ...img, data: out };
}

/** RGBa -> RGBA (La -> LA): Pillow's rgbA2rgba, integer division, alpha 0 and 255 left as is. */
export function unpremultiplyAlpha(img: RawImage): RawImage {
  const c = channelsOf(img.mode);
  const out = new Uint8Array(img.data);
  for (let i = 0; i < out.length; i += c) {
    const a = out[i + c - 1] as number;
    if (a === 255 || a === 0) continue;
    for (let k = 0; k < c - 1; k++) {
      const v = Math.trunc((255 * (out[i + k] as number)) / a);
      out[i + k] = v > 255 ? 255 : v;
    }
  }
  return { ...img, data: out };
}

/** A crop box [left, top, right, bottom) in pixels. */
export type Box = readonly [number, number, number, number];

/** Keras's `load_img(keep_aspect_ratio=True)` crop: the centred window with the target's aspect. */
export function aspectCropBox(width: number, height: number, targetWidth: number, targetHeight: number): Box {
  let cropHeight = Math.floor((width * targetHeight) / targetWidth);
  let cropWidth = Math.floor((height * targetWidth) / targetHeight);
  cropHeight = Math.min(height, cropHeight);
  cropWidth = Math.min(width, cropWidth);
  const top = Math.floor((height - cropHeight) / 2);
  const left = Math.floor((width - cropWidth) / 2);
  return [left, top, left + cropWidth, top + cropHeight];
}

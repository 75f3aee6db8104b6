/**
 * Pillow's `Image.resize` on 8-bit images, reproduced exactly so `loadImg` / `flowFromDirectory`
 * give the pixels Keras's `load_img` gives: NEAREST through Pillow's scale-affine path (pixel
 * centres, incremental float steps), the other filters through Pillow's two-pass convolution
 * resampler (Resample.c: filter support widened when shrinking, 22-bit fixed-point coefficients,
 * rows clipped to 8 bits between the passes), alpha premultiplied around it for LA/RGBA.
 * Pure TypeScript.
 */
import { type Box, channelsOf, premultiplyAlpha, type RawImage, unpremultiplyAlpha } from '../raw-image.js';

/** Keras's `interpolation` names for `load_img` (Pillow's filters). */
export type PilInterpolation = 'nearest' | 'bilinear' | 'bicubic' | 'lanczos' | 'box' | 'hamming';

export const PIL_INTERPOLATIONS: readonly PilInterpolation[] = ['nearest', 'bilinear', 'bicubic', 'lanczos', 'box', 'hamming'];

interface Filter {
  support: number;
  weight(x: number): number;
}

function sinc(x: number): number {
  if (x === 0.0) return 1.0;
  const px = x * Math.PI;
  return Math.sin(px) / px;
}

const FILTERS: Record<Exclude<PilInterpolation, 'nearest'>, Filter> = {
  box: { support: 0.5, weight: (x) => (x > -0.5 && x <= 0.5 ? 1.0 : 0.0) },
  bilinear: {
    support: 1.0,
    weight: (x) => {
      const a = x < 0 ? -x : x;
      return a < 1.0 ? 1.0 - a : 0.0;
    },
  },
  hamming: {
    support: 1.0,
    weight: (x) => {
      const a = x < 0 ? -x : x;
      if (a === 0.0) return 1.0;
      if (a >= 1.0) return 0.0;
      const px = a * Math.PI;
      // Pillow writes 0.54f + 0.46f * cos(x): float constants promoted to double.
      return (Math.sin(px) / px) * (Math.fround(0.54) + Math.fround(0.46) * Math.cos(px));
    },
  },
  bicubic: {
    support: 2.0,
    weight: (x) => {
      const a = -0.5;
      const t = x < 0 ? -x : x;
      if (t < 1.0) return ((a + 2.0) * t - (a + 3.0)) * t * t + 1;
      if (t < 2.0) return (((t - 5) * t + 8) * t - 4) * a;
      return 0.0;
    },
  },
  lanczos: { support: 3.0, weight: (x) => (-3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3) : 0.0) },
};

const PRECISION_BITS = 32 - 8 - 2;

interface Coefficients {
  ksize: number;
  /** Per output pixel: first input index and number of taps. */
  bounds: Int32Array;
  /** Fixed-point weights, ksize per output pixel. */
  weights: Int32Array;
}

/** Pillow's precompute_coeffs + normalize_coeffs_8bpc. */
function precompute(inSize: number, in0: number, in1: number, outSize: number, filter: Filter): Coefficients {
  const scale = (in1 - in0) / outSize;
  const filterscale = scale < 1.0 ? 1.0 : scale;
  const support = filter.support * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const weights = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  for (let xx = 0; xx < outSize; xx++) {
    const center = in0 + (xx + 0.5) * scale;
    const ss = 1.0 / filterscale;
    let xmin = Math.trunc(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = Math.trunc(center + support + 0.5);
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    let ww = 0.0;
    k.fill(0);
    for (let x = 0; x < xmax; x++) {
      const w = filter.weight((x + xmin - center + 0.5) * ss);
      k[x] = w;
      ww += w;
    }
    for (let x = 0; x < xmax; x++) if (ww !== 0.0) k[x] = (k[x] as number) / ww;
    for (let x = 0; x < ksize; x++) {
      const v = (k[x] as number) * (1 << PRECISION_BITS);
      weights[xx * ksize + x] = v < 0 ? Math.trunc(-0.5 + v) : Math.trunc(0.5 + v);
    }
    bounds[xx * 2] = xmin;
    bounds[xx * 2 + 1] = xmax;
  }
  return { ksize, bounds, weights };
}

function clip8(v: number): number {
  if (v >= (1 << PRECISION_BITS) << 8) return 255;
  if (v <= 0) return 0;
  return v >> PRECISION_BITS;
}

const HALF = 1 << (PRECISION_BITS - 1);

/**
 * Pillow's fixed-point inner product. Products reach 2^30 and sums can pass 2^31, where C's int32
 * wraps; `Math.imul` and `| 0` reproduce that wrap-around exactly.
 */
function horizontalPass(
  src: Uint8Array,
  width: number,
  c: number,
  rows: number,
  rowOffset: number,
  co: Coefficients,
  outW: number,
): Uint8Array {
  const out = new Uint8Array(rows * outW * c);
  const { ksize, bounds, weights } = co;
  for (let y = 0; y < rows; y++) {
    const rowBase = (y + rowOffset) * width * c;
    for (let xx = 0; xx < outW; xx++) {
      const xmin = bounds[xx * 2] as number;
      const xmax = bounds[xx * 2 + 1] as number;
      const kb = xx * ksize;
      for (let ch = 0; ch < c; ch++) {
        let ss = HALF;
        for (let x = 0; x < xmax; x++) {
          ss = (ss + Math.imul(src[rowBase + (x + xmin) * c + ch] as number, weights[kb + x] as number)) | 0;
        }
        out[(y * outW + xx) * c + ch] = clip8(ss);
      }
    }
  }
  return out;
}

function verticalPass(src: Uint8Array, width: number, c: number, co: Coefficients, outH: number): Uint8Array {
  const out = new Uint8Array(outH * width * c);
  const { ksize, bounds, weights } = co;
  const rowLen = width * c;
  for (let yy = 0; yy < outH; yy++) {
    const ymin = bounds[yy * 2] as number;
    const ymax = bounds[yy * 2 + 1] as number;
    const kb = yy * ksize;
    for (let i = 0; i < rowLen; i++) {
      let ss = HALF;
      for (let y = 0; y < ymax; y++) {
        ss = (ss + Math.imul(src[(y + ymin) * rowLen + i] as number, weights[kb + y] as number)) | 0;
      }
      out[yy * rowLen + i] = clip8(ss);
    }
  }
  return out;
}

/** Pillow's ImagingResampleInner: horizontal pass over the rows the vertical pass needs, then vertical. */
function resample(img: RawImage, outW: number, outH: number, filter: Filter, box: Box): RawImage {
  const c = channelsOf(img.mode);
  const needH = outW !== img.width || box[0] !== 0 || box[2] !== outW;
  const needV = outH !== img.height || box[1] !== 0 || box[3] !== outH;
  const horiz = precompute(img.width, box[0], box[2], outW, filter);
  const vert = precompute(img.height, box[1], box[3], outH, filter);
  const yFirst = vert.bounds[0] as number;
  const yLast = (vert.bounds[outH * 2 - 2] as number) + (vert.bounds[outH * 2 - 1] as number);
  let data = img.data;
  let width = img.width;
  if (needH) {
    for (let i = 0; i < outH; i++) vert.bounds[i * 2] = (vert.bounds[i * 2] as number) - yFirst;
    data = horizontalPass(data, img.width, c, yLast - yFirst, yFirst, horiz, outW);
    width = outW;
  }
  if (needV) data = verticalPass(data, width, c, vert, outH);
  return { width, height: needV ? outH : needH ? yLast - yFirst : img.height, mode: img.mode, data };
}

/** Pillow's nearest-neighbour resize (ImagingScaleAffine): pixel centres, incremental float steps. */
function nearest(img: RawImage, outW: number, outH: number, box: Box): RawImage {
  const c = channelsOf(img.mode);
  const a0 = (box[2] - box[0]) / outW;
  const a4 = (box[3] - box[1]) / outH;
  const xin = new Int32Array(outW);
  let xo = box[0] + a0 * 0.5;
  for (let x = 0; x < outW; x++) {
    xin[x] = xo < 0.0 ? -1 : Math.trunc(xo);
    xo += a0;
  }
  const out = new Uint8Array(outW * outH * c);
  let yo = box[1] + a4 * 0.5;
  for (let y = 0; y < outH; y++) {
    const yi = yo < 0.0 ? -1 : Math.trunc(yo);
    yo += a4;
    if (yi < 0 || yi >= img.height) continue;
    const rowIn = yi * img.width * c;
    const rowOut = y * outW * c;
    for (let x = 0; x < outW; x++) {
      const xi = xin[x] as number;
      if (xi < 0 || xi >= img.width) continue;
      for (let k = 0; k < c; k++) out[rowOut + x * c + k] = img.data[rowIn + xi * c + k] as number;
    }
  }
  return { width: outW, height: outH, mode: img.mode, data: out };
}

/** `Image.resize((width, height), resample, box)` as Pillow 9/10 computes it. */
export function resizePil(img: RawImage, width: number, height: number, interpolation: PilInterpolation, box?: Box): RawImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`resize: target size must be positive integers, received ${height}x${width} (height x width).`);
  }
  const b: Box = box ?? [0, 0, img.width, img.height];
  if (img.width === width && img.height === height && b[0] === 0 && b[1] === 0 && b[2] === width && b[3] === height) {
    return img;
  }
  if (interpolation === 'nearest') return nearest(img, width, height, b);
  const filter = FILTERS[interpolation];
  if (filter === undefined) {
    throw new Error(
      `resize: interpolation must be one of ${PIL_INTERPOLATIONS.join(', ')}, received '${String(interpolation)}'.`,
    );
  }
  if (img.mode === 'LA' || img.mode === 'RGBA') {
    return unpremultiplyAlpha(resample(premultiplyAlpha(img), width, height, filter, b));
  }
  return resample(img, width, height, filter, b);
}

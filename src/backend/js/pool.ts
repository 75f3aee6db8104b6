/**
 * Max and average pooling over NHWC windows, TensorFlow semantics: padding cells never win a
 * max and are not counted in an average. Channels run innermost (contiguous).
 */
import type { Conv2DInfo } from '../backend.js';

/**
 * The taps [first, end) of a window starting at input position `start` (dilation `step`, `taps`
 * taps) that land inside [0, size). Looping over these alone keeps the work proportional to the
 * input, not to the window: a 1e9-wide 'same' pool would otherwise loop a billion times per output.
 */
function tapsInside(start: number, step: number, taps: number, size: number): [number, number] {
  const first = start >= 0 ? 0 : Math.ceil(-start / step);
  const end = start > size - 1 ? 0 : Math.floor((size - 1 - start) / step) + 1;
  return [first, Math.min(taps, end)];
}

/**
 * Per output pixel: start(outOffset), cell(outOffset, xOffset) for each in-bounds window cell
 * (offsets of the first channel), then end(outOffset, number of cells).
 */
function forEachWindow(
  info: Conv2DInfo,
  start: (o: number) => void,
  cell: (o: number, xb: number) => void,
  end: (o: number, cells: number) => void,
): void {
  const { batch: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw, padTop, padLeft } = info;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const ih0 = oh * sh - padTop;
      for (let ow = 0; ow < OW; ow++) {
        const iw0 = ow * sw - padLeft;
        const o = ((n * OH + oh) * OW + ow) * C;
        start(o);
        let cells = 0;
        const [kh0, kh1] = tapsInside(ih0, dh, KH, H);
        const [kw0, kw1] = tapsInside(iw0, dw, KW, W);
        for (let kh = kh0; kh < kh1; kh++) {
          const ih = ih0 + kh * dh;
          for (let kw = kw0; kw < kw1; kw++) {
            const iw = iw0 + kw * dw;
            cell(o, ((n * H + ih) * W + iw) * C);
            cells++;
          }
        }
        end(o, cells);
      }
    }
  }
}

/** A window with no cell inside the input (impossible with 'valid'/'same' geometry) yields 0. */
export function maxPool2d(x: Float32Array, out: Float32Array, info: Conv2DInfo): void {
  const C = info.inChannels;
  forEachWindow(
    info,
    (o) => out.fill(-Infinity, o, o + C),
    (o, xb) => {
      for (let c = 0; c < C; c++) {
        const v = x[xb + c] as number;
        // NaN propagates, as in TensorFlow and PyTorch
        if (v > (out[o + c] as number) || Number.isNaN(v)) out[o + c] = v;
      }
    },
    (o, cells) => {
      if (cells === 0) out.fill(0, o, o + C);
    },
  );
}

export function maxPool2dGrad(x: Float32Array, dy: Float32Array, dx: Float32Array, info: Conv2DInfo): void {
  const C = info.inChannels;
  const best = new Float32Array(C);
  const where = new Int32Array(C);
  dx.fill(0);
  forEachWindow(
    info,
    () => {
      best.fill(-Infinity);
      where.fill(-1);
    },
    (_o, xb) => {
      for (let c = 0; c < C; c++) {
        const v = x[xb + c] as number;
        // strict '>' keeps the first position of the max in window (row-major) order
        if (where[c] === -1 || v > (best[c] as number) || (Number.isNaN(v) && !Number.isNaN(best[c] as number))) {
          best[c] = v;
          where[c] = xb + c;
        }
      }
    },
    (o) => {
      for (let c = 0; c < C; c++) {
        const i = where[c] as number;
        if (i >= 0) dx[i] = (dx[i] as number) + (dy[o + c] as number);
      }
    },
  );
}

export function avgPool2d(x: Float32Array, out: Float32Array, info: Conv2DInfo): void {
  const C = info.inChannels;
  forEachWindow(
    info,
    (o) => out.fill(0, o, o + C),
    (o, xb) => {
      for (let c = 0; c < C; c++) out[o + c] = (out[o + c] as number) + (x[xb + c] as number);
    },
    (o, cells) => {
      const inv = cells > 0 ? 1 / cells : 0;
      for (let c = 0; c < C; c++) out[o + c] = (out[o + c] as number) * inv;
    },
  );
}

export function avgPool2dGrad(dy: Float32Array, dx: Float32Array, info: Conv2DInfo): void {
  const C = info.inChannels;
  // First count each window's cells, then spread dy / count over them: two passes over the same walk.
  const counts: number[] = [];
  forEachWindow(
    info,
    () => {},
    () => {},
    (_o, cells) => {
      counts.push(cells);
    },
  );
  dx.fill(0);
  let w = 0;
  let scale = 0;
  forEachWindow(
    info,
    () => {
      const cells = counts[w++] as number;
      scale = cells > 0 ? 1 / cells : 0;
    },
    (o, xb) => {
      for (let c = 0; c < C; c++) dx[xb + c] = (dx[xb + c] as number) + (dy[o + c] as number) * scale;
    },
    () => {},
  );
}

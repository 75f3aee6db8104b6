/**
 * Patch extraction for convolutions over NHWC data. A "row" is one output pixel (n, oh, ow) in
 * row-major order; its patch is the receptive field laid out as [filterHeight, filterWidth,
 * inChannels], which is exactly the row order of an HWIO filter viewed as [KH*KW*C, F]. So a
 * convolution is patches (rows x K) times filter (K x F), written straight into NHWC output.
 */
import type { Conv2DInfo } from '../backend.js';
import { TILE } from './gemm.js';

/**
 * Writes the patches of output rows [r0, r1) straight into the gemm's packed-panel layout (row
 * rr of the panel, depth p at ((rr >> 2) * K + p) * 4 + (rr & 3)), so no separate packing pass
 * is needed. Padding reads as 0. Rows past r1 in the last panel are left as they are: the gemm
 * never stores the outputs they produce.
 */
export function im2colPacked(x: Float32Array, info: Conv2DInfo, r0: number, r1: number, panel: Float32Array): void {
  const K = info.filterHeight * info.filterWidth * info.inChannels;
  walkPatches(
    info,
    r0,
    r1,
    (rr) => (rr >> 2) * K * TILE + (rr & 3),
    TILE,
    (xOff, pOff, n) => {
      for (let i = 0; i < n; i++) panel[pOff + i * TILE] = x[xOff + i] as number;
    },
    (pOff, n) => {
      for (let i = 0; i < n; i++) panel[pOff + i * TILE] = 0;
    },
  );
}

/** Writes the patches of rows [r0, r1) row-major into `panel` ([r1 - r0, K]); padding reads as 0. */
export function im2colRows(x: Float32Array, info: Conv2DInfo, r0: number, r1: number, panel: Float32Array): void {
  const K = info.filterHeight * info.filterWidth * info.inChannels;
  walkPatches(
    info,
    r0,
    r1,
    (rr) => rr * K,
    1,
    (xOff, pOff, n) => {
      if (n >= 64) panel.set(x.subarray(xOff, xOff + n), pOff);
      else for (let i = 0; i < n; i++) panel[pOff + i] = x[xOff + i] as number;
    },
    (pOff, n) => panel.fill(0, pOff, pOff + n),
  );
}

/** The adjoint of im2colRows: adds each row-major patch of `panel` back into dx where it came from. */
export function col2imRows(panel: Float32Array, info: Conv2DInfo, r0: number, r1: number, dx: Float32Array): void {
  const K = info.filterHeight * info.filterWidth * info.inChannels;
  walkPatches(
    info,
    r0,
    r1,
    (rr) => rr * K,
    1,
    (xOff, pOff, n) => {
      for (let i = 0; i < n; i++) dx[xOff + i] = (dx[xOff + i] as number) + (panel[pOff + i] as number);
    },
    () => {},
  );
}

/**
 * Walks the patches of rows [r0, r1): the patch of panel row rr starts at rowStart(rr) and its
 * depth index advances by `step`. Calls `inside(xOffset, panelOffset, count)` per run of in-bounds
 * values (contiguous in x) and `outside(panelOffset, count)` per run of padding. Runs are whole
 * filter rows when the dilation is 1 and the window lies inside the image.
 */
function walkPatches(
  info: Conv2DInfo,
  r0: number,
  r1: number,
  rowStart: (rr: number) => number,
  step: number,
  inside: (xOff: number, pOff: number, count: number) => void,
  outside: (pOff: number, count: number) => void,
): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw, padTop, padLeft } = info;
  const rowRun = KW * C;
  const perImage = OH * OW;
  let n = Math.floor(r0 / perImage);
  let oh = Math.floor((r0 - n * perImage) / OW);
  let ow = r0 - n * perImage - oh * OW;
  for (let r = r0; r < r1; r++) {
    let p = rowStart(r - r0);
    const ih0 = oh * sh - padTop;
    const iw0 = ow * sw - padLeft;
    const whole = dw === 1 && iw0 >= 0 && iw0 + KW <= W;
    for (let kh = 0; kh < KH; kh++) {
      const ih = ih0 + kh * dh;
      if (ih < 0 || ih >= H) {
        outside(p, rowRun);
        p += rowRun * step;
        continue;
      }
      const rowBase = (n * H + ih) * W;
      if (whole) {
        inside((rowBase + iw0) * C, p, rowRun);
        p += rowRun * step;
        continue;
      }
      for (let kw = 0; kw < KW; kw++) {
        const iw = iw0 + kw * dw;
        if (iw < 0 || iw >= W) outside(p, C);
        else inside((rowBase + iw) * C, p, C);
        p += C * step;
      }
    }
    if (++ow === OW) {
      ow = 0;
      if (++oh === OH) {
        oh = 0;
        n++;
      }
    }
  }
}

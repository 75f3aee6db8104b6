/**
 * Patch extraction for convolutions over NHWC data. A "row" is one output pixel (n, oh, ow) in
 * row-major order; its patch is the receptive field laid out as [filterHeight, filterWidth,
 * inChannels], which is exactly the row order of an HWIO filter viewed as [KH*KW*C, F]. So a
 * convolution is panel(rows x K) times filter(K x F), written straight into NHWC output.
 */
import type { Conv2DInfo } from '../backend.js';

/** Copies n floats; short runs (a few channels) are cheaper as a loop than as subarray + set. */
function copyRun(src: Float32Array, s: number, dst: Float32Array, d: number, n: number): void {
  if (n >= 64) dst.set(src.subarray(s, s + n), d);
  else for (let i = 0; i < n; i++) dst[d + i] = src[s + i] as number;
}

function addRun(src: Float32Array, s: number, dst: Float32Array, d: number, n: number): void {
  for (let i = 0; i < n; i++) dst[d + i] = (dst[d + i] as number) + (src[s + i] as number);
}

/** Writes the patches of output rows [r0, r1) into `panel` ([r1 - r0, KH*KW*C]); padding reads as 0. */
export function im2colPanel(x: Float32Array, info: Conv2DInfo, r0: number, r1: number, panel: Float32Array): void {
  walkPatches(
    info,
    r0,
    r1,
    (xOff, pOff, n) => copyRun(x, xOff, panel, pOff, n),
    (pOff, n) => panel.fill(0, pOff, pOff + n),
  );
}

/** The adjoint of im2colPanel: adds each patch of `panel` back into dx where it came from. */
export function col2imPanel(panel: Float32Array, info: Conv2DInfo, r0: number, r1: number, dx: Float32Array): void {
  walkPatches(
    info,
    r0,
    r1,
    (xOff, pOff, n) => addRun(panel, pOff, dx, xOff, n),
    () => {},
  );
}

/**
 * Walks the patches of rows [r0, r1), calling `inside(xOffset, panelOffset, count)` for each
 * run of in-bounds values and `outside(panelOffset, count)` for each run of padding. Runs are
 * whole filter rows when the dilation is 1 and the window lies inside the image.
 */
function walkPatches(
  info: Conv2DInfo,
  r0: number,
  r1: number,
  inside: (xOff: number, pOff: number, count: number) => void,
  outside: (pOff: number, count: number) => void,
): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw, padTop, padLeft } = info;
  const K = KH * KW * C;
  const rowRun = KW * C;
  const perImage = OH * OW;
  let n = Math.floor(r0 / perImage);
  let oh = Math.floor((r0 - n * perImage) / OW);
  let ow = r0 - n * perImage - oh * OW;
  for (let r = r0; r < r1; r++) {
    let p = (r - r0) * K;
    const ih0 = oh * sh - padTop;
    const iw0 = ow * sw - padLeft;
    const whole = dw === 1 && iw0 >= 0 && iw0 + KW <= W;
    for (let kh = 0; kh < KH; kh++) {
      const ih = ih0 + kh * dh;
      if (ih < 0 || ih >= H) {
        outside(p, rowRun);
        p += rowRun;
        continue;
      }
      const rowBase = (n * H + ih) * W;
      if (whole) {
        inside((rowBase + iw0) * C, p, rowRun);
        p += rowRun;
        continue;
      }
      for (let kw = 0; kw < KW; kw++) {
        const iw = iw0 + kw * dw;
        if (iw < 0 || iw >= W) outside(p, C);
        else inside((rowBase + iw) * C, p, C);
        p += C;
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

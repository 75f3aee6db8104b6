/**
 * Depthwise 2-D convolution over NHWC input: channel c is convolved with its own
 * [KH, KW, multiplier] filters and output channel c * multiplier + m. Loops run channels
 * innermost so every read and write is contiguous.
 */
import type { Conv2DInfo } from '../backend.js';

/**
 * Calls visit(outOffset, xOffset, filterOffset) for every (output pixel, in-bounds filter tap);
 * offsets are of the first channel. Shared by the forward pass and both gradients.
 */
function forEachTap(info: Conv2DInfo, visit: (o: number, xb: number, fb: number) => void): void {
  const { batch: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw, padTop, padLeft } = info;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const ih0 = oh * sh - padTop;
      for (let ow = 0; ow < OW; ow++) {
        const iw0 = ow * sw - padLeft;
        const o = ((n * OH + oh) * OW + ow) * outChannels;
        for (let kh = 0; kh < KH; kh++) {
          const ih = ih0 + kh * dh;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = iw0 + kw * dw;
            if (iw < 0 || iw >= W) continue;
            visit(o, ((n * H + ih) * W + iw) * C, (kh * KW + kw) * outChannels);
          }
        }
      }
    }
  }
}

export function depthwiseConv2d(x: Float32Array, filter: Float32Array, out: Float32Array, info: Conv2DInfo): void {
  const C = info.inChannels;
  const M = info.outChannels / C;
  out.fill(0);
  if (M === 1) {
    forEachTap(info, (o, xb, fb) => {
      for (let c = 0; c < C; c++) out[o + c] = (out[o + c] as number) + (x[xb + c] as number) * (filter[fb + c] as number);
    });
    return;
  }
  forEachTap(info, (o, xb, fb) => {
    for (let c = 0; c < C; c++) {
      const v = x[xb + c] as number;
      const oc = o + c * M;
      const fc = fb + c * M;
      for (let m = 0; m < M; m++) out[oc + m] = (out[oc + m] as number) + v * (filter[fc + m] as number);
    }
  });
}

export function depthwiseConv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, info: Conv2DInfo): void {
  const C = info.inChannels;
  const M = info.outChannels / C;
  dx.fill(0);
  forEachTap(info, (o, xb, fb) => {
    for (let c = 0; c < C; c++) {
      const oc = o + c * M;
      const fc = fb + c * M;
      let s = 0;
      for (let m = 0; m < M; m++) s += (dy[oc + m] as number) * (filter[fc + m] as number);
      dx[xb + c] = (dx[xb + c] as number) + s;
    }
  });
}

export function depthwiseConv2dBackpropFilter(x: Float32Array, dy: Float32Array, dFilter: Float32Array, info: Conv2DInfo): void {
  const C = info.inChannels;
  const M = info.outChannels / C;
  dFilter.fill(0);
  forEachTap(info, (o, xb, fb) => {
    for (let c = 0; c < C; c++) {
      const v = x[xb + c] as number;
      const oc = o + c * M;
      const fc = fb + c * M;
      for (let m = 0; m < M; m++) dFilter[fc + m] = (dFilter[fc + m] as number) + v * (dy[oc + m] as number);
    }
  });
}

/**
 * 2-D convolution over NHWC input with HWIO filters, as im2col panels times the filter through
 * the packed, register-tiled gemm (gemm.ts). Panels bound the patch buffer (a full im2col of a large batch would
 * be tens of megabytes) and keep the panel in cache while the gemm reads it.
 */
import type { Conv2DInfo, FusedActivation } from '../backend.js';
import { gemm, gemmPacked, packedSize, packPanels, rowsPerBlock } from './gemm.js';
import { col2imRows, im2colPacked, im2colRows } from './im2col.js';
import { applyActivationInPlace } from './unary.js';

/** Output rows per patch panel: as many as keep the panel in L2, in whole gemm tiles. */
function panelRows(k: number, rows: number): number {
  return Math.min(rowsPerBlock(k), rows);
}

/** A 1x1 stride-1 unpadded convolution is a plain matmul over the input's pixel rows. */
function isPointwise(info: Conv2DInfo): boolean {
  return (
    info.filterHeight === 1 &&
    info.filterWidth === 1 &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.padTop === 0 &&
    info.padLeft === 0 &&
    info.padBottom === 0 &&
    info.padRight === 0
  );
}

/** Adds the bias and applies the activation to out[start, end) (rows of `channels` values). */
export function biasActivation(
  out: Float32Array,
  start: number,
  end: number,
  channels: number,
  bias: Float32Array | undefined,
  activation: FusedActivation | undefined,
): void {
  if (bias) {
    for (let o = start; o < end; o += channels) {
      for (let j = 0; j < channels; j++) out[o + j] = (out[o + j] as number) + (bias[j] as number);
    }
  }
  if (activation && activation !== 'linear') applyActivationInPlace(activation, out.subarray(start, end));
}

export function conv2d(
  x: Float32Array,
  filter: Float32Array,
  out: Float32Array,
  info: Conv2DInfo,
  bias?: Float32Array,
  activation?: FusedActivation,
): void {
  const K = info.filterHeight * info.filterWidth * info.inChannels;
  const F = info.outChannels;
  const rows = info.batch * info.outHeight * info.outWidth;
  if (rows === 0 || F === 0) return;
  // the filter viewed as [K, F] is B stored [k, n]: packed once, reused by every panel
  const bp = packPanels(filter, 0, F, K, true);
  if (isPointwise(info)) {
    gemm(false, false, rows, F, K, x, 0, filter, 0, out, 0, false, bp);
    biasActivation(out, 0, rows * F, F, bias, activation);
    return;
  }
  const step = panelRows(K, rows);
  const panel = new Float32Array(packedSize(step, K));
  for (let r0 = 0; r0 < rows; r0 += step) {
    const r1 = Math.min(rows, r0 + step);
    im2colPacked(x, info, r0, r1, panel);
    gemmPacked(panel, 0, bp, 0, r1 - r0, F, K, out, r0 * F, F, false);
    biasActivation(out, r0 * F, r1 * F, F, bias, activation);
  }
}

/** dx = col2im(dy · filterᵀ): each panel of patch gradients is added back into dx. */
export function conv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, info: Conv2DInfo): void {
  const K = info.filterHeight * info.filterWidth * info.inChannels;
  const F = info.outChannels;
  const rows = info.batch * info.outHeight * info.outWidth;
  dx.fill(0);
  if (rows === 0 || K === 0) return;
  // patch gradients = dy [rows, F] times filterᵀ; the filter viewed as [K, F] is B stored [n, k]
  const bp = packPanels(filter, 0, K, F, false);
  if (isPointwise(info)) {
    gemm(false, true, rows, K, F, dy, 0, filter, 0, dx, 0, false, bp);
    return;
  }
  const step = panelRows(K, rows);
  const panel = new Float32Array(step * K);
  for (let r0 = 0; r0 < rows; r0 += step) {
    const r1 = Math.min(rows, r0 + step);
    gemm(false, true, r1 - r0, K, F, dy, r0 * F, filter, 0, panel, 0, false, bp);
    col2imRows(panel, info, r0, r1, dx);
  }
}

/** dFilter[K, F] = Σ over panels of patchesᵀ · dy. */
export function conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dFilter: Float32Array, info: Conv2DInfo): void {
  const K = info.filterHeight * info.filterWidth * info.inChannels;
  const F = info.outChannels;
  const rows = info.batch * info.outHeight * info.outWidth;
  dFilter.fill(0);
  if (rows === 0 || K === 0 || F === 0) return;
  if (isPointwise(info)) {
    gemm(true, false, K, F, rows, x, 0, dy, 0, dFilter, 0, false);
    return;
  }
  const step = panelRows(K, rows);
  const panel = new Float32Array(step * K);
  for (let r0 = 0; r0 < rows; r0 += step) {
    const r1 = Math.min(rows, r0 + step);
    im2colRows(x, info, r0, r1, panel);
    gemm(true, false, K, F, r1 - r0, panel, 0, dy, r0 * F, dFilter, 0, true);
  }
}

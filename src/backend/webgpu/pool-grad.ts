/**
 * Pooling gradients without atomics. Each window's share of dy:
 * - max: dy to the window's first maximum in row-major order (the first NaN wins, as the js
 *   kernel does);
 * - avg: dy divided by the window's cells inside the input, to each of them.
 * When windows overlap, one thread per input element gathers: it visits each window that holds its
 * pixel (the taps whose stride lands on it) and adds that window's share (for max, recomputing the
 * window's maximum), writing dx whole. When they do not (stride at least the window's extent, the
 * usual 2x2/2 pool), dx is cleared and one thread per window scatters its share: no cell is
 * written twice, and each window's maximum is found once instead of once per cell.
 * params: [count, H, W, C, OH, OW, KH, KW, strideH, strideW, dilationH, dilationW, padTop, padLeft].
 */
import type { Conv2DInfo } from '../backend.js';
import type { GpuStorage } from './buffers.js';
import { type GpuQueue, Params } from './queue.js';
import { bindings, buffersOf, elementGrid, MATH, PARAMS, perElement } from './wgsl.js';

/** Whether window (oh, ow) routes its gradient to tap (kh, kw): the first maximum of its cells. */
const FIRST_MAX = /* wgsl */ `
fn firstMaxIs(n: u32, oh: i32, ow: i32, kh: i32, kw: i32, c: u32) -> bool {
  let H = P[1u]; let W = P[2u]; let C = pu(3u);
  var best = 0.0;
  var bestH = -1;
  var bestW = -1;
  for (var a = 0; a < P[6u]; a++) {
    let ih = oh * P[8u] - P[12u] + a * P[10u];
    if (ih < 0 || ih >= H) { continue; }
    for (var b = 0; b < P[7u]; b++) {
      let iw = ow * P[9u] - P[13u] + b * P[11u];
      if (iw < 0 || iw >= W) { continue; }
      let v = X[((n * u32(H) + u32(ih)) * u32(W) + u32(iw)) * C + c];
      if (bestH < 0 || v > best || (isNan(v) && !isNan(best))) {
        best = v;
        bestH = a;
        bestW = b;
      }
    }
  }
  return bestH == kh && bestW == kw;
}`;

/** Cells of a window inside the input along one axis: taps t with 0 <= start + t * step < size. */
const CELLS_INSIDE = /* wgsl */ `
fn tapsInside(start: i32, step: i32, taps: i32, size: i32) -> i32 {
  var first = 0;
  if (start < 0) { first = (-start + step - 1) / step; }
  var end = 0;
  if (start <= size - 1) { end = (size - 1 - start) / step + 1; }
  return max(min(taps, end) - first, 0);
}`;

/** One thread per window (output element): its share to each cell, or to its maximum. */
function scatterKernel(
  q: GpuQueue,
  kind: 'max' | 'avg',
  x: GpuStorage | null,
  dy: GpuStorage,
  dx: GpuStorage,
  info: Conv2DInfo,
): void {
  const pipeline = q.pipeline(`poolGradScatter:${kind}`, () => {
    const visit =
      kind === 'max'
        ? `let v = X[at];
      if (best < 0 || v > top || (isNan(v) && !isNan(top))) { top = v; best = i32(at); }`
        : 'DX[at] = share;';
    return `${PARAMS}${MATH}
${bindings([...(kind === 'max' ? ([['X', 'f32', 'read']] as const) : []), ['DY', 'f32', 'read'], ['DX', 'f32', 'read_write']])}
${kind === 'avg' ? CELLS_INSIDE : ''}
${perElement(`
  let H = P[1u]; let W = P[2u]; let C = pu(3u); let OH = pu(4u); let OW = pu(5u);
  let c = i % C;
  let ow = i32((i / C) % OW);
  let oh = i32((i / (C * OW)) % OH);
  let n = i / (C * OW * OH);
  let ih0 = oh * P[8u] - P[12u];
  let iw0 = ow * P[9u] - P[13u];
  var top = 0.0;
  var best = -1;
  ${kind === 'avg' ? 'let share = DY[i] / f32(tapsInside(ih0, P[10u], P[6u], H) * tapsInside(iw0, P[11u], P[7u], W));' : ''}
  for (var kh = 0; kh < P[6u]; kh++) {
    let ih = ih0 + kh * P[10u];
    if (ih < 0 || ih >= H) { continue; }
    for (var kw = 0; kw < P[7u]; kw++) {
      let iw = iw0 + kw * P[11u];
      if (iw < 0 || iw >= W) { continue; }
      let at = ((n * u32(H) + u32(ih)) * u32(W) + u32(iw)) * C + c;
      ${visit}
    }
  }
  ${kind === 'max' ? 'if (best >= 0) { DX[u32(best)] = DY[i]; }' : ''}`)}`;
  });
  const count = info.batch * info.outHeight * info.outWidth * info.inChannels;
  q.clear(dx.buffer, info.batch * info.inHeight * info.inWidth * info.inChannels * 4);
  const buffers = x === null ? buffersOf(dy, dx) : buffersOf(x, dy, dx);
  q.dispatch(pipeline, buffers, poolParams(count, info), elementGrid(count));
}

function poolParams(count: number, info: Conv2DInfo): Params {
  return new Params().i(
    count,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.padTop,
    info.padLeft,
  );
}

/** Whether no input cell lies in two windows: the stride reaches past each window's extent. */
function disjointWindows(info: Conv2DInfo): boolean {
  return (
    info.strideHeight >= (info.filterHeight - 1) * info.dilationHeight + 1 &&
    info.strideWidth >= (info.filterWidth - 1) * info.dilationWidth + 1
  );
}

function gradKernel(
  q: GpuQueue,
  kind: 'max' | 'avg',
  x: GpuStorage | null,
  dy: GpuStorage,
  dx: GpuStorage,
  info: Conv2DInfo,
): void {
  const pipeline = q.pipeline(`poolGrad:${kind}`, () => {
    const share =
      kind === 'max'
        ? 'if (firstMaxIs(n, oh, ow, kh, kw, c)) { acc += DY[o]; }'
        : 'acc += DY[o] / f32(tapsInside(oh * P[8u] - P[12u], P[10u], P[6u], H) * tapsInside(ow * P[9u] - P[13u], P[11u], P[7u], W));';
    return `${PARAMS}${MATH}
${bindings([...(kind === 'max' ? ([['X', 'f32', 'read']] as const) : []), ['DY', 'f32', 'read'], ['DX', 'f32', 'read_write']])}
${kind === 'max' ? FIRST_MAX : CELLS_INSIDE}
${perElement(`
  let H = P[1u]; let W = P[2u]; let C = pu(3u); let OH = P[4u]; let OW = P[5u];
  let c = i % C;
  let iw = i32((i / C) % u32(W));
  let ih = i32((i / (C * u32(W))) % u32(H));
  let n = i / (C * u32(W) * u32(H));
  var acc = 0.0;
  for (var kh = 0; kh < P[6u]; kh++) {
    let th = ih + P[12u] - kh * P[10u];
    if (th < 0 || th % P[8u] != 0 || th / P[8u] >= OH) { continue; }
    let oh = th / P[8u];
    for (var kw = 0; kw < P[7u]; kw++) {
      let tw = iw + P[13u] - kw * P[11u];
      if (tw < 0 || tw % P[9u] != 0 || tw / P[9u] >= OW) { continue; }
      let ow = tw / P[9u];
      let o = ((n * u32(OH) + u32(oh)) * u32(OW) + u32(ow)) * C + c;
      ${share}
    }
  }
  DX[i] = acc;`)}`;
  });
  const count = info.batch * info.inHeight * info.inWidth * info.inChannels;
  const params = poolParams(count, info);
  const buffers = x === null ? buffersOf(dy, dx) : buffersOf(x, dy, dx);
  q.dispatch(pipeline, buffers, params, elementGrid(count));
}

export function maxPool2dGrad(q: GpuQueue, x: GpuStorage, dy: GpuStorage, dx: GpuStorage, info: Conv2DInfo): void {
  (disjointWindows(info) ? scatterKernel : gradKernel)(q, 'max', x, dy, dx, info);
}

export function avgPool2dGrad(q: GpuQueue, dy: GpuStorage, dx: GpuStorage, info: Conv2DInfo): void {
  (disjointWindows(info) ? scatterKernel : gradKernel)(q, 'avg', null, dy, dx, info);
}

/**
 * Depthwise convolution and its gradients as direct kernels (BaseBackend's default expands the
 * filter to a dense C x C·M one, C times the work). Filter [KH, KW, C, M]; output channel c·M + m
 * reads input channel c only.
 * - forward: one thread per output element walks its window;
 * - input gradient: one thread per input element gathers from the windows that hold it (the taps
 *   whose stride lands on it) over the multiplier's M channels;
 * - filter gradient: one workgroup per filter element, its threads striding over the batch's
 *   output pixels and combining in workgroup memory (a long reduction, like conv's split-K).
 * params: [count, H, W, C, OH, OW, KH, KW, strideH, strideW, dilationH, dilationW, padTop, padLeft, M].
 */
import type { Conv2DInfo } from '../backend.js';
import type { GpuStorage } from './buffers.js';
import { type GpuQueue, Params } from './queue.js';
import { bindings, buffersOf, elementGrid, gridFor, PARAMS, perElement } from './wgsl.js';

const GEOMETRY = /* wgsl */ `
  let H = P[1u]; let W = P[2u]; let C = pu(3u); let OH = P[4u]; let OW = P[5u];
  let KH = P[6u]; let KW = P[7u]; let M = pu(14u);`;

function params(count: number, info: Conv2DInfo): Params {
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
    info.outChannels / info.inChannels,
  );
}

export function depthwiseConv2d(q: GpuQueue, x: GpuStorage, filter: GpuStorage, out: GpuStorage, info: Conv2DInfo): void {
  const pipeline = q.pipeline(
    'depthwise',
    () => `${PARAMS}
${bindings([
  ['X', 'f32', 'read'],
  ['FL', 'f32', 'read'],
  ['O', 'f32', 'read_write'],
])}
${perElement(`${GEOMETRY}
  let cm = i % (C * M);
  let c = cm / M;
  let m = cm % M;
  let ow = i32((i / (C * M)) % u32(OW));
  let oh = i32((i / (C * M * u32(OW))) % u32(OH));
  let n = i / (C * M * u32(OW) * u32(OH));
  var acc = 0.0;
  for (var kh = 0; kh < KH; kh++) {
    let ih = oh * P[8u] - P[12u] + kh * P[10u];
    if (ih < 0 || ih >= H) { continue; }
    for (var kw = 0; kw < KW; kw++) {
      let iw = ow * P[9u] - P[13u] + kw * P[11u];
      if (iw < 0 || iw >= W) { continue; }
      acc = fma(X[((n * u32(H) + u32(ih)) * u32(W) + u32(iw)) * C + c], FL[(u32(kh * KW + kw) * C + c) * M + m], acc);
    }
  }
  O[i] = acc;`)}`,
  );
  const count = info.batch * info.outHeight * info.outWidth * info.outChannels;
  q.dispatch(pipeline, buffersOf(x, filter, out), params(count, info), elementGrid(count));
}

export function depthwiseConv2dBackpropInput(
  q: GpuQueue,
  dy: GpuStorage,
  filter: GpuStorage,
  dx: GpuStorage,
  info: Conv2DInfo,
): void {
  const pipeline = q.pipeline(
    'depthwiseBackpropInput',
    () => `${PARAMS}
${bindings([
  ['DY', 'f32', 'read'],
  ['FL', 'f32', 'read'],
  ['DX', 'f32', 'read_write'],
])}
${perElement(`${GEOMETRY}
  let c = i % C;
  let iw = i32((i / C) % u32(W));
  let ih = i32((i / (C * u32(W))) % u32(H));
  let n = i / (C * u32(W) * u32(H));
  var acc = 0.0;
  for (var kh = 0; kh < KH; kh++) {
    let th = ih + P[12u] - kh * P[10u];
    if (th < 0 || th % P[8u] != 0 || th / P[8u] >= OH) { continue; }
    let oh = u32(th / P[8u]);
    for (var kw = 0; kw < KW; kw++) {
      let tw = iw + P[13u] - kw * P[11u];
      if (tw < 0 || tw % P[9u] != 0 || tw / P[9u] >= OW) { continue; }
      let o = ((n * u32(OH) + oh) * u32(OW) + u32(tw / P[9u])) * C * M + c * M;
      let f = (u32(kh * KW + kw) * C + c) * M;
      for (var m = 0u; m < M; m++) { acc = fma(DY[o + m], FL[f + m], acc); }
    }
  }
  DX[i] = acc;`)}`,
  );
  const count = info.batch * info.inHeight * info.inWidth * info.inChannels;
  q.dispatch(pipeline, buffersOf(dy, filter, dx), params(count, info), elementGrid(count));
}

const REDUCE_WG = 64;

export function depthwiseConv2dBackpropFilter(
  q: GpuQueue,
  x: GpuStorage,
  dy: GpuStorage,
  dFilter: GpuStorage,
  info: Conv2DInfo,
): void {
  const pipeline = q.pipeline(
    'depthwiseBackpropFilter',
    () => `${PARAMS}
${bindings([
  ['X', 'f32', 'read'],
  ['DY', 'f32', 'read'],
  ['DF', 'f32', 'read_write'],
])}
var<workgroup> part: array<f32, ${REDUCE_WG}>;
@compute @workgroup_size(${REDUCE_WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  ${GEOMETRY}
  let j = wid.x + wid.y * nwg.x;
  let live = j < pu(0u);
  let m = j % M;
  let c = (j / M) % C;
  let tap = i32(j / (M * C));
  let kh = tap / KW;
  let kw = tap % KW;
  let pixels = u32(P[15u]);
  var acc = 0.0;
  if (live) {
    for (var p = lid; p < pixels; p += ${REDUCE_WG}u) {
      let ow = i32(p % u32(OW));
      let oh = i32((p / u32(OW)) % u32(OH));
      let n = p / (u32(OW) * u32(OH));
      let ih = oh * P[8u] - P[12u] + kh * P[10u];
      let iw = ow * P[9u] - P[13u] + kw * P[11u];
      if (ih < 0 || ih >= H || iw < 0 || iw >= W) { continue; }
      acc = fma(X[((n * u32(H) + u32(ih)) * u32(W) + u32(iw)) * C + c], DY[p * C * M + c * M + m], acc);
    }
  }
  part[lid] = acc;
  workgroupBarrier();
  for (var s = ${REDUCE_WG / 2}u; s > 0u; s >>= 1u) {
    if (lid < s) { part[lid] = part[lid] + part[lid + s]; }
    workgroupBarrier();
  }
  if (live && lid == 0u) { DF[j] = part[0]; }
}`,
  );
  const count = info.filterHeight * info.filterWidth * info.outChannels;
  const pixels = info.batch * info.outHeight * info.outWidth;
  q.dispatch(pipeline, buffersOf(x, dy, dFilter), params(count, info).i(pixels), gridFor(count, 1));
}

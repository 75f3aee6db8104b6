/**
 * Max and average pooling over NHWC windows: one thread per output element walks its window.
 * Padding cells are skipped (they never win a max and are not counted in an average); NaN
 * propagates through max; a window with no cell inside the input yields 0.
 */
import type { Conv2DInfo } from '../backend.js';
import type { GpuStorage } from './buffers.js';
import { type GpuQueue, Params } from './queue.js';
import { bindings, buffersOf, elementGrid, MATH, PARAMS, perElement } from './wgsl.js';

/** params: [count, H, W, C, OH, OW, KH, KW, strideH, strideW, dilationH, dilationW, padTop, padLeft]. */
function windowKernel(q: GpuQueue, kind: 'max' | 'avg', x: GpuStorage, out: GpuStorage, info: Conv2DInfo): void {
  const pipeline = q.pipeline(`pool:${kind}`, () => {
    const visit = kind === 'max' ? 'if (!isNan(acc) && !(v <= acc)) { acc = v; }' : 'acc += v;';
    const result = kind === 'max' ? 'acc' : 'acc / f32(cells)';
    return `${PARAMS}${MATH}
${bindings([
  ['X', 'f32', 'read'],
  ['O', 'f32', 'read_write'],
])}
${perElement(`
  let H = P[1u]; let W = P[2u]; let C = pu(3u); let OH = pu(4u); let OW = pu(5u);
  let c = i % C;
  let ow = i32((i / C) % OW);
  let oh = i32((i / (C * OW)) % OH);
  let n = i / (C * OW * OH);
  var acc = ${kind === 'max' ? 'negInfF32()' : '0.0'};
  var cells = 0u;
  for (var kh = 0; kh < P[6u]; kh++) {
    let ih = oh * P[8u] - P[12u] + kh * P[10u];
    if (ih < 0 || ih >= H) { continue; }
    for (var kw = 0; kw < P[7u]; kw++) {
      let iw = ow * P[9u] - P[13u] + kw * P[11u];
      if (iw < 0 || iw >= W) { continue; }
      let v = X[((n * u32(H) + u32(ih)) * u32(W) + u32(iw)) * C + c];
      ${visit}
      cells++;
    }
  }
  O[i] = select(${result}, 0.0, cells == 0u);`)}`;
  });
  const params = new Params().i(
    out.size,
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
  q.dispatch(pipeline, buffersOf(x, out), params, elementGrid(out.size));
}

export function maxPool2d(q: GpuQueue, x: GpuStorage, out: GpuStorage, info: Conv2DInfo): void {
  windowKernel(q, 'max', x, out, info);
}

export function avgPool2d(q: GpuQueue, x: GpuStorage, out: GpuStorage, info: Conv2DInfo): void {
  windowKernel(q, 'avg', x, out, info);
}

/**
 * Softmax and log-softmax over the rows of a [rows, cols] view, fused: one workgroup per row finds
 * the row max, then the sum of exp(x - max) (both combined in workgroup memory), then writes
 * exp(x - max) / sum or x - max - log(sum). Three passes over the row, one dispatch, numerically
 * stable, in place of the default's reduce, subtract, exp, reduce and divide kernels.
 */
import type { GpuStorage } from './buffers.js';
import { type GpuQueue, Params } from './queue.js';
import { bindings, buffersOf, gridFor, PARAMS } from './wgsl.js';

const WG = 64;

function rowKernel(q: GpuQueue, log: boolean, x: GpuStorage, rows: number, cols: number, out: GpuStorage): void {
  const pipeline = q.pipeline(`softmax:${log}`, () => {
    const store = log ? 'X[base + c] - top - log(total)' : 'exp(X[base + c] - top) / total';
    return `${PARAMS}
${bindings([
  ['X', 'f32', 'read'],
  ['O', 'f32', 'read_write'],
])}
var<workgroup> part: array<f32, ${WG}>;
fn combineMax(lid: u32) {
  for (var s = ${WG / 2}u; s > 0u; s >>= 1u) {
    if (lid < s) { part[lid] = max(part[lid], part[lid + s]); }
    workgroupBarrier();
  }
}
fn combineSum(lid: u32) {
  for (var s = ${WG / 2}u; s > 0u; s >>= 1u) {
    if (lid < s) { part[lid] = part[lid] + part[lid + s]; }
    workgroupBarrier();
  }
}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x + wid.y * nwg.x;
  let live = row < pu(0u);
  let cols = pu(1u);
  let base = row * cols;
  var m = negInfF32();
  if (live) { for (var c = lid; c < cols; c += ${WG}u) { m = max(m, X[base + c]); } }
  part[lid] = m;
  workgroupBarrier();
  combineMax(lid);
  let top = part[0];
  workgroupBarrier();
  var s = 0.0;
  if (live) { for (var c = lid; c < cols; c += ${WG}u) { s += exp(X[base + c] - top); } }
  part[lid] = s;
  workgroupBarrier();
  combineSum(lid);
  let total = part[0];
  if (live) { for (var c = lid; c < cols; c += ${WG}u) { O[base + c] = ${store}; } }
}`;
  });
  q.dispatch(pipeline, buffersOf(x, out), new Params().i(rows, cols), gridFor(rows, 1));
}

export function softmax(q: GpuQueue, x: GpuStorage, rows: number, cols: number, out: GpuStorage): void {
  rowKernel(q, false, x, rows, cols, out);
}

export function logSoftmax(q: GpuQueue, x: GpuStorage, rows: number, cols: number, out: GpuStorage): void {
  rowKernel(q, true, x, rows, cols, out);
}

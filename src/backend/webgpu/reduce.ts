/**
 * Reductions. `reduce` gives each output element one workgroup: its threads stride over the reduced
 * elements and combine in workgroup memory (a tree, so long rows keep every thread busy); rows
 * shorter than a workgroup take the one-thread-per-output variant instead. Any set of axes works
 * without a transpose: kept and reduced axes each walk x with their own strides. `argReduce` is one
 * thread per output, first index on ties.
 */
import type { ReduceOp } from '../backend.js';
import type { GpuStorage } from './buffers.js';
import { type GpuQueue, Params } from './queue.js';
import {
  bindings,
  buffersOf,
  elementGrid,
  gridFor,
  INDEXING,
  MATH,
  PARAMS,
  perElement,
  sizeOfShape,
  stridesOf,
  wgslType,
} from './wgsl.js';

const REDUCE_WG = 64;

/** combine(a, b) and the identity per op and element type (max/min propagate NaN). */
function combiner(op: ReduceOp, t: 'f32' | 'i32'): { combine: string; identity: string } {
  const float = t === 'f32';
  switch (op) {
    case 'sum':
    case 'mean':
      return { combine: 'a + b', identity: `${t}(0)` };
    case 'prod':
      return { combine: 'a * b', identity: `${t}(1)` };
    case 'max':
      return float
        ? { combine: 'select(max(a, b), a + b, isNan(a) || isNan(b))', identity: 'negInfF32()' }
        : { combine: 'max(a, b)', identity: 'i32(-2147483647 - 1)' };
    case 'min':
      return float
        ? { combine: 'select(min(a, b), a + b, isNan(a) || isNan(b))', identity: 'infF32()' }
        : { combine: 'min(a, b)', identity: 'i32(2147483647)' };
  }
}

/**
 * params: [outCount, keptRank, redRank, redCount, keptShape, keptStrides, redShape, redStrides].
 * A 2-D grid of workgroups, one per output (or per REDUCE_WG outputs in the serial variant).
 */
export function reduce(
  q: GpuQueue,
  op: ReduceOp,
  x: GpuStorage,
  shape: readonly number[],
  axes: readonly number[],
  out: GpuStorage,
): void {
  const t = wgslType(out.dtype);
  const strides = stridesOf(shape);
  const kept = shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const keptShape = kept.map((d) => shape[d] as number);
  const redShape = axes.map((d) => shape[d] as number);
  const redCount = sizeOfShape(redShape);
  const outCount = sizeOfShape(keptShape);
  const serial = redCount < REDUCE_WG;
  const { combine, identity } = combiner(op, t);
  const finish = op === 'mean' ? `acc / ${t}(pu(3u))` : 'acc';
  const pipeline = q.pipeline(`reduce:${op}:${t}:${serial}`, () => {
    const head = `${PARAMS}${INDEXING}${MATH}
${bindings([
  ['X', t, 'read'],
  ['O', t, 'read_write'],
])}
fn combine(a: ${t}, b: ${t}) -> ${t} { return ${combine}; }
fn baseOf(o: u32) -> u32 { let kr = pu(1u); return stridedOffset(o, kr, 4u, 4u + kr); }
fn elementAt(r: u32) -> u32 { let kr = pu(1u); let rr = pu(2u); return stridedOffset(r, rr, 4u + 2u * kr, 4u + 2u * kr + rr); }`;
    if (serial) {
      return `${head}
${perElement(`
  let base = baseOf(i);
  var acc = ${identity};
  for (var r = 0u; r < pu(3u); r++) { acc = combine(acc, X[base + elementAt(r)]); }
  O[i] = ${finish};`)}`;
    }
    return `${head}
var<workgroup> part: array<${t}, ${REDUCE_WG}>;
@compute @workgroup_size(${REDUCE_WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = wid.x + wid.y * nwg.x;
  let live = o < pu(0u);
  var acc = ${identity};
  if (live) {
    let base = baseOf(o);
    for (var r = lid; r < pu(3u); r += ${REDUCE_WG}u) { acc = combine(acc, X[base + elementAt(r)]); }
  }
  part[lid] = acc;
  workgroupBarrier();
  for (var s = ${REDUCE_WG / 2}u; s > 0u; s >>= 1u) {
    if (lid < s) { part[lid] = combine(part[lid], part[lid + s]); }
    workgroupBarrier();
  }
  if (live && lid == 0u) { acc = part[0]; O[o] = ${finish}; }
}`;
  });
  const params = new Params()
    .i(outCount, kept.length, axes.length, redCount)
    .list(keptShape)
    .list(kept.map((d) => strides[d] as number))
    .list(redShape)
    .list(axes.map((d) => strides[d] as number));
  const grid = serial ? elementGrid(outCount, REDUCE_WG) : gridFor(outCount, 1);
  q.dispatch(pipeline, buffersOf(x, out), params, grid);
}

/** params: [count, n, inner]; x viewed as [outer, n, inner]. */
export function argReduce(
  q: GpuQueue,
  op: 'argmax' | 'argmin',
  x: GpuStorage,
  shape: readonly number[],
  axis: number,
  out: GpuStorage,
): void {
  const t = wgslType(x.dtype);
  const pipeline = q.pipeline(`${op}:${t}`, () => {
    const better = op === 'argmax' ? 'v > best' : 'v < best';
    return `${PARAMS}
${bindings([
  ['X', t, 'read'],
  ['O', 'i32', 'read_write'],
])}
${perElement(`
  let n = pu(1u);
  let inner = pu(2u);
  let base = (i / inner) * n * inner + i % inner;
  var best = X[base];
  var at = 0;
  for (var k = 1u; k < n; k++) {
    let v = X[base + k * inner];
    if (${better}) { best = v; at = i32(k); }
  }
  O[i] = at;`)}`;
  });
  const inner = sizeOfShape(shape.slice(axis + 1));
  q.dispatch(pipeline, buffersOf(x, out), new Params().i(out.size, shape[axis] as number, inner), elementGrid(out.size));
}

/**
 * Data movement: transpose and slice are one strided copy (the output walks the input with
 * permuted or stepped strides from a base offset), sliceAssign its adjoint (the source written
 * through those strides, distinct positions so no collisions), and pad with its three border modes.
 */
import type { PadMode } from '../backend.js';
import type { GpuStorage } from './buffers.js';
import { type GpuQueue, Params } from './queue.js';
import { bindings, buffersOf, elementGrid, INDEXING, PARAMS, perElement, sizeOfShape, stridesOf, wgslType } from './wgsl.js';

/** out[i] = x[base + Σ coord_i[d] * strides[d]] over outShape: params [count, rank, outShape, strides, base]. */
function stridedCopy(
  q: GpuQueue,
  x: GpuStorage,
  out: GpuStorage,
  outShape: readonly number[],
  strides: readonly number[],
  base: number,
): void {
  const t = wgslType(out.dtype);
  const rank = outShape.length;
  const pipeline = q.pipeline(`stridedCopy:${t}`, () => {
    return `${PARAMS}${INDEXING}
${bindings([
  ['X', t, 'read'],
  ['O', t, 'read_write'],
])}
${perElement('let rank = pu(1u); O[i] = X[pu(2u + 2u * rank) + stridedOffset(i, rank, 2u, 2u + rank)];')}`;
  });
  const params = new Params().i(sizeOfShape(outShape), rank).list(outShape).list(strides).i(base);
  q.dispatch(pipeline, buffersOf(x, out), params, elementGrid(sizeOfShape(outShape)));
}

export function transpose(q: GpuQueue, x: GpuStorage, shape: readonly number[], perm: readonly number[], out: GpuStorage): void {
  const strides = stridesOf(shape);
  stridedCopy(
    q,
    x,
    out,
    perm.map((p) => shape[p] as number),
    perm.map((p) => strides[p] as number),
    0,
  );
}

/** The base offset and strides of a strided box (begin, step) inside a tensor of `shape`. */
function box(shape: readonly number[], begin: readonly number[], step: readonly number[]): { base: number; strides: number[] } {
  const own = stridesOf(shape);
  return {
    base: begin.reduce((sum, b, d) => sum + b * (own[d] as number), 0),
    strides: own.map((s, d) => s * (step[d] as number)),
  };
}

export function slice(
  q: GpuQueue,
  x: GpuStorage,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  step: readonly number[],
  out: GpuStorage,
): void {
  const { base, strides } = box(shape, begin, step);
  stridedCopy(q, x, out, size, strides, base);
}

export function sliceAssign(
  q: GpuQueue,
  dst: GpuStorage,
  dstShape: readonly number[],
  src: GpuStorage,
  srcShape: readonly number[],
  begin: readonly number[],
  step: readonly number[],
  accumulate: boolean,
): void {
  const t = wgslType(dst.dtype);
  const rank = srcShape.length;
  const { base, strides } = box(dstShape, begin, step);
  const pipeline = q.pipeline(`sliceAssign:${t}:${accumulate}`, () => {
    const store = accumulate ? 'D[j] = D[j] + S[i];' : 'D[j] = S[i];';
    return `${PARAMS}${INDEXING}
${bindings([
  ['S', t, 'read'],
  ['D', t, 'read_write'],
])}
${perElement(`let rank = pu(1u); let j = pu(2u + 2u * rank) + stridedOffset(i, rank, 2u, 2u + rank); ${store}`)}`;
  });
  const count = sizeOfShape(srcShape);
  const params = new Params().i(count, rank).list(srcShape).list(strides).i(base);
  q.dispatch(pipeline, buffersOf(src, dst), params, elementGrid(count));
}

const padModes: Record<PadMode, number> = { constant: 0, reflect: 1, symmetric: 2 };

/** params: [count, rank, outShape, inShape, inStrides, before, mode, value (f32 bits)]. */
export function pad(
  q: GpuQueue,
  x: GpuStorage,
  shape: readonly number[],
  paddings: readonly (readonly [number, number])[],
  mode: PadMode,
  value: number,
  out: GpuStorage,
): void {
  const t = wgslType(out.dtype);
  const rank = shape.length;
  const outShape = shape.map((s, d) => s + (paddings[d]?.[0] ?? 0) + (paddings[d]?.[1] ?? 0));
  const pipeline = q.pipeline(`pad:${t}`, () => {
    return `${PARAMS}
${bindings([
  ['X', t, 'read'],
  ['O', t, 'read_write'],
])}
${perElement(`
  let rank = pu(1u);
  let mode = pu(2u + 4u * rank);
  var rem = i;
  var off = 0u;
  var inside = true;
  for (var d = rank; d > 0u; d--) {
    let os = pu(1u + d);
    let n = P[1u + rank + d];
    var c = i32(rem % os) - P[1u + 3u * rank + d];
    rem /= os;
    if (c < 0 || c >= n) {
      if (mode == 0u) { inside = false; c = 0; }
      else if (mode == 1u) { c = select(2 * (n - 1) - c, -c, c < 0); }
      else { c = select(2 * n - 1 - c, -c - 1, c < 0); }
    }
    off += u32(c) * pu(1u + 2u * rank + d);
  }
  if (inside) { O[i] = X[off]; } else { O[i] = ${t}(pf(3u + 4u * rank)); }`)}`;
  });
  const params = new Params()
    .i(sizeOfShape(outShape), rank)
    .list(outShape)
    .list(shape)
    .list(stridesOf(shape))
    .list(paddings.map((p) => p[0]))
    .i(padModes[mode])
    .f(value);
  q.dispatch(pipeline, buffersOf(x, out), params, elementGrid(sizeOfShape(outShape)));
}

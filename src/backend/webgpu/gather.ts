/**
 * Data-dependent addressing along one axis, x viewed as [outer, n, inner]: gather reads rows by
 * index; scatterAdd adds rows into them, colliding indices adding through atomics (a
 * compare-exchange loop on the float's bits, since WGSL has no float atomics; atomicAdd for int32).
 */
import type { GpuStorage } from './buffers.js';
import { type GpuQueue, Params } from './queue.js';
import { bindings, buffersOf, elementGrid, PARAMS, perElement, sizeOfShape, wgslType } from './wgsl.js';

/** Element i of the [outer, count, inner] side as (o, j, r); its row in [outer, n, inner] is indices[j]. params: [total, n, inner, count]. */
const ROW_OF = /* wgsl */ `
  let inner = pu(2u);
  let count = pu(3u);
  let r = i % inner;
  let j = (i / inner) % count;
  let o = i / (inner * count);
  let at = (o * pu(1u) + u32(IDX[j])) * inner + r;`;

export function gather(
  q: GpuQueue,
  x: GpuStorage,
  shape: readonly number[],
  indices: GpuStorage,
  axis: number,
  out: GpuStorage,
): void {
  const t = wgslType(out.dtype);
  const pipeline = q.pipeline(`gather:${t}`, () => {
    return `${PARAMS}
${bindings([
  ['X', t, 'read'],
  ['IDX', 'i32', 'read'],
  ['O', t, 'read_write'],
])}
${perElement(`${ROW_OF}\n  O[i] = X[at];`)}`;
  });
  const inner = sizeOfShape(shape.slice(axis + 1));
  const params = new Params().i(out.size, shape[axis] as number, inner, indices.size);
  q.dispatch(pipeline, buffersOf(x, indices, out), params, elementGrid(out.size));
}

export function scatterAdd(
  q: GpuQueue,
  updates: GpuStorage,
  indices: GpuStorage,
  axis: number,
  out: GpuStorage,
  outShape: readonly number[],
): void {
  const isInt = out.dtype === 'int32';
  const pipeline = q.pipeline(`scatterAdd:${isInt}`, () => {
    const add = isInt
      ? 'atomicAdd(&O[at], U[i]);'
      : `loop {
    let old = atomicLoad(&O[at]);
    let sum = bitcast<u32>(bitcast<f32>(old) + U[i]);
    if (atomicCompareExchangeWeak(&O[at], old, sum).exchanged) { break; }
  }`;
    return `${PARAMS}
${bindings([
  ['U', wgslType(updates.dtype), 'read'],
  ['IDX', 'i32', 'read'],
  ['O', isInt ? 'atomic<i32>' : 'atomic<u32>', 'read_write'],
])}
${perElement(`${ROW_OF}\n  ${add}`)}`;
  });
  const inner = sizeOfShape(outShape.slice(axis + 1));
  const params = new Params().i(updates.size, outShape[axis] as number, inner, indices.size);
  q.dispatch(pipeline, buffersOf(updates, indices, out), params, elementGrid(updates.size));
}

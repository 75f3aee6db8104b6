/** Indexing kernels: gather along an axis, its adjoint scatterAdd, and oneHot. */
import type { TypedArray } from '../../tensor/dtype.js';

/** [outer, axis, inner] sizes of a shape split around one axis. */
function aroundAxis(shape: readonly number[], axis: number): [number, number, number] {
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d] as number;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d] as number;
  return [outer, shape[axis] as number, inner];
}

export function gather(x: TypedArray, shape: readonly number[], indices: Int32Array, axis: number, out: TypedArray): void {
  const [outer, n, inner] = aroundAxis(shape, axis);
  const count = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < count; j++) {
      const src = (o * n + (indices[j] as number)) * inner;
      const dst = (o * count + j) * inner;
      if (inner >= 16) out.set(x.subarray(src, src + inner), dst);
      else for (let i = 0; i < inner; i++) out[dst + i] = x[src + i] as number;
    }
  }
}

export function scatterAdd(
  updates: TypedArray,
  indices: Int32Array,
  axis: number,
  out: TypedArray,
  outShape: readonly number[],
): void {
  const [outer, n, inner] = aroundAxis(outShape, axis);
  const count = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < count; j++) {
      const dst = (o * n + (indices[j] as number)) * inner;
      const src = (o * count + j) * inner;
      for (let i = 0; i < inner; i++) out[dst + i] = (out[dst + i] as number) + (updates[src + i] as number);
    }
  }
}

export function oneHot(indices: Int32Array, depth: number, onValue: number, offValue: number, out: TypedArray): void {
  out.fill(offValue);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i] as number;
    if (k >= 0 && k < depth) out[i * depth + k] = onValue;
  }
}

/** Strided slicing and its adjoint (writing a block back into a larger array). */
import type { TypedArray } from '../../tensor/dtype.js';
import { stridesOf } from '../../tensor/shape.js';

/**
 * Visits the rows (last axis) of a strided box inside an array of shape `shape`: the box starts
 * at `begin` and has `size[d]` elements along axis d, `step[d]` apart. `visit` receives the
 * flat offset of the row's first element, the element stride along the row, the row's index
 * among the box's rows, and the row length.
 */
function forEachBoxRow(
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  step: readonly number[],
  visit: (offset: number, stride: number, row: number, length: number) => void,
): void {
  const rank = shape.length;
  const strides = stridesOf(shape);
  let offset = 0;
  for (let d = 0; d < rank; d++) offset += (begin[d] as number) * (strides[d] as number);
  if (rank === 0) {
    visit(0, 1, 0, 1);
    return;
  }
  let rows = 1;
  for (let d = 0; d < rank - 1; d++) rows *= size[d] as number;
  const length = size[rank - 1] as number;
  if (rows === 0 || length === 0) return;
  const rowStride = (step[rank - 1] as number) * (strides[rank - 1] as number);
  const jumps = new Float64Array(rank);
  for (let d = 0; d < rank; d++) jumps[d] = (step[d] as number) * (strides[d] as number);
  const counter = new Int32Array(rank);
  for (let r = 0; r < rows; r++) {
    visit(offset, rowStride, r, length);
    for (let d = rank - 2; d >= 0; d--) {
      const c = (counter[d] as number) + 1;
      if (c < (size[d] as number)) {
        counter[d] = c;
        offset += jumps[d] as number;
        break;
      }
      counter[d] = 0;
      offset -= (jumps[d] as number) * ((size[d] as number) - 1);
    }
  }
}

export function slice(
  x: TypedArray,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  step: readonly number[],
  out: TypedArray,
): void {
  forEachBoxRow(shape, begin, size, step, (offset, stride, row, length) => {
    const o = row * length;
    if (stride === 1) {
      out.set(x.subarray(offset, offset + length), o);
      return;
    }
    for (let i = 0; i < length; i++) out[o + i] = x[offset + i * stride] as number;
  });
}

export function sliceAssign(
  dst: TypedArray,
  dstShape: readonly number[],
  src: TypedArray,
  srcShape: readonly number[],
  begin: readonly number[],
  step: readonly number[],
  accumulate: boolean,
): void {
  forEachBoxRow(dstShape, begin, srcShape, step, (offset, stride, row, length) => {
    const s = row * length;
    if (accumulate) {
      for (let i = 0; i < length; i++) dst[offset + i * stride] = (dst[offset + i * stride] as number) + (src[s + i] as number);
    } else if (stride === 1) {
      dst.set(src.subarray(s, s + length), offset);
    } else {
      for (let i = 0; i < length; i++) dst[offset + i * stride] = src[s + i] as number;
    }
  });
}

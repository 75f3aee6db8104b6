import type { TypedArray } from '../../tensor/dtype.js';

/**
 * Walks an output of shape outShape row by row (the last axis is the row), giving for each row
 * the starting offsets into each broadcast input and their strides along the row (0 or 1).
 * Inner loops are then plain strided loops with no per-element index arithmetic.
 */
export function forEachBroadcastRow(
  outShape: readonly number[],
  inShapes: readonly (readonly number[])[],
  visit: (offsets: Int32Array, rowStrides: Int32Array, outOffset: number, rowLength: number) => void,
): void {
  const rank = outShape.length;
  const inputs = inShapes.length;
  const offsets = new Int32Array(inputs);
  const rowStrides = new Int32Array(inputs);
  if (rank === 0) {
    visit(offsets, rowStrides, 0, 1);
    return;
  }
  // strides[j][d]: element stride of input j along output axis d (0 where broadcast).
  const strides: Int32Array[] = inShapes.map((shape) => {
    const s = new Int32Array(rank);
    let acc = 1;
    for (let d = rank - 1; d >= 0; d--) {
      const dim = shape[d - (rank - shape.length)] ?? 1;
      s[d] = dim === 1 ? 0 : acc;
      acc *= dim;
    }
    return s;
  });
  const rowLength = outShape[rank - 1] as number;
  for (let j = 0; j < inputs; j++) rowStrides[j] = (strides[j] as Int32Array)[rank - 1] as number;
  let rows = 1;
  for (let d = 0; d < rank - 1; d++) rows *= outShape[d] as number;
  if (rows === 0 || rowLength === 0) return;
  const counter = new Int32Array(Math.max(rank - 1, 0));
  for (let r = 0; r < rows; r++) {
    visit(offsets, rowStrides, r * rowLength, rowLength);
    // advance the odometer over the outer axes and update offsets incrementally
    for (let d = rank - 2; d >= 0; d--) {
      const c = (counter[d] as number) + 1;
      if (c < (outShape[d] as number)) {
        counter[d] = c;
        for (let j = 0; j < inputs; j++) offsets[j] = (offsets[j] as number) + ((strides[j] as Int32Array)[d] as number);
        break;
      }
      counter[d] = 0;
      for (let j = 0; j < inputs; j++) {
        offsets[j] = (offsets[j] as number) - ((strides[j] as Int32Array)[d] as number) * ((outShape[d] as number) - 1);
      }
    }
  }
}

/** Row loop of a binary op: out[oi + i] = f(a[ai + i*sa], b[bi + i*sb]). */
export type RowLoop = (
  a: TypedArray,
  ai: number,
  sa: number,
  b: TypedArray,
  bi: number,
  sb: number,
  out: TypedArray,
  oi: number,
  n: number,
) => void;

/** Runs a row loop over two broadcast inputs, with a single call when no broadcasting happens. */
export function runBinary(
  loop: RowLoop,
  a: TypedArray,
  aShape: readonly number[],
  b: TypedArray,
  bShape: readonly number[],
  out: TypedArray,
  outShape: readonly number[],
): void {
  const n = out.length;
  if (a.length === n && b.length === n) {
    loop(a, 0, 1, b, 0, 1, out, 0, n);
    return;
  }
  if (a.length === n && b.length === 1) {
    loop(a, 0, 1, b, 0, 0, out, 0, n);
    return;
  }
  if (b.length === n && a.length === 1) {
    loop(a, 0, 0, b, 0, 1, out, 0, n);
    return;
  }
  forEachBroadcastRow(outShape, [aShape, bShape], (offsets, rowStrides, oi, len) => {
    loop(a, offsets[0] as number, rowStrides[0] as number, b, offsets[1] as number, rowStrides[1] as number, out, oi, len);
  });
}

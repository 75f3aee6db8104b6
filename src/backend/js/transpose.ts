import type { TypedArray } from '../../tensor/dtype.js';

/** out = x with axes permuted: out.shape[i] = shape[perm[i]]. */
export function transpose(x: TypedArray, shape: readonly number[], perm: readonly number[], out: TypedArray): void {
  const rank = shape.length;
  if (rank <= 1 || perm.every((p, i) => p === i)) {
    out.set(x);
    return;
  }
  const inStrides = new Int32Array(rank);
  let acc = 1;
  for (let d = rank - 1; d >= 0; d--) {
    inStrides[d] = acc;
    acc *= shape[d] as number;
  }
  const outShape = perm.map((p) => shape[p] as number);
  // stride in x of each output axis; the last output axis is walked in the inner loop
  const strides = perm.map((p) => inStrides[p] as number);
  const rowLen = outShape[rank - 1] as number;
  const rowStride = strides[rank - 1] as number;
  const rows = x.length / Math.max(rowLen, 1);
  const counter = new Int32Array(rank - 1);
  let src = 0;
  let dst = 0;
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < rowLen; i++) out[dst + i] = x[src + i * rowStride] as number;
    dst += rowLen;
    for (let d = rank - 2; d >= 0; d--) {
      const c = (counter[d] as number) + 1;
      if (c < (outShape[d] as number)) {
        counter[d] = c;
        src += strides[d] as number;
        break;
      }
      counter[d] = 0;
      src -= (strides[d] as number) * ((outShape[d] as number) - 1);
    }
  }
}

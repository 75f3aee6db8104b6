import type { TypedArray } from '../../tensor/dtype.js';
import type { ReduceOp } from '../backend.js';
import { transpose } from './transpose.js';

/**
 * Reduces `axes` of x. When the reduced axes are not one contiguous trailing/inner block,
 * x is first transposed so they are, turning every case into [outer, reduced, inner].
 */
export function reduce(op: ReduceOp, x: TypedArray, shape: readonly number[], axes: readonly number[], out: TypedArray): void {
  const rank = shape.length;
  if (axes.length === 0) {
    out.set(x);
    return;
  }
  const contiguous = axes.every((a, i) => i === 0 || a === (axes[i - 1] as number) + 1);
  let src = x;
  let outer = 1;
  let red = 1;
  let inner = 1;
  if (contiguous) {
    const first = axes[0] as number;
    const last = axes[axes.length - 1] as number;
    for (let d = 0; d < first; d++) outer *= shape[d] as number;
    for (let d = first; d <= last; d++) red *= shape[d] as number;
    for (let d = last + 1; d < rank; d++) inner *= shape[d] as number;
  } else {
    const kept = [...Array(rank).keys()].filter((d) => !axes.includes(d));
    const perm = [...kept, ...axes];
    src = x instanceof Int32Array ? new Int32Array(x.length) : new Float32Array(x.length);
    transpose(x, shape, perm, src);
    for (const d of kept) outer *= shape[d] as number;
    for (const d of axes) red *= shape[d] as number;
  }
  reduceBlocks(op, src, outer, red, inner, out);
}

function reduceBlocks(op: ReduceOp, x: TypedArray, outer: number, red: number, inner: number, out: TypedArray): void {
  if (inner === 1) {
    for (let o = 0; o < outer; o++) out[o] = reduceRow(op, x, o * red, red);
    return;
  }
  // Accumulate row by row so reads stay contiguous along `inner`.
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * red * inner;
    const init = op === 'max' ? -Infinity : op === 'min' ? Infinity : op === 'prod' ? 1 : 0;
    acc.fill(init);
    for (let r = 0; r < red; r++) {
      const row = base + r * inner;
      switch (op) {
        case 'sum':
        case 'mean':
          for (let i = 0; i < inner; i++) acc[i] = (acc[i] as number) + (x[row + i] as number);
          break;
        case 'prod':
          for (let i = 0; i < inner; i++) acc[i] = (acc[i] as number) * (x[row + i] as number);
          break;
        case 'max':
          for (let i = 0; i < inner; i++) {
            const v = x[row + i] as number;
            if (v > (acc[i] as number) || Number.isNaN(v)) acc[i] = v;
          }
          break;
        case 'min':
          for (let i = 0; i < inner; i++) {
            const v = x[row + i] as number;
            if (v < (acc[i] as number) || Number.isNaN(v)) acc[i] = v;
          }
          break;
      }
    }
    const scale = op === 'mean' ? 1 / red : 1;
    for (let i = 0; i < inner; i++) out[o * inner + i] = (acc[i] as number) * scale;
  }
}

function reduceRow(op: ReduceOp, x: TypedArray, start: number, n: number): number {
  const end = start + n;
  switch (op) {
    case 'sum':
    case 'mean': {
      // pairwise-ish: four partial sums keep float error low on long rows
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      let i = start;
      for (; i + 4 <= end; i += 4) {
        s0 += x[i] as number;
        s1 += x[i + 1] as number;
        s2 += x[i + 2] as number;
        s3 += x[i + 3] as number;
      }
      for (; i < end; i++) s0 += x[i] as number;
      const s = s0 + s1 + (s2 + s3);
      return op === 'mean' ? s / n : s;
    }
    case 'prod': {
      let p = 1;
      for (let i = start; i < end; i++) p *= x[i] as number;
      return p;
    }
    case 'max': {
      let m = -Infinity;
      for (let i = start; i < end; i++) {
        const v = x[i] as number;
        if (v > m || Number.isNaN(v)) m = v;
      }
      return m;
    }
    case 'min': {
      let m = Infinity;
      for (let i = start; i < end; i++) {
        const v = x[i] as number;
        if (v < m || Number.isNaN(v)) m = v;
      }
      return m;
    }
  }
}

export function argReduce(op: 'argmax' | 'argmin', x: TypedArray, shape: readonly number[], axis: number, out: Int32Array): void {
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d] as number;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d] as number;
  const n = shape[axis] as number;
  // The first NaN wins and stays, so argmax points at the NaN that max returns (NumPy, PyTorch).
  const beats = op === 'argmax' ? (v: number, b: number) => v > b : (v: number, b: number) => v < b;
  const better = (v: number, b: number) => !Number.isNaN(b) && (beats(v, b) || Number.isNaN(v));
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let best = x[base] as number;
      let bestIdx = 0;
      for (let r = 1; r < n; r++) {
        const v = x[base + r * inner] as number;
        if (better(v, best)) {
          best = v;
          bestIdx = r;
        }
      }
      out[o * inner + i] = bestIdx;
    }
  }
}

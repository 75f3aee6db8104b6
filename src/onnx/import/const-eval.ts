/**
 * Constant folding: ops whose inputs are all known at import (shape arithmetic on static shapes,
 * Constant/ConstantOfShape, weights reshaped or transposed by the exporter) are computed here, in
 * float64, and never become layers.
 */
import {
  broadcastDims,
  broadcastIndex,
  type ConstArray,
  type ConstDType,
  constArray,
  sizeOfDims,
  stridesOf,
  transposeConst,
} from './const-array.js';

function binary(a: ConstArray, b: ConstArray, f: (x: number, y: number) => number, dtype: ConstDType, op: string): ConstArray {
  if ((a.dtype === 'int' && a.data.some(Number.isNaN)) || (b.dtype === 'int' && b.data.some(Number.isNaN))) {
    // The free batch size (NaN in a folded shape) may be moved around but not computed with.
    throw new Error(`${op} computes with the free batch size, which capa does not fold; export with a fixed batch size`);
  }
  const dims = broadcastDims(a.dims, b.dims);
  if (!dims) throw new Error(`${op}: shapes [${a.dims.join(', ')}] and [${b.dims.join(', ')}] do not broadcast`);
  const ia = broadcastIndex(a.dims, dims);
  const ib = broadcastIndex(b.dims, dims);
  const out = new Float64Array(sizeOfDims(dims));
  for (let i = 0; i < out.length; i++) out[i] = f(a.data[ia[i] as number] as number, b.data[ib[i] as number] as number);
  return { dims, data: out, dtype };
}

const intDiv = (x: number, y: number): number => Math.trunc(x / y);

/** Elementwise binary ops on constants (ONNX's Div truncates integers, like C). */
export const CONST_BINARY: Record<string, (a: ConstArray, b: ConstArray) => ConstArray> = {
  Add: (a, b) => binary(a, b, (x, y) => x + y, a.dtype, 'Add'),
  Sub: (a, b) => binary(a, b, (x, y) => x - y, a.dtype, 'Sub'),
  Mul: (a, b) => binary(a, b, (x, y) => x * y, a.dtype, 'Mul'),
  Div: (a, b) => binary(a, b, a.dtype === 'int' ? intDiv : (x, y) => x / y, a.dtype, 'Div'),
  Pow: (a, b) => binary(a, b, (x, y) => x ** y, a.dtype, 'Pow'),
  Equal: (a, b) => binary(a, b, (x, y) => (x === y ? 1 : 0), 'bool', 'Equal'),
  Less: (a, b) => binary(a, b, (x, y) => (x < y ? 1 : 0), 'bool', 'Less'),
  Greater: (a, b) => binary(a, b, (x, y) => (x > y ? 1 : 0), 'bool', 'Greater'),
};

export function mapConst(c: ConstArray, f: (x: number) => number, dtype: ConstDType = c.dtype): ConstArray {
  return { dims: c.dims.slice(), data: c.data.map(f), dtype };
}

export function whereConst(cond: ConstArray, x: ConstArray, y: ConstArray): ConstArray {
  const dims = broadcastDims(broadcastDims(cond.dims, x.dims) ?? [], y.dims);
  const cd = broadcastDims(cond.dims, x.dims);
  if (!dims || !cd) throw new Error('Where: the shapes of cond, X and Y do not broadcast');
  const ic = broadcastIndex(cond.dims, dims);
  const ix = broadcastIndex(x.dims, dims);
  const iy = broadcastIndex(y.dims, dims);
  const out = new Float64Array(sizeOfDims(dims));
  for (let i = 0; i < out.length; i++) {
    out[i] = cond.data[ic[i] as number] ? (x.data[ix[i] as number] as number) : (y.data[iy[i] as number] as number);
  }
  return { dims, data: out, dtype: x.dtype };
}

export function reshapeConst(c: ConstArray, dims: readonly number[]): ConstArray {
  return constArray(dims, c.data, c.dtype);
}

export function expandConst(c: ConstArray, shape: readonly number[]): ConstArray {
  const dims = broadcastDims(c.dims, shape);
  if (!dims) throw new Error(`Expand: shape [${c.dims.join(', ')}] does not broadcast to [${shape.join(', ')}]`);
  const idx = broadcastIndex(c.dims, dims);
  return { dims, data: Float64Array.from(idx, (i) => c.data[i] as number), dtype: c.dtype };
}

/** Gather along `axis` with (possibly multi-dimensional) indices, negative ones counting from the end. */
export function gatherConst(c: ConstArray, indices: ConstArray, axis: number): ConstArray {
  const n = c.dims[axis] as number;
  const outer = sizeOfDims(c.dims.slice(0, axis));
  const inner = sizeOfDims(c.dims.slice(axis + 1));
  const dims = [...c.dims.slice(0, axis), ...indices.dims, ...c.dims.slice(axis + 1)];
  const out = new Float64Array(sizeOfDims(dims));
  let k = 0;
  for (let o = 0; o < outer; o++) {
    for (const raw of indices.data) {
      const i = raw < 0 ? raw + n : raw;
      if (!(i >= 0 && i < n)) throw new Error(`Gather: index ${raw} is out of range for an axis of ${n}`);
      for (let j = 0; j < inner; j++) out[k++] = c.data[(o * n + i) * inner + j] as number;
    }
  }
  return { dims, data: out, dtype: c.dtype };
}

export function concatConst(parts: readonly ConstArray[], axis: number): ConstArray {
  const first = parts[0] as ConstArray;
  const outer = sizeOfDims(first.dims.slice(0, axis));
  const dims = first.dims.slice();
  dims[axis] = parts.reduce((s, p) => s + (p.dims[axis] as number), 0);
  const out = new Float64Array(sizeOfDims(dims));
  let k = 0;
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const chunk = sizeOfDims(p.dims.slice(axis));
      out.set(p.data.subarray(o * chunk, (o + 1) * chunk), k);
      k += chunk;
    }
  }
  return { dims, data: out, dtype: first.dtype };
}

/** ONNX Slice semantics on one axis: clamped start/end for a step (negative steps walk back). */
export function sliceRange(start: number, end: number, step: number, n: number): number[] {
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  let s = start < 0 ? start + n : start;
  let e = end < 0 ? end + n : end;
  if (step > 0) {
    s = clamp(s, 0, n);
    e = clamp(e, 0, n);
  } else {
    s = clamp(s, 0, n - 1);
    e = clamp(e, -1, n - 1);
  }
  const out: number[] = [];
  for (let i = s; step > 0 ? i < e : i > e; i += step) out.push(i);
  return out;
}

/** Slices a constant: `ranges[axis]` lists the kept indices of each axis. */
export function sliceConst(c: ConstArray, ranges: readonly (readonly number[])[]): ConstArray {
  const dims = ranges.map((r) => r.length);
  const strides = stridesOf(c.dims);
  const out = new Float64Array(sizeOfDims(dims));
  const index = new Array<number>(dims.length).fill(0);
  for (let flat = 0; flat < out.length; flat++) {
    let src = 0;
    for (let a = 0; a < dims.length; a++) src += ((ranges[a] as number[])[index[a] as number] as number) * (strides[a] as number);
    out[flat] = c.data[src] as number;
    for (let a = dims.length - 1; a >= 0; a--) {
      index[a] = (index[a] as number) + 1;
      if ((index[a] as number) < (dims[a] as number)) break;
      index[a] = 0;
    }
  }
  return { dims, data: out, dtype: c.dtype };
}

export { transposeConst };

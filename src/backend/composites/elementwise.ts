/**
 * Helpers the composite defaults are written with: each allocates its result from the backend
 * and runs one primitive, so a composite reads as a formula and never touches values itself.
 * Operands are flat vectors of equal length, or a number (uploaded as a one-element tensor that
 * broadcasts).
 */
import type { DType, TypedArray } from '../../tensor/dtype.js';
import type { BinaryOp, CompareOp, RequiredPrimitives, UnaryOp } from '../backend.js';

type Operand = Float32Array | number;

/** Element count of a storage (the one place composites ask it). */
export function lengthOf(x: TypedArray): number {
  return x.length;
}

export function allocF32(b: RequiredPrimitives, size: number): Float32Array {
  return b.alloc('float32', size) as Float32Array;
}

export function allocI32(b: RequiredPrimitives, size: number): Int32Array {
  return b.alloc('int32', size) as Int32Array;
}

/** A one-element tensor holding `value`. */
export function scalar(b: RequiredPrimitives, value: number, dtype: DType = 'float32'): TypedArray {
  const s = b.alloc(dtype, 1);
  b.write(s, [value]);
  return s;
}

/** int32 [start, start + step, ...] of length n: an index table (geometry, not data). */
export function indexTable(b: RequiredPrimitives, n: number, start = 0, step = 1): Int32Array {
  const t = allocI32(b, n);
  b.write(
    t,
    Array.from({ length: n }, (_, i) => start + i * step),
  );
  return t;
}

/** Copies src into dst (same length and dtype). */
export function copyInto(b: RequiredPrimitives, src: TypedArray, dst: TypedArray): void {
  b.cast(src, dst);
}

export function map(b: RequiredPrimitives, op: UnaryOp, x: Float32Array, alpha = 0, beta = 0): Float32Array {
  const out = allocF32(b, lengthOf(x));
  b.unary(op, x, out, alpha, beta);
  return out;
}

function operand(b: RequiredPrimitives, v: Operand): [TypedArray, number[]] {
  return typeof v === 'number' ? [scalar(b, v), []] : [v, [lengthOf(v)]];
}

/** x op y, elementwise; the result has the length of the longer operand. */
export function zip(b: RequiredPrimitives, op: BinaryOp, x: Operand, y: Operand): Float32Array {
  const [xs, xShape] = operand(b, x);
  const [ys, yShape] = operand(b, y);
  const n = Math.max(xShape[0] ?? 1, yShape[0] ?? 1);
  const out = allocF32(b, n);
  b.binary(op, xs, xShape, ys, yShape, out, [n]);
  return out;
}

/** int32 0/1 mask of x op y. */
export function test(b: RequiredPrimitives, op: CompareOp, x: Operand, y: Operand): Int32Array {
  const [xs, xShape] = operand(b, x);
  const [ys, yShape] = operand(b, y);
  const n = Math.max(xShape[0] ?? 1, yShape[0] ?? 1);
  const out = allocI32(b, n);
  b.compare(op, xs, xShape, ys, yShape, out, [n]);
  return out;
}

/** mask != 0 ? a : c, elementwise. */
export function where(b: RequiredPrimitives, mask: Int32Array, a: Operand, c: Operand): Float32Array {
  const [as, aShape] = operand(b, a);
  const [cs, cShape] = operand(b, c);
  const n = lengthOf(mask);
  const out = allocF32(b, n);
  b.select(mask, [n], as, aShape, cs, cShape, out, [n]);
  return out;
}

/** Σ x² over every element, as a one-element tensor. */
export function sumOfSquares(b: RequiredPrimitives, x: Float32Array): Float32Array {
  const out = allocF32(b, 1);
  b.reduce('sum', map(b, 'square', x), [lengthOf(x)], [0], out);
  return out;
}

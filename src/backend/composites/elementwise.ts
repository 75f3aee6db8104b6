/**
 * Helpers the composite defaults are written with: each allocates its result from the backend
 * and runs one primitive, so a composite reads as a formula and never touches values itself.
 * Operands are flat vectors of equal length, or a number (uploaded as a one-element tensor that
 * broadcasts).
 */
import type { DType } from '../../tensor/dtype.js';
import type { BinaryOp, CompareOp, RequiredPrimitives, Storage, UnaryOp } from '../backend.js';

type Operand = Storage | number;

/** Zero-filled float32 storage: temporaries start from zeros, so no default depends on dirty memory. */
export function allocF32(b: RequiredPrimitives, size: number): Storage {
  return b.allocateZeroed('float32', size);
}

export function allocI32(b: RequiredPrimitives, size: number): Storage {
  return b.allocateZeroed('int32', size);
}

/** A one-element tensor holding `value`. */
export function scalar(b: RequiredPrimitives, value: number, dtype: DType = 'float32'): Storage {
  const s = b.allocateZeroed(dtype, 1);
  b.write(s, [value]);
  return s;
}

/** int32 [start, start + step, ...] of length n: an index table (geometry, not data). */
export function indexTable(b: RequiredPrimitives, n: number, start = 0, step = 1): Storage {
  const t = allocI32(b, n);
  b.write(
    t,
    Array.from({ length: n }, (_, i) => start + i * step),
  );
  return t;
}

/** Copies src into dst (same size and dtype). */
export function copyInto(b: RequiredPrimitives, src: Storage, dst: Storage): void {
  b.copy(src, dst, b.sizeOf(dst));
}

export function map(b: RequiredPrimitives, op: UnaryOp, x: Storage, alpha = 0, beta = 0): Storage {
  const out = allocF32(b, b.sizeOf(x));
  b.unary(op, x, out, alpha, beta);
  return out;
}

function operand(b: RequiredPrimitives, v: Operand): [Storage, number[]] {
  return typeof v === 'number' ? [scalar(b, v), []] : [v, [b.sizeOf(v)]];
}

/** x op y, elementwise; the result has the length of the longer operand. */
export function zip(b: RequiredPrimitives, op: BinaryOp, x: Operand, y: Operand): Storage {
  const [xs, xShape] = operand(b, x);
  const [ys, yShape] = operand(b, y);
  const n = Math.max(xShape[0] ?? 1, yShape[0] ?? 1);
  const out = allocF32(b, n);
  b.binary(op, xs, xShape, ys, yShape, out, [n]);
  return out;
}

/** int32 0/1 mask of x op y. */
export function mask(b: RequiredPrimitives, op: CompareOp, x: Operand, y: Operand): Storage {
  const [xs, xShape] = operand(b, x);
  const [ys, yShape] = operand(b, y);
  const n = Math.max(xShape[0] ?? 1, yShape[0] ?? 1);
  const out = allocI32(b, n);
  b.compare(op, xs, xShape, ys, yShape, out, [n]);
  return out;
}

/** condition != 0 ? a : c, elementwise. */
export function where(b: RequiredPrimitives, condition: Storage, a: Operand, c: Operand): Storage {
  const [as, aShape] = operand(b, a);
  const [cs, cShape] = operand(b, c);
  const n = b.sizeOf(condition);
  const out = allocF32(b, n);
  b.select(condition, [n], as, aShape, cs, cShape, out, [n]);
  return out;
}

/** Σ x² over every element, as a one-element tensor. */
export function sumOfSquares(b: RequiredPrimitives, x: Storage): Storage {
  const out = allocF32(b, 1);
  b.reduce('sum', map(b, 'square', x), [b.sizeOf(x)], [0], out);
  return out;
}

/** Default softmax family over the last axis of a [rows, cols] view, in primitives. */
import type { RequiredPrimitives } from '../backend.js';
import { allocF32, lengthOf } from './elementwise.js';

/** A per-row reduction of x [rows, cols], as [rows]. */
function rowReduce(b: RequiredPrimitives, op: 'max' | 'sum', x: Float32Array, rows: number, cols: number): Float32Array {
  const out = allocF32(b, rows);
  b.reduce(op, x, [rows, cols], [1], out);
  return out;
}

/** x [rows, cols] op r [rows] (broadcast along each row), into out (fresh when not given). */
function withRows(
  b: RequiredPrimitives,
  op: 'sub' | 'div' | 'mul',
  x: Float32Array,
  r: Float32Array,
  rows: number,
  cols: number,
  out: Float32Array = allocF32(b, rows * cols),
): Float32Array {
  b.binary(op, x, [rows, cols], r, [rows, 1], out, [rows, cols]);
  return out;
}

function expOf(b: RequiredPrimitives, x: Float32Array): Float32Array {
  const out = allocF32(b, lengthOf(x));
  b.unary('exp', x, out, 0, 0);
  return out;
}

/** x minus its row max: the shift that keeps exp from overflowing. */
function shifted(b: RequiredPrimitives, x: Float32Array, rows: number, cols: number): Float32Array {
  return withRows(b, 'sub', x, rowReduce(b, 'max', x, rows, cols), rows, cols);
}

export function softmax(b: RequiredPrimitives, x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  const e = expOf(b, shifted(b, x, rows, cols));
  withRows(b, 'div', e, rowReduce(b, 'sum', e, rows, cols), rows, cols, out);
}

export function logSoftmax(b: RequiredPrimitives, x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  const s = shifted(b, x, rows, cols);
  const logSum = allocF32(b, rows);
  b.unary('log', rowReduce(b, 'sum', expOf(b, s), rows, cols), logSum, 0, 0);
  withRows(b, 'sub', s, logSum, rows, cols, out);
}

/** dx = y * (dy - Σ dy·y) per row. */
export function softmaxGrad(
  b: RequiredPrimitives,
  y: Float32Array,
  dy: Float32Array,
  rows: number,
  cols: number,
  dx: Float32Array,
): void {
  const dyY = allocF32(b, rows * cols);
  b.binary('mul', dy, [rows * cols], y, [rows * cols], dyY, [rows * cols]);
  const centered = withRows(b, 'sub', dy, rowReduce(b, 'sum', dyY, rows, cols), rows, cols);
  b.binary('mul', y, [rows * cols], centered, [rows * cols], dx, [rows * cols]);
}

/** dx = dy - exp(y) * Σ dy per row. */
export function logSoftmaxGrad(
  b: RequiredPrimitives,
  y: Float32Array,
  dy: Float32Array,
  rows: number,
  cols: number,
  dx: Float32Array,
): void {
  const spread = withRows(b, 'mul', expOf(b, y), rowReduce(b, 'sum', dy, rows, cols), rows, cols);
  b.binary('sub', dy, [rows * cols], spread, [rows * cols], dx, [rows * cols]);
}

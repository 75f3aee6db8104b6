/** Default softmax family over the last axis of a [rows, cols] view, in primitives. */
import type { RequiredPrimitives, Storage } from '../backend.js';
import { allocF32 } from './elementwise.js';

/** A per-row reduction of x [rows, cols], as [rows]. */
function rowReduce(b: RequiredPrimitives, op: 'max' | 'sum', x: Storage, rows: number, cols: number): Storage {
  const out = allocF32(b, rows);
  b.reduce(op, x, [rows, cols], [1], out);
  return out;
}

/** x [rows, cols] op r [rows] (broadcast along each row), into out (fresh when not given). */
function withRows(
  b: RequiredPrimitives,
  op: 'sub' | 'div' | 'mul',
  x: Storage,
  r: Storage,
  rows: number,
  cols: number,
  out: Storage = allocF32(b, rows * cols),
): Storage {
  b.binary(op, x, [rows, cols], r, [rows, 1], out, [rows, cols]);
  return out;
}

function expOf(b: RequiredPrimitives, x: Storage): Storage {
  const out = allocF32(b, b.sizeOf(x));
  b.unary('exp', x, out, 0, 0);
  return out;
}

/** x minus its row max: the shift that keeps exp from overflowing. */
function shifted(b: RequiredPrimitives, x: Storage, rows: number, cols: number): Storage {
  return withRows(b, 'sub', x, rowReduce(b, 'max', x, rows, cols), rows, cols);
}

export function softmax(b: RequiredPrimitives, x: Storage, rows: number, cols: number, out: Storage): void {
  const e = expOf(b, shifted(b, x, rows, cols));
  withRows(b, 'div', e, rowReduce(b, 'sum', e, rows, cols), rows, cols, out);
}

export function logSoftmax(b: RequiredPrimitives, x: Storage, rows: number, cols: number, out: Storage): void {
  const s = shifted(b, x, rows, cols);
  const logSum = allocF32(b, rows);
  b.unary('log', rowReduce(b, 'sum', expOf(b, s), rows, cols), logSum, 0, 0);
  withRows(b, 'sub', s, logSum, rows, cols, out);
}

/** dx = y * (dy - Σ dy·y) per row. */
export function softmaxGrad(b: RequiredPrimitives, y: Storage, dy: Storage, rows: number, cols: number, dx: Storage): void {
  const dyY = allocF32(b, rows * cols);
  b.binary('mul', dy, [rows * cols], y, [rows * cols], dyY, [rows * cols]);
  const centered = withRows(b, 'sub', dy, rowReduce(b, 'sum', dyY, rows, cols), rows, cols);
  b.binary('mul', y, [rows * cols], centered, [rows * cols], dx, [rows * cols]);
}

/** dx = dy - exp(y) * Σ dy per row. */
export function logSoftmaxGrad(b: RequiredPrimitives, y: Storage, dy: Storage, rows: number, cols: number, dx: Storage): void {
  const spread = withRows(b, 'mul', expOf(b, y), rowReduce(b, 'sum', dy, rows, cols), rows, cols);
  b.binary('sub', dy, [rows * cols], spread, [rows * cols], dx, [rows * cols]);
}

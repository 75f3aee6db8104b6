/** Default layer normalization over each row of x viewed as [rows, cols], in primitives. */
import type { RequiredPrimitives, Storage } from '../backend.js';
import { allocF32, map, zip } from './elementwise.js';

/** x [rows, cols] op v, v broadcast as [rows, 1] (per row) or [cols] (per column), into out (fresh when not given). */
function broadcast(
  b: RequiredPrimitives,
  op: 'add' | 'sub' | 'mul',
  x: Storage,
  v: Storage,
  vShape: number[],
  shape: number[],
  out: Storage = allocF32(b, (shape[0] as number) * (shape[1] as number)),
): Storage {
  b.binary(op, x, shape, v, vShape, out, shape);
  return out;
}

function rowMean(b: RequiredPrimitives, x: Storage, rows: number, cols: number): Storage {
  const out = allocF32(b, rows);
  b.reduce('mean', x, [rows, cols], [1], out);
  return out;
}

/** (x - mean) * rstd per row: the normalized input. */
function normalized(b: RequiredPrimitives, x: Storage, mean: Storage, rstd: Storage, rows: number, cols: number): Storage {
  const shape = [rows, cols];
  return broadcast(b, 'mul', broadcast(b, 'sub', x, mean, [rows, 1], shape), rstd, [rows, 1], shape);
}

export function layerNorm(
  b: RequiredPrimitives,
  x: Storage,
  gamma: Storage | null,
  beta: Storage | null,
  epsilon: number,
  rows: number,
  cols: number,
  out: Storage,
  mean: Storage,
  rstd: Storage,
): void {
  const shape = [rows, cols];
  b.reduce('mean', x, shape, [1], mean);
  const deviation = allocF32(b, rows * cols);
  b.binary('squaredDifference', x, shape, mean, [rows, 1], deviation, shape);
  const inverse = map(b, 'rsqrt', zip(b, 'add', rowMean(b, deviation, rows, cols), epsilon));
  b.copy(inverse, rstd, rows);
  let y = normalized(b, x, mean, rstd, rows, cols);
  if (gamma) y = broadcast(b, 'mul', y, gamma, [cols], shape);
  if (beta) y = broadcast(b, 'add', y, beta, [cols], shape);
  b.copy(y, out, rows * cols);
}

/** dx = rstd · (g - mean_row(g) - x̂ · mean_row(g · x̂)) with g = dy · gamma. */
export function layerNormGrad(
  b: RequiredPrimitives,
  x: Storage,
  dy: Storage,
  mean: Storage,
  rstd: Storage,
  gamma: Storage | null,
  rows: number,
  cols: number,
  dx: Storage,
  dGamma: Storage,
  dBeta: Storage,
): void {
  const shape = [rows, cols];
  const xHat = normalized(b, x, mean, rstd, rows, cols);
  b.reduce('sum', dy, shape, [0], dBeta);
  b.reduce('sum', zip(b, 'mul', dy, xHat), shape, [0], dGamma);
  const g = gamma ? broadcast(b, 'mul', dy, gamma, [cols], shape) : dy;
  const spread = broadcast(b, 'mul', xHat, rowMean(b, zip(b, 'mul', g, xHat), rows, cols), [rows, 1], shape);
  const centered = zip(b, 'sub', broadcast(b, 'sub', g, rowMean(b, g, rows, cols), [rows, 1], shape), spread);
  broadcast(b, 'mul', centered, rstd, [rows, 1], shape, dx);
}

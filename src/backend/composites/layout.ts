/** Default layout kernels: concat, tile and oneHot, each a write or a broadcast over primitives. */
import type { RequiredPrimitives, Storage } from '../backend.js';
import { allocF32, allocI32, indexTable, scalar } from './elementwise.js';

/** Each input written into its slab of out along `axis`. */
export function concat(
  b: RequiredPrimitives,
  inputs: readonly Storage[],
  shapes: readonly (readonly number[])[],
  axis: number,
  out: Storage,
): void {
  const first = shapes[0];
  if (first === undefined) return;
  const outShape = first.slice();
  outShape[axis] = shapes.reduce((sum, s) => sum + (s[axis] as number), 0);
  const ones = outShape.map(() => 1);
  let offset = 0;
  for (const [i, input] of inputs.entries()) {
    const shape = shapes[i] as readonly number[];
    const begin = outShape.map((_, d) => (d === axis ? offset : 0));
    b.sliceAssign(out, outShape, input, shape, begin, ones, false);
    offset += shape[axis] as number;
  }
}

/**
 * x repeated reps[d] times along each axis d: x viewed as [1, s0, 1, s1, ...] broadcast to
 * [r0, s0, r1, s1, ...], which is the tiled tensor in row-major order. A select with a constant
 * true condition copies exactly (an add of zero would turn -0 into +0).
 */
export function tile(b: RequiredPrimitives, x: Storage, shape: readonly number[], reps: readonly number[], out: Storage): void {
  const xView = shape.flatMap((s) => [1, s]);
  const outView = shape.flatMap((s, d) => [reps[d] as number, s]);
  b.select(scalar(b, 1, 'int32'), [], x, xView, x, xView, out, outView);
}

/** out [n, depth] = onValue where indices[i] == j, else offValue: a comparison against 0..depth-1. */
export function oneHot(
  b: RequiredPrimitives,
  indices: Storage,
  depth: number,
  onValue: number,
  offValue: number,
  out: Storage,
): void {
  const n = b.sizeOf(indices);
  const hit = allocI32(b, n * depth);
  b.compare('equal', indices, [n, 1], indexTable(b, depth), [1, depth], hit, [n, depth]);
  // chosen in float32, then cast into out's dtype (an int32 out holds integral on/off values)
  const chosen = allocF32(b, n * depth);
  b.select(hit, [n, depth], scalar(b, onValue), [], scalar(b, offValue), [], chosen, [n, depth]);
  b.cast(chosen, out);
}

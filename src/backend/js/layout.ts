/** Kernels that rearrange or repeat whole arrays: concat, pad, tile. */
import type { TypedArray } from '../../tensor/dtype.js';
import { stridesOf } from '../../tensor/shape.js';
import type { PadMode } from '../backend.js';

export function concat(
  inputs: readonly TypedArray[],
  shapes: readonly (readonly number[])[],
  axis: number,
  out: TypedArray,
): void {
  const first = shapes[0];
  if (first === undefined) return;
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= first[d] as number;
  // each input contributes one contiguous chunk (its axis extent x inner size) per outer index
  const chunks = shapes.map((s) => {
    let n = 1;
    for (let d = axis; d < s.length; d++) n *= s[d] as number;
    return n;
  });
  let o = 0;
  for (let r = 0; r < outer; r++) {
    for (let j = 0; j < inputs.length; j++) {
      const len = chunks[j] as number;
      out.set((inputs[j] as TypedArray).subarray(r * len, (r + 1) * len), o);
      o += len;
    }
  }
}

/**
 * out[i0, i1, ...] = x[maps[0][i0], maps[1][i1], ...], or `fill` where any map entry is -1.
 * Padding and tiling are both this with different per-axis index maps.
 */
function gatherByAxisMaps(
  x: TypedArray,
  shape: readonly number[],
  maps: readonly Int32Array[],
  out: TypedArray,
  fill: number,
): void {
  const rank = shape.length;
  if (rank === 0) {
    out[0] = x[0] as number;
    return;
  }
  const strides = stridesOf(shape);
  const outShape = maps.map((m) => m.length);
  const last = maps[rank - 1] as Int32Array;
  const length = last.length;
  let rows = 1;
  for (let d = 0; d < rank - 1; d++) rows *= outShape[d] as number;
  if (rows === 0 || length === 0) return;
  const counter = new Int32Array(rank);
  for (let r = 0; r < rows; r++) {
    let base = 0;
    let inside = true;
    for (let d = 0; d < rank - 1; d++) {
      const src = (maps[d] as Int32Array)[counter[d] as number] as number;
      if (src < 0) inside = false;
      base += src * (strides[d] as number);
    }
    const o = r * length;
    if (!inside) out.fill(fill, o, o + length);
    else {
      for (let i = 0; i < length; i++) {
        const src = last[i] as number;
        out[o + i] = src < 0 ? fill : (x[base + src] as number);
      }
    }
    for (let d = rank - 2; d >= 0; d--) {
      const c = (counter[d] as number) + 1;
      if (c < (outShape[d] as number)) {
        counter[d] = c;
        break;
      }
      counter[d] = 0;
    }
  }
}

/** Source index along one axis of length n for padded position i (may be outside [0, n)). */
function padSource(i: number, n: number, mode: PadMode): number {
  if (i >= 0 && i < n) return i;
  if (mode === 'constant') return -1;
  if (mode === 'reflect') return i < 0 ? -i : 2 * (n - 1) - i;
  return i < 0 ? -i - 1 : 2 * n - 1 - i;
}

export function pad(
  x: TypedArray,
  shape: readonly number[],
  paddings: readonly (readonly [number, number])[],
  mode: PadMode,
  value: number,
  out: TypedArray,
): void {
  const maps = shape.map((n, d) => {
    const [before, after] = paddings[d] as readonly [number, number];
    const map = new Int32Array(n + before + after);
    for (let i = 0; i < map.length; i++) map[i] = padSource(i - before, n, mode);
    return map;
  });
  gatherByAxisMaps(x, shape, maps, out, value);
}

export function tile(x: TypedArray, shape: readonly number[], reps: readonly number[], out: TypedArray): void {
  const maps = shape.map((n, d) => {
    const map = new Int32Array(n * (reps[d] as number));
    for (let i = 0; i < map.length; i++) map[i] = i % n;
    return map;
  });
  gatherByAxisMaps(x, shape, maps, out, 0);
}

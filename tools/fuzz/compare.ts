/**
 * NaN-aware comparison of two engines' results for the fuzzer. Float32 kernels differ in summation
 * order, FMA contraction and transcendental approximations, so finite values are compared with a
 * relative tolerance plus an absolute one scaled by the largest magnitude involved (a sum of 1e30
 * and -1e30 may leave 0 or a rounding residue). NaN must meet NaN and an infinity the same
 * infinity, except that a value overflowing float32 in one summation order may stay finite in
 * another (|x| > 1e37 against ±Infinity of the same sign). When the inputs hold magnitudes whose
 * products overflow float32 (above 1e17), every later step depends on where the overflow happened
 * (the reference accumulates in float64, native kernels in float32, in another order): such cases
 * check shapes, dtypes and that no engine crashes or throws alone, not values.
 */

/** Inputs above this magnitude make a sum of products order-dependent in float32. */
export const OVERFLOW_PRONE = 1e17;

export interface Result {
  shape: number[];
  dtype: string;
  values: ArrayLike<number>;
}

export interface Mismatch {
  what: string;
  index?: number;
  expected?: number;
  actual?: number;
}

function maxFiniteAbs(arrays: readonly ArrayLike<number>[]): number {
  let m = 0;
  for (const a of arrays)
    for (let i = 0; i < a.length; i++) {
      const v = Math.abs(a[i] as number);
      if (v > m && v !== Infinity) m = v;
    }
  return m;
}

function overflowPair(a: number, b: number): boolean {
  const [inf, fin] = Number.isFinite(a) ? [b, a] : [a, b];
  return Math.abs(inf) === Infinity && Number.isFinite(fin) && Math.abs(fin) > 1e37 && Math.sign(fin) === Math.sign(inf);
}

/**
 * The first disagreement between `expected` (the TypeScript reference) and `actual`, or null.
 * `scale` is the largest finite magnitude among the case's inputs.
 */
export function compareResults(
  expected: readonly Result[],
  actual: readonly Result[],
  scale: number,
  rtol: number,
  what: string,
): Mismatch | null {
  if (expected.length !== actual.length) return { what: `${what}: ${expected.length} results vs ${actual.length}` };
  for (let k = 0; k < expected.length; k++) {
    const e = expected[k] as Result;
    const a = actual[k] as Result;
    const name = `${what} ${k}`;
    if (e.dtype !== a.dtype) return { what: `${name}: dtype ${e.dtype} vs ${a.dtype}` };
    if (e.shape.join() !== a.shape.join()) return { what: `${name}: shape [${e.shape}] vs [${a.shape}]` };
    if (scale > OVERFLOW_PRONE) continue;
    const atol = rtol * 0.1 * Math.max(1, scale, maxFiniteAbs([e.values]));
    for (let i = 0; i < e.values.length; i++) {
      const x = e.values[i] as number;
      const y = a.values[i] as number;
      if (Object.is(x, y) || x === y || (Number.isNaN(x) && Number.isNaN(y))) continue;
      const bothFinite = Number.isFinite(x) && Number.isFinite(y);
      if (bothFinite && Math.abs(x - y) <= atol + rtol * Math.max(Math.abs(x), Math.abs(y))) continue;
      if (!bothFinite && !Number.isNaN(x) && !Number.isNaN(y) && overflowPair(x, y)) continue;
      return { what: name, index: i, expected: x, actual: y };
    }
  }
  return null;
}

export { maxFiniteAbs };

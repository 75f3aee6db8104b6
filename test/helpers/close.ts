import { expect } from 'vitest';
import type { Tensor } from '../../src/index.js';

/** Largest |a - b| / max(|b|, floor) over two arrays of the same length. */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>, floor = 1): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (e === a) continue;
    const err = Math.abs(a - e) / Math.max(Math.abs(e), floor);
    if (!(err <= worst)) worst = err;
  }
  return worst;
}

/** Asserts shape and values (relative error against max(|expected|, floor)). */
export function expectTensorClose(
  actual: Tensor,
  expected: { shape: readonly number[]; values: ArrayLike<number> },
  tol = 1e-5,
  floor = 1,
): void {
  expect(actual.shape).toEqual([...expected.shape]);
  const err = maxRelativeError(actual.dataSync(), expected.values, floor);
  expect(err, `max relative error ${err}`).toBeLessThanOrEqual(tol);
}

/**
 * Random op cases for the backend fuzzer, derived from the PyTorch fixtures (test/fixtures/ops):
 * each fixture names an op, its attributes and its inputs' shapes and dtypes, so every op the
 * conformance table can run is fuzzed without a second hand-kept list. A case keeps the fixture's
 * op and attributes and redraws the inputs: every distinct dimension is renamed consistently (so
 * matmul's inner sizes and a binary op's broadcast stay compatible) to sizes including 0, 1 and odd
 * ones, and values mix ordinary numbers with NaN, ±Infinity, -0, ties and huge and tiny magnitudes.
 */

import { generatorFor, type RandomGenerator } from '../../src/tensor/random.js';
import type { FixtureArray, OpCase } from '../../test/conformance/fixtures.js';

export interface FuzzInput {
  shape: number[];
  dtype: 'float32' | 'int32';
  values: number[];
}

export interface FuzzCase {
  /** The fixture case this one was drawn from. */
  template: string;
  op: string;
  attrs: Record<string, unknown>;
  inputs: FuzzInput[];
  /** Upstream gradient for each float output (same draw on every engine). */
  seedForDy: number;
}

const SIZES = [0, 1, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 33];
const SPECIALS = [Number.NaN, Infinity, -Infinity, -0, 0, 1, -1, 0.5, -0.5, 2.5, 1e-40, -1e-40, 1e-30];
/** Magnitudes whose products overflow float32: results then depend on summation order (see compare.ts). */
const HUGE = [1e30, -1e30, 3.4e38, -3.4e38, 1e20];
/** Cases stay small so a minute covers thousands of them. */
const MAX_ELEMENTS = 6000;

function pick<T>(rng: RandomGenerator, items: readonly T[]): T {
  return items[rng.nextInt(items.length)] as T;
}

/** One float value: mostly ordinary, sometimes special, sometimes a small integer (ties for max/argmax/round). */
function floatValue(rng: RandomGenerator, mode: number): number {
  const r = rng.nextFloat();
  if (mode === 0) return rng.nextNormal() * 3;
  if (mode === 1) return r < 0.15 ? pick(rng, SPECIALS) : rng.nextNormal() * 3;
  if (mode === 2) return rng.nextInt(7) - 3;
  if (r < 0.3) return pick(rng, SPECIALS);
  return r < 0.45 ? pick(rng, HUGE) : rng.nextNormal() * 10 ** (rng.nextInt(13) - 6);
}

function intValue(rng: RandomGenerator, like: readonly number[]): number {
  // Indices and labels: mostly in the fixture's range, sometimes just outside it.
  const lo = Math.min(0, ...like);
  const hi = Math.max(1, ...like);
  return lo - 1 + rng.nextInt(hi - lo + 3);
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The fixture's shapes with each distinct dimension (other than 1) renamed to a random size. */
function renamedShapes(rng: RandomGenerator, inputs: readonly FixtureArray[]): number[][] {
  for (let attempt = 0; attempt < 8; attempt++) {
    const rename = new Map<number, number>();
    const shapes = inputs.map((a) =>
      a.shape.map((d) => {
        if (d === 1 && rng.nextFloat() < 0.8) return 1;
        if (!rename.has(d)) rename.set(d, pick(rng, SIZES));
        return rename.get(d) as number;
      }),
    );
    if (shapes.every((s) => sizeOf(s) <= MAX_ELEMENTS)) return shapes;
  }
  return inputs.map((a) => a.shape.slice());
}

/** Case `index` of a run seeded with `seed`: the same pair always gives the same case (replays). */
export function drawCase(templates: readonly OpCase[], seed: number, index: number): FuzzCase {
  const rng = generatorFor(seed * 7919 + index);
  const template = pick(rng, templates);
  const keepShapes = rng.nextFloat() < 0.25;
  const shapes = keepShapes ? template.inputs.map((a) => a.shape.slice()) : renamedShapes(rng, template.inputs);
  const mode = rng.nextInt(4);
  // Sometimes the float inputs become int32 (small integers): the int paths of each op, or the
  // same clear refusal on every engine.
  const intCase = rng.nextFloat() < 0.1;
  const inputs = template.inputs.map((a, i): FuzzInput => {
    const shape = shapes[i] as number[];
    const n = sizeOf(shape);
    if (a.dtype === 'int32') {
      const values = Array.from({ length: n }, (_, j) =>
        keepShapes && rng.nextFloat() < 0.7 ? (a.values[j] as number) : intValue(rng, a.values),
      );
      return { shape, dtype: 'int32', values };
    }
    if (intCase) return { shape, dtype: 'int32', values: Array.from({ length: n }, () => rng.nextInt(9) - 4) };
    return { shape, dtype: 'float32', values: Array.from({ length: n }, () => floatValue(rng, mode)) };
  });
  return { template: template.name, op: template.op, attrs: template.attrs, inputs, seedForDy: rng.nextInt(1 << 30) };
}

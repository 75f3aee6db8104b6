/**
 * Shared pieces of the native kernel tests: every kernel runs on the native backend under each
 * instruction set this CPU supports (forced through setIsa), and on the wasm backend (the same
 * kernels compiled to WebAssembly) under each of its two, and is compared with the TypeScript
 * reference backend on seeded random inputs. Without the addon the native suites are skipped.
 */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { Conv2DInfo } from '../../src/backend/backend.js';
import { JsBackend } from '../../src/backend/js/index.js';
import { loadNativeBackend } from '../../src/backend/native/load.js';
import type { NativeBackend } from '../../src/backend/native/native.js';
import { loadWasmBackend } from '../../src/backend/wasm/load.js';
import { generatorFor, type RandomGenerator } from '../../src/tensor/random.js';
import { maxRelativeError } from '../helpers/close.js';
import { wasmInTestMatrix } from '../helpers/engines.js';
import { wasmOverHost } from '../helpers/wasm-over-host.js';

export const js = new JsBackend();
export const nativeBackend: NativeBackend | null = loadNativeBackend().backend;

/**
 * Runs `body` once per ISA of the native backend (skipped when the addon is missing) and once per
 * ISA of the wasm backend (its kernels in wasm memory, seen through host arrays), each with a fresh
 * seeded RNG.
 */
export function describeEachIsa(
  title: string,
  body: (native: NativeBackend, rng: () => Rng) => void,
  options: { addonOnly?: boolean } = {},
): void {
  const wasm = options.addonOnly || !wasmInTestMatrix() ? null : loadWasmBackend().backend;
  if (wasm) {
    const kernels = wasmOverHost(wasm);
    for (const isa of wasm.info().isas) {
      describe(`${title} [wasm/${isa}]`, () => {
        beforeAll(() => {
          expect(wasm.setIsa(isa)).toBe(true);
        });
        afterAll(() => {
          wasm.setIsa(wasm.info().isas[0] as string);
        });
        body(kernels, () => new Rng(20240611));
      });
    }
  }
  const native = nativeBackend;
  if (!native) {
    describe.skip(`${title} (native addon not built: ${loadNativeBackend().reason})`, () => {});
    return;
  }
  const original = native.info().isa;
  for (const isa of native.info().isas) {
    describe(`${title} [${isa}]`, () => {
      beforeAll(() => {
        expect(native.setIsa(isa)).toBe(true);
      });
      afterAll(() => {
        native.setIsa(original);
      });
      body(native, () => new Rng(20240611));
    });
  }
}

export class Rng {
  private readonly g: RandomGenerator;
  constructor(seed: number) {
    this.g = generatorFor(seed);
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + this.g.nextInt(hi - lo + 1);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.g.nextInt(items.length)] as T;
  }
  bool(): boolean {
    return this.g.nextInt(2) === 1;
  }
  /** Uniform floats in [lo, hi). */
  floats(n: number, lo = -3, hi = 3): Float32Array {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * this.g.nextFloat();
    return a;
  }
  ints(n: number, lo: number, hi: number): Int32Array {
    const a = new Int32Array(n);
    for (let i = 0; i < n; i++) a[i] = this.int(lo, hi);
    return a;
  }
  /** A random shape: rank in [minRank, maxRank], dims from `dims`. */
  shape(minRank: number, maxRank: number, dims: readonly number[] = [1, 2, 3, 5, 7, 17]): number[] {
    const rank = this.int(minRank, maxRank);
    return Array.from({ length: rank }, () => this.pick(dims));
  }
}

/** Sizes that exercise vector bodies and scalar tails: 1, odd, around the SIMD widths, big. */
export const SIZES = [1, 3, 7, 8, 15, 16, 17, 31, 33, 64, 100, 257, 1000, 40_003] as const;

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Asserts |actual - expected| <= tol * max(|expected|, 1) everywhere (NaN matches NaN). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tol = 1e-5): void {
  const err = maxRelativeError(actual, expected, 1);
  expect(err, `${what}: max relative error ${err}`).toBeLessThanOrEqual(tol);
}

/**
 * For sums of products (matmul, convolutions): |actual - expected| <= tol * max(magnitude, 1),
 * where magnitude is the same product computed on absolute values. Float32 accumulation over a
 * long k cannot promise more than that against a float64 reference, and a wrong element still
 * misses by the magnitude itself.
 */
export function expectCloseScaled(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  magnitude: ArrayLike<number>,
  what: string,
  tol = 1e-5,
): void {
  expect(actual.length, what).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs((actual[i] as number) - (expected[i] as number)) / Math.max(Math.abs(magnitude[i] as number), 1);
    if (!(err <= worst)) worst = err;
  }
  expect(worst, `${what}: max error ${worst} relative to the sum of |products|`).toBeLessThanOrEqual(tol);
}

export const abs = (x: Float32Array): Float32Array => x.map(Math.abs);

export function expectEqual(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i] && !(Number.isNaN(actual[i]) && Number.isNaN(expected[i]))) {
      expect(actual[i], `${what} at ${i}`).toBe(expected[i]);
    }
  }
}

/** Output size of a window along one axis ('explicit' padding given). */
function outDim(n: number, k: number, stride: number, dilation: number, before: number, after: number): number {
  const eff = (k - 1) * dilation + 1;
  return Math.floor((n + before + after - eff) / stride) + 1;
}

/** A random convolution/pooling geometry with strides, dilation and asymmetric padding. */
export function randomGeometry(
  rng: Rng,
  opts: { maxHW?: number; maxC?: number; maxF?: number; multiplier?: number } = {},
): Conv2DInfo {
  const { maxHW = 9, maxC = 19, maxF = 19 } = opts;
  for (;;) {
    const kh = rng.int(1, 4);
    const kw = rng.int(1, 4);
    const sh = rng.int(1, 3);
    const sw = rng.int(1, 3);
    const dh = rng.pick([1, 1, 2]);
    const dw = rng.pick([1, 1, 2]);
    const inH = rng.int(1, maxHW);
    const inW = rng.int(1, maxHW);
    const pt = rng.int(0, kh - 1);
    const pb = rng.int(0, kh - 1);
    const pl = rng.int(0, kw - 1);
    const pr = rng.int(0, kw - 1);
    const oh = outDim(inH, kh, sh, dh, pt, pb);
    const ow = outDim(inW, kw, sw, dw, pl, pr);
    if (oh < 1 || ow < 1) continue;
    const inC = rng.int(1, maxC);
    const outC = opts.multiplier ? inC * opts.multiplier : rng.int(1, maxF);
    return {
      batch: rng.int(1, 3),
      inHeight: inH,
      inWidth: inW,
      inChannels: inC,
      outHeight: oh,
      outWidth: ow,
      outChannels: outC,
      filterHeight: kh,
      filterWidth: kw,
      strideHeight: sh,
      strideWidth: sw,
      dilationHeight: dh,
      dilationWidth: dw,
      padTop: pt,
      padLeft: pl,
      padBottom: pb,
      padRight: pr,
    };
  }
}

export function describeGeometry(g: Conv2DInfo): string {
  return `N${g.batch} ${g.inHeight}x${g.inWidth}x${g.inChannels} -> ${g.outHeight}x${g.outWidth}x${g.outChannels} k${g.filterHeight}x${g.filterWidth} s${g.strideHeight},${g.strideWidth} d${g.dilationHeight},${g.dilationWidth} p${g.padTop},${g.padLeft},${g.padBottom},${g.padRight}`;
}

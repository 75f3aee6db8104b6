/**
 * The addon checks every call's shapes and geometry before a kernel runs (native/src/napi_args.h),
 * so a malformed call throws, naming the kernel, instead of reading or writing past an array. The
 * ops never make these calls; they reach the backend directly here, as a bug in an op would.
 */
import { expect, it } from 'vitest';
import type { Conv2DInfo } from '../../src/backend/backend.js';
import { describeEachIsa, js } from '../native/harness.js';
import { addonOf } from '../native/helpers/addon.js';

const f32 = (n: number) => new Float32Array(n).fill(1);

/** 1x4x4x2 input, 3x3 window, stride 1, no padding: a 2x2 output. */
const GEOMETRY: Conv2DInfo = {
  batch: 1,
  inHeight: 4,
  inWidth: 4,
  inChannels: 2,
  outHeight: 2,
  outWidth: 2,
  outChannels: 2,
  filterHeight: 3,
  filterWidth: 3,
  strideHeight: 1,
  strideWidth: 1,
  dilationHeight: 1,
  dilationWidth: 1,
  padTop: 0,
  padLeft: 0,
  padBottom: 0,
  padRight: 0,
};

describeEachIsa('native bindings refuse malformed calls', (native) => {
  it('an op code the kernels do not know, or none: an error naming the kernel and the code', () => {
    const addon = addonOf(native);
    for (const code of [99, -1]) {
      expect(() => addon.unary(f32(4), f32(4), code, 0, 0), `unary ${code}`).toThrow(
        new RegExp(`^unary: unknown op code ${code} \\(expected 0\\.\\.33\\)$`),
      );
      expect(() => addon.binary(f32(1), f32(1), f32(1), code, Int32Array.of(2, 1, 1, 1, 1, 1, 1)), `binary ${code}`).toThrow(
        `binary: unknown op code ${code}`,
      );
      expect(() => addon.reduce(f32(2), f32(1), code, Int32Array.of(1, 2, 1, 0))).toThrow(`reduce: unknown op code ${code}`);
      expect(() => addon.pad(f32(2), f32(4), code, 0, Int32Array.of(1, 2, 1, 1)), `pad ${code}`).toThrow(
        `pad: unknown mode code ${code} (expected 0..2)`,
      );
      expect(() => addon.conv2d(f32(32), f32(36), f32(8), null, code, Int32Array.of())).toThrow(
        `conv2d: unknown activation code ${code} (expected 0..4)`,
      );
    }
    const noCode = undefined as unknown as number;
    expect(() => addon.unary(f32(4), f32(4), noCode, 0, 0)).toThrow(
      'unary: op: expected an op code (0..33), received a non-number',
    );
    const matmulMeta = Int32Array.of(1, 1, 1, 1, 0, 0, 0, 0, 9);
    expect(() => addon.matmul(f32(1), f32(1), f32(1), null, matmulMeta)).toThrow(
      'matmul: unknown activation code 9 (expected 0..4)',
    );
  });

  it("a code in the enum that a kernel's switch has no case for reaches the switch's default, which reports it", () => {
    // unaryGrad shares the unary numbering but differentiates the activations only (linear on).
    const addon = addonOf(native);
    for (const [code, name] of [
      [0, 'neg'],
      [19, 'powScalar'],
    ] as const) {
      expect(() => addon.unaryGrad(f32(4), f32(4), f32(4), f32(4), code, 0)).toThrow(
        `unaryGrad: no kernel for op code ${code} (${name})`,
      );
    }
    expect(() => addon.unaryGrad(f32(4), f32(4), f32(4), f32(4), 20, 0)).not.toThrow();
  });

  it('an array shorter than its shapes, or of the wrong type, named in the error', () => {
    const addon = addonOf(native);
    expect(() => addon.layerNorm(f32(6), null, null, f32(6), f32(2), f32(2), 1e-3, 2, 4)).toThrow(
      'layerNorm: x holds 6 elements, rows * cols need 8',
    );
    expect(() => addon.layerNorm(f32(8), f32(3), null, f32(8), f32(2), f32(2), 1e-3, 2, 4)).toThrow(
      'layerNorm: gamma holds 3 elements, cols need 4',
    );
    expect(() => addon.layerNorm(f32(8), null, null, f32(8), f32(2), f32(2), 1e-3, -2, 4)).toThrow(
      'layerNorm: rows must be >= 0, received -2',
    );
    const ints = new Int32Array(8) as unknown as Float32Array;
    expect(() => addon.layerNormGrad(f32(8), ints, f32(2), f32(2), null, f32(8), f32(4), f32(4), 2, 4)).toThrow(
      'layerNormGrad: dy: expected a Float32Array',
    );
    expect(() => addon.softmax(f32(5), f32(6), 2, 3, false)).toThrow('softmax: x holds 5 elements, rows * cols need 6');
  });

  it('a shape that does not broadcast to the output', () => {
    expect(() => native.binary('add', f32(3), [3], f32(5), [5], f32(5), [5])).toThrow(/binary: bad shapes/);
    expect(() => native.compare('less', f32(6), [2, 3], f32(3), [3], new Int32Array(3), [3])).toThrow(/compare: bad shapes/);
  });

  it('reduction axes out of range, unsorted or repeated', () => {
    for (const axes of [[2], [-1], [1, 0], [0, 0]]) {
      expect(() => native.reduce('sum', f32(6), [2, 3], axes, f32(6)), `axes [${axes}]`).toThrow(/reduce: bad axes/);
    }
  });

  it('a transpose permutation that repeats an axis', () => {
    expect(() => native.transpose(f32(6), [3, 2], [0, 0], f32(6))).toThrow(/transpose: bad permutation/);
  });

  it('concat inputs that differ off the axis, slices with a zero step, negative tile repeats', () => {
    expect(() =>
      native.concat(
        [f32(6), f32(4)],
        [
          [2, 3],
          [1, 4],
        ],
        0,
        f32(10),
      ),
    ).toThrow(/concat: shapes differ off the axis/);
    expect(() => native.slice(f32(6), [6], [0], [3], [0], f32(3))).toThrow(/slice: bad size or step/);
    expect(() => native.sliceAssign(f32(6), [6], f32(3), [3], [0], [0], true)).toThrow(/sliceAssign: bad size or step/);
    expect(() => native.tile(f32(4), [2, 2], [-1, -1], f32(4))).toThrow(/tile: negative size or repeat/);
  });

  it('a window geometry whose output size its input, window and padding do not make', () => {
    const x = f32(32);
    const filter = f32(36);
    for (const bad of [{ outHeight: 3 }, { outWidth: 1 }, { padTop: -1, outHeight: 1 }]) {
      const g = { ...GEOMETRY, ...bad };
      const out = f32(g.batch * g.outHeight * g.outWidth * g.outChannels);
      expect(() => native.conv2d(x, filter, out, g), JSON.stringify(bad)).toThrow(/conv2d: bad geometry/);
      expect(() => native.maxPool2d(x, out, { ...g, outChannels: 2 }), JSON.stringify(bad)).toThrow(/pool2d: bad geometry/);
    }
    expect(() => native.conv2d(x, filter, f32(8), GEOMETRY)).not.toThrow();
  });

  it('stores an int32 pad or oneHot value as JavaScript does, not as a C cast (NaN is 0, 2^32 + 5 is 5)', () => {
    for (const value of [Number.NaN, 2 ** 32 + 5, -2.7, Number.POSITIVE_INFINITY]) {
      for (const b of [js, native]) {
        const padded = new Int32Array(4);
        b.pad(Int32Array.of(7, 8), [2], [[1, 1]], 'constant', value, padded);
        const hot = new Int32Array(4);
        b.oneHot(Int32Array.of(0, 1), 2, value, value, hot);
        const want = value | 0;
        expect(Array.from(padded), `${b.name} pad ${value}`).toEqual([want, 7, 8, want]);
        expect(Array.from(hot), `${b.name} oneHot ${value}`).toEqual([want, want, want, want]);
      }
    }
  });
});

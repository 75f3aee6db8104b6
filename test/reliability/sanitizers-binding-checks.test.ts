/**
 * The addon checks every call's shapes and geometry before a kernel runs (native/src/napi_args.h),
 * so a malformed call throws, naming the kernel, instead of reading or writing past an array. The
 * ops never make these calls; they reach the backend directly here, as a bug in an op would.
 */
import { expect, it } from 'vitest';
import type { Conv2DInfo } from '../../src/backend/backend.js';
import type { NativeAddon } from '../../src/backend/native/addon.js';
import type { NativeBackend } from '../../src/backend/native/native.js';
import { describeEachIsa, js } from '../native/harness.js';

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

/** The addon under the backend: op codes are only malformed below the backend's typed names. */
const addonOf = (native: NativeBackend) => (native as unknown as { addon: NativeAddon }).addon;

describeEachIsa('native bindings refuse malformed calls', (native) => {
  it('an op code the kernels do not know, or none', () => {
    const addon = addonOf(native);
    for (const code of [99, -1, undefined as unknown as number]) {
      expect(() => addon.unary(f32(4), f32(4), code, 0, 0), `unary ${code}`).toThrow(/unary: bad arrays or op/);
      expect(() => addon.pad(f32(2), f32(4), code, 0, Int32Array.of(1, 2, 1, 1)), `pad ${code}`).toThrow(
        /pad: bad arrays or mode/,
      );
    }
    // unaryGrad takes activations only (the codes from linear on).
    expect(() => addon.unaryGrad(f32(4), f32(4), f32(4), f32(4), 0, 0)).toThrow(/unaryGrad: bad arrays or activation/);
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

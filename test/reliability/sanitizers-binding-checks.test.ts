/**
 * The addon checks every call's shapes and geometry before a kernel runs (native/src/napi_args.h),
 * so a malformed call throws, naming the kernel, instead of reading or writing past an array. The
 * ops never make these calls; they reach the backend directly here, as a bug in an op would.
 */
import { expect, it } from 'vitest';
import type { Conv2DInfo } from '../../src/backend/backend.js';
import { describeEachIsa } from '../native/harness.js';

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
});

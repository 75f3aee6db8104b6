/**
 * The webgpu primitives against the js backend's kernels, called directly on odd sizes the op
 * suite does not reach: tiles that do not divide the matrix, transposed and broadcast batches,
 * reductions long enough for the workgroup variant and over non-adjacent axes, integer division
 * of negative numbers, colliding scatter indices, mirrored padding, strided slice writes, more
 * elements than one dimension of workgroups holds, and in-place unary. Outputs are allocated
 * dirty on purpose (NaN), so a kernel that leaves part of its output unwritten fails.
 */
import { describe, it } from 'vitest';
import type { MatmulArgs } from '../../src/backend/backend.js';
import { startWebGpu } from '../helpers/webgpu.js';
import { conv, expectAgree, ints, random } from '../helpers/webgpu-agree.js';

const unavailable = await startWebGpu();

describe.skipIf(unavailable !== null)('webgpu kernels against the js backend', () => {
  it('matmul: tiles that do not divide, transposes, a broadcast batch, bias and activation', async () => {
    const [b, m, n, k] = [3, 70, 130, 93];
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const args: MatmulArgs = {
        batch: b,
        m,
        n,
        k,
        transposeA: ta,
        transposeB: tb,
        aBatchStride: m * k,
        bBatchStride: 0,
      };
      await expectAgree([random(b * m * k, 1), random(k * n, 2), { out: 'float32', size: b * m * n }], (be, [x, y, o]) =>
        be.matmul(x!, y!, o!, args),
      );
    }
    await expectAgree(
      [random(m * k, 3), random(k * n, 4), random(n, 5), { out: 'float32', size: m * n }],
      (be, [x, y, bias, o]) =>
        be.matmul(x!, y!, o!, {
          batch: 1,
          m,
          n,
          k,
          transposeA: false,
          transposeB: false,
          aBatchStride: 0,
          bBatchStride: 0,
          bias: bias!,
          activation: 'relu6',
        }),
    );
  });

  it('conv2d: strides, dilation, asymmetric padding, bias and activation', async () => {
    for (const info of [
      conv({}),
      conv({ strideHeight: 2, strideWidth: 3, outHeight: 5, outWidth: 3, padTop: 0, padLeft: 1, padBottom: 1, padRight: 1 }),
      conv({ dilationHeight: 2, dilationWidth: 2, outHeight: 5, outWidth: 3, padTop: 0, padLeft: 0, padBottom: 0, padRight: 0 }),
    ]) {
      const xs = info.batch * info.inHeight * info.inWidth * info.inChannels;
      const fs = info.filterHeight * info.filterWidth * info.inChannels * info.outChannels;
      const os = info.batch * info.outHeight * info.outWidth * info.outChannels;
      await expectAgree(
        [random(xs, 6), random(fs, 7), random(info.outChannels, 8), { out: 'float32', size: os }],
        (be, [x, f, bias, o]) => be.conv2d(x!, f!, o!, info, bias!, 'sigmoid'),
      );
    }
  });

  it('max and average pooling with dilation, padding and windows outside the input', async () => {
    const info = conv({
      inChannels: 4,
      outChannels: 4,
      strideHeight: 2,
      strideWidth: 2,
      outHeight: 5,
      outWidth: 4,
      dilationHeight: 2,
    });
    const x = random(2 * 9 * 7 * 4, 9);
    x[5] = Number.NaN;
    const os = 2 * 5 * 4 * 4;
    await expectAgree([x, { out: 'float32', size: os }], (be, [a, o]) => be.maxPool2d(a!, o!, info));
    await expectAgree([x, { out: 'float32', size: os }], (be, [a, o]) => be.avgPool2d(a!, o!, info));
  });

  it('reduce: every op, non-adjacent axes, rows long enough for the workgroup variant', async () => {
    const shape = [3, 70, 4, 5];
    const x = random(3 * 70 * 4 * 5, 10, 1.2);
    for (const op of ['sum', 'mean', 'max', 'min', 'prod'] as const) {
      for (const axes of [[1], [0, 2], [1, 3], [0, 1, 2, 3]]) {
        const size = shape.filter((_, d) => !axes.includes(d)).reduce((a, b) => a * b, 1);
        await expectAgree(
          [x, { out: 'float32', size }],
          (be, [a, o]) => be.reduce(op, a!, shape, axes, o!),
          [],
          op === 'prod' ? 1e-3 : 1e-4,
        );
      }
    }
    const counts = ints(1000, 11, -50, 50);
    await expectAgree([counts, { out: 'int32', size: 10 }], (be, [a, o]) => be.reduce('sum', a!, [10, 100], [1], o!));
  });

  it('argmax and argmin take the first of ties', async () => {
    const x = Float32Array.from(ints(6 * 9 * 5, 12, 0, 3));
    await expectAgree([x, { out: 'int32', size: 30 }], (be, [a, o]) => be.argReduce('argmax', a!, [6, 9, 5], 1, o!));
    await expectAgree([x, { out: 'int32', size: 54 }], (be, [a, o]) => be.argReduce('argmin', a!, [6, 9, 5], 2, o!));
  });

  it('int32 arithmetic: floor division and modulo of negative numbers, maximum, broadcasting', async () => {
    const a = ints(24, 13, -20, 20);
    const b = ints(4, 14, 1, 7).map((v, i) => (i % 2 ? -v : v));
    for (const op of ['add', 'sub', 'mul', 'div', 'floorDiv', 'mod', 'maximum', 'minimum'] as const) {
      await expectAgree([a, b, { out: 'int32', size: 24 }], (be, [x, y, o]) =>
        be.binary(op, x!, [2, 3, 4], y!, [4], o!, [2, 3, 4]),
      );
    }
    await expectAgree([a, b, { out: 'int32', size: 24 }], (be, [x, y, o]) =>
      be.compare('lessEqual', x!, [2, 3, 4], y!, [4], o!, [2, 3, 4]),
    );
  });

  it('float binary ops with NaN, select with three broadcasts, cast of NaN and negatives to int32', async () => {
    const a = random(30, 15, 6);
    a[3] = Number.NaN;
    const b = random(5, 16, 6);
    for (const op of ['maximum', 'minimum', 'mod', 'floorDiv', 'atan2', 'pow'] as const) {
      await expectAgree([a, b, { out: 'float32', size: 30 }], (be, x) => be.binary(op, x[0]!, [6, 5], x[1]!, [5], x[2]!, [6, 5]));
    }
    const cond = ints(6, 17, 0, 2);
    await expectAgree([cond, a, b, { out: 'float32', size: 30 }], (be, [c, x, y, o]) =>
      be.select(c!, [6, 1], x!, [6, 5], y!, [1, 5], o!, [6, 5]),
    );
    await expectAgree([a, { out: 'int32', size: 30 }], (be, [x, o]) => be.cast(x!, o!));
  });

  it('unary in place, and more elements than one row of workgroups holds', async () => {
    const big = random(65535 * 64 + 1000, 18);
    await expectAgree([big], (be, [x]) => be.unary('softplus', x!, x!, 0, 0), [0]);
    await expectAgree([random(100, 19, 20), { out: 'float32', size: 100 }], (be, [x, o]) => be.unary('expm1', x!, o!, 0, 0));
    await expectAgree([random(100, 20, 0.01), { out: 'float32', size: 100 }], (be, [x, o]) => be.unary('log1p', x!, o!, 0, 0));
  });

  it('transpose, strided slice, sliceAssign (set and accumulate), reflect and symmetric padding', async () => {
    const x = random(2 * 3 * 4 * 5, 21);
    await expectAgree([x, { out: 'float32', size: 120 }], (be, [a, o]) => be.transpose(a!, [2, 3, 4, 5], [3, 1, 0, 2], o!));
    await expectAgree([x, { out: 'float32', size: 2 * 2 * 2 * 2 }], (be, [a, o]) =>
      be.slice(a!, [2, 3, 4, 5], [0, 1, 1, 0], [2, 2, 2, 2], [1, 1, 2, 3], o!),
    );
    for (const accumulate of [false, true]) {
      await expectAgree(
        [random(9 * 8, 22), random(3 * 3, 23)],
        (be, [dst, src]) => be.sliceAssign(dst!, [9, 8], src!, [3, 3], [1, 2], [3, 2], accumulate),
        [0],
      );
    }
    for (const mode of ['constant', 'reflect', 'symmetric'] as const) {
      await expectAgree([x, { out: 'float32', size: 4 * 7 * 4 * 9 }], (be, [a, o]) =>
        be.pad(
          a!,
          [2, 3, 4, 5],
          [
            [1, 1],
            [2, 2],
            [0, 0],
            [3, 1],
          ],
          mode,
          2.5,
          o!,
        ),
      );
    }
  });

  it('gather, and scatterAdd with colliding indices (float and int)', async () => {
    const idx = Int32Array.from([4, 0, 4, 2, 4, 1, 0]);
    await expectAgree([random(3 * 5 * 6, 24), idx, { out: 'float32', size: 3 * 7 * 6 }], (be, [x, i, o]) =>
      be.gather(x!, [3, 5, 6], i!, 1, o!),
    );
    await expectAgree([random(3 * 7 * 6, 25), idx, { out: 'float32', size: 3 * 5 * 6, zeroed: true }], (be, [u, i, o]) =>
      be.scatterAdd(u!, i!, 1, o!, [3, 5, 6]),
    );
    await expectAgree([ints(7 * 2, 26, -9, 9), idx, { out: 'int32', size: 5 * 2, zeroed: true }], (be, [u, i, o]) =>
      be.scatterAdd(u!, i!, 0, o!, [5, 2]),
    );
  });

  it('fused softmax, logSoftmax, sgd and adam (AMSGrad) against the js kernels', async () => {
    const x = random(7 * 300, 27, 30);
    await expectAgree([x, { out: 'float32', size: 2100 }], (be, [a, o]) => be.softmax(a!, 7, 300, o!));
    await expectAgree([x, { out: 'float32', size: 2100 }], (be, [a, o]) => be.logSoftmax(a!, 300, 7, o!));
    const [p, g, m, v, vm] = [28, 29, 30, 31, 32].map((s) => random(333, s)).map((a, i) => (i >= 3 ? a.map(Math.abs) : a));
    await expectAgree(
      [p!, g!, m!, v!, vm!],
      (be, [pp, gg, mm, vv, vmax]) => be.adamUpdate(pp!, gg!, mm!, vv!, vmax!, 0.01, 0.9, 0.999, 1e-7),
      [0, 2, 3, 4],
    );
    await expectAgree([p!, g!, m!], (be, [pp, gg, vel]) => be.sgdUpdate(pp!, gg!, vel!, 0.1, 0.9, true), [0, 2]);
  });
});

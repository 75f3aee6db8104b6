/**
 * The webgpu kernels that replace BaseBackend's composites in training, against the js kernels:
 * convolution gradients (strides, dilation, asymmetric padding; a filter gradient long enough to
 * be split into several K chunks and wide enough for several output tiles), depthwise convolution
 * with a channel multiplier, pooling gradients with overlapping windows, ties and NaN, and batch
 * norm with and without gamma and beta. Outputs start dirty (NaN): every element must be written.
 */
import { describe, it } from 'vitest';
import type { Conv2DInfo } from '../../src/backend/backend.js';
import { filterGradChunks } from '../../src/backend/webgpu/conv-grad.js';
import { startWebGpu } from '../helpers/webgpu.js';
import { conv, expectAgree, random } from '../helpers/webgpu-agree.js';

const unavailable = await startWebGpu();

const geometries: Conv2DInfo[] = [
  conv({}),
  conv({ strideHeight: 2, strideWidth: 3, outHeight: 5, outWidth: 3, padTop: 0, padLeft: 1, padBottom: 1, padRight: 1 }),
  conv({ dilationHeight: 2, dilationWidth: 2, outHeight: 5, outWidth: 3, padTop: 0, padLeft: 0, padBottom: 0, padRight: 0 }),
];

function sizes(info: Conv2DInfo, filterChannels = info.inChannels * info.outChannels) {
  return {
    x: info.batch * info.inHeight * info.inWidth * info.inChannels,
    filter: info.filterHeight * info.filterWidth * filterChannels,
    y: info.batch * info.outHeight * info.outWidth * info.outChannels,
  };
}

describe.skipIf(unavailable !== null)('webgpu training kernels against the js backend', () => {
  it('conv2d input and filter gradients: strides, dilation, asymmetric padding', async () => {
    for (const info of geometries) {
      const n = sizes(info);
      await expectAgree([random(n.y, 1), random(n.filter, 2), { out: 'float32', size: n.x }], (be, [dy, f, dx]) =>
        be.conv2dBackpropInput(dy!, f!, dx!, info),
      );
      await expectAgree([random(n.x, 3), random(n.y, 4), { out: 'float32', size: n.filter }], (be, [x, dy, df]) =>
        be.conv2dBackpropFilter(x!, dy!, df!, info),
      );
    }
  });

  it('conv2d filter gradient split into K chunks, over several output tiles', async () => {
    const info = conv({
      batch: 5,
      inHeight: 30,
      inWidth: 29,
      outHeight: 15,
      outWidth: 15,
      inChannels: 9,
      outChannels: 70,
      strideHeight: 2,
      strideWidth: 2,
      padTop: 1,
      padLeft: 1,
      padBottom: 1,
      padRight: 1,
    });
    const pixels = info.batch * info.outHeight * info.outWidth;
    const chunks = filterGradChunks(pixels);
    if (chunks.count < 3 || chunks.count * chunks.length === pixels)
      throw new Error('the case must have several chunks, the last one partial');
    const n = sizes(info);
    await expectAgree([random(n.x, 5), random(n.y, 6), { out: 'float32', size: n.filter }], (be, [x, dy, df]) =>
      be.conv2dBackpropFilter(x!, dy!, df!, info),
    );
  });

  it('depthwise conv2d forward and gradients with a channel multiplier', async () => {
    for (const base of geometries) {
      const info = { ...base, inChannels: 3, outChannels: 6 };
      const n = sizes(info, 6);
      await expectAgree([random(n.x, 7), random(n.filter, 8), { out: 'float32', size: n.y }], (be, [x, f, o]) =>
        be.depthwiseConv2d(x!, f!, o!, info),
      );
      await expectAgree([random(n.y, 9), random(n.filter, 10), { out: 'float32', size: n.x }], (be, [dy, f, dx]) =>
        be.depthwiseConv2dBackpropInput(dy!, f!, dx!, info),
      );
      await expectAgree([random(n.x, 11), random(n.y, 12), { out: 'float32', size: n.filter }], (be, [x, dy, df]) =>
        be.depthwiseConv2dBackpropFilter(x!, dy!, df!, info),
      );
    }
  });

  it('max and average pooling gradients: overlapping and disjoint windows, ties, NaN, dilation and padding', async () => {
    const overlapping = conv({
      inChannels: 4,
      outChannels: 4,
      strideHeight: 2,
      strideWidth: 2,
      outHeight: 5,
      outWidth: 4,
    });
    const dilated = conv({ ...overlapping, dilationHeight: 2, padTop: 2, padBottom: 2 });
    // disjoint windows take the scatter kernel: 2x2/2 with a padded edge, and dilated 2x2/3 leaving gaps
    const disjoint = conv({
      ...overlapping,
      filterHeight: 2,
      filterWidth: 2,
      padTop: 0,
      padLeft: 0,
      padBottom: 1,
      padRight: 1,
    });
    const gaps = conv({
      ...disjoint,
      dilationHeight: 2,
      dilationWidth: 2,
      strideHeight: 3,
      strideWidth: 3,
      outHeight: 3,
      outWidth: 2,
      padBottom: 0,
      padRight: 0,
    });
    for (const info of [overlapping, dilated, disjoint, gaps]) {
      const n = sizes(info);
      // values from a few levels, so windows hold ties; one NaN
      const x = random(n.x, 13).map((v) => Math.round(v * 2));
      x[17] = Number.NaN;
      await expectAgree([x, random(n.y, 14), { out: 'float32', size: n.x }], (be, [a, dy, dx]) =>
        be.maxPool2dGrad(a!, dy!, dx!, info),
      );
      await expectAgree([random(n.y, 15), { out: 'float32', size: n.x }], (be, [dy, dx]) => be.avgPool2dGrad(dy!, dx!, info));
    }
  });

  it('batch norm inference, training and gradient, with and without gamma and beta', async () => {
    const [rows, channels] = [300, 7];
    const x = random(rows * channels, 16, 6).map((v, i) => v + (i % channels) * 10);
    const dy = random(rows * channels, 17);
    const mean = random(channels, 18);
    const variance = random(channels, 19).map((v) => Math.abs(v) + 0.1);
    const gamma = random(channels, 20);
    const beta = random(channels, 21);
    const out = { out: 'float32', size: rows * channels } as const;
    const stat = { out: 'float32', size: channels } as const;
    for (const affine of [true, false]) {
      await expectAgree([x, mean, variance, gamma, beta, out], (be, [a, m, v, g, b, o]) =>
        be.batchNormInference(a!, m!, v!, affine ? g! : null, affine ? b! : null, 1e-3, channels, o!),
      );
      await expectAgree([x, gamma, beta, out, stat, stat], (be, [a, g, b, o, m, v]) =>
        be.batchNormTraining(a!, affine ? g! : null, affine ? b! : null, 1e-3, channels, o!, m!, v!),
      );
      await expectAgree([x, dy, mean, variance, gamma, out, stat, stat], (be, [a, d, m, v, g, dx, dg, db]) =>
        be.batchNormGrad(a!, d!, m!, v!, affine ? g! : null, 1e-3, channels, dx!, dg!, db!),
      );
    }
  });
});

/**
 * Parity with @tensorflow/tfjs-layers (the incumbent Keras port): for each layer type, the same
 * weights and input give the same output within 1e-5, in inference and (where they differ)
 * training mode. Where tfjs departs from Keras 3 the layer is checked against Keras's formula.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { describeEachBackend } from '../helpers/backends.js';
import { expectTensorClose } from '../helpers/close.js';

const L = capa.layers;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const toTf = (t: capa.Tensor): tf.Tensor => tf.tensor(Array.from(t.dataSync()), t.shape);

/** Builds both layers on the inputs, copies capa's weights into tfjs, returns both outputs. */
function compare(ours: capa.Layer, theirs: tfl.layers.Layer, shapes: number[][], training = false, tol = 1e-5): void {
  const xs = shapes.map((s, i) => capa.randomNormal(s, { seed: 11 + i }));
  const list = shapes.length > 1;
  const call = (x: capa.Tensor[]): capa.Tensor =>
    list ? ours.apply(x, { training }) : ours.apply(x[0] as capa.Tensor, { training });
  call(xs);
  // Non-trivial weights (e.g. BatchNormalization's statistics) so every weight matters.
  ours.setWeights(
    ours.weights.map((w, i) => capa.ops.add(capa.randomUniform(w.shape, { minval: 0.5, maxval: 1.5, seed: 200 + i }), 0)),
  );
  const tfXs = xs.map(toTf);
  theirs.apply(list ? tfXs : (tfXs[0] as tf.Tensor));
  theirs.setWeights(ours.getWeights().map(toTf));
  const expected = theirs.apply(list ? tfXs : (tfXs[0] as tf.Tensor), { training }) as tf.Tensor;
  const actual = call(xs);
  expectTensorClose(actual, { shape: expected.shape, values: expected.dataSync() }, tol);
}

describeEachBackend('parity with tfjs-layers', () => {
  it('Dense (every fused and unfused activation tfjs shares with Keras 3)', () => {
    for (const activation of [
      'linear',
      'relu',
      'relu6',
      'sigmoid',
      'tanh',
      'softmax',
      'elu',
      'selu',
      'softplus',
      'softsign',
      'swish',
      'gelu',
    ] as const) {
      compare(new L.Dense(5, { activation }), tfl.layers.dense({ units: 5, activation }), [[3, 4]]);
    }
    compare(new L.Dense(4, { useBias: false }), tfl.layers.dense({ units: 4, useBias: false }), [[2, 3, 6]]);
  });

  it('Conv2D: padding, strides, dilation, activation', () => {
    compare(new L.Conv2D(4, 3), tfl.layers.conv2d({ filters: 4, kernelSize: 3 }), [[2, 7, 8, 3]]);
    compare(
      new L.Conv2D(5, [3, 2], { strides: 2, padding: 'same', activation: 'relu' }),
      tfl.layers.conv2d({ filters: 5, kernelSize: [3, 2], strides: 2, padding: 'same', activation: 'relu' }),
      [[2, 9, 8, 3]],
    );
    compare(
      new L.Conv2D(2, 3, { dilationRate: 2, padding: 'same', activation: 'sigmoid' }),
      tfl.layers.conv2d({ filters: 2, kernelSize: 3, dilationRate: 2, padding: 'same', activation: 'sigmoid' }),
      [[1, 9, 9, 2]],
    );
  });

  it('Conv1D (valid, same, causal)', () => {
    compare(new L.Conv1D(3, 3), tfl.layers.conv1d({ filters: 3, kernelSize: 3 }), [[2, 9, 4]]);
    compare(
      new L.Conv1D(3, 2, { strides: 2, padding: 'same' }),
      tfl.layers.conv1d({ filters: 3, kernelSize: 2, strides: 2, padding: 'same' }),
      [[2, 9, 4]],
    );
    // tfjs has no 'causal' padding: compare with its 'valid' conv on the input left-padded by
    // (kernel - 1) * dilation steps, which is Keras's definition.
    const causal = new L.Conv1D(3, 3, { padding: 'causal', dilationRate: 2 });
    const x = capa.randomNormal([2, 9, 4], { seed: 3 });
    const y = causal.apply(x);
    const valid = tfl.layers.conv1d({ filters: 3, kernelSize: 3, dilationRate: 2 });
    const padded = tf.pad(toTf(x), [
      [0, 0],
      [4, 0],
      [0, 0],
    ]);
    valid.apply(padded);
    valid.setWeights(causal.getWeights().map(toTf));
    const expected = valid.apply(padded) as tf.Tensor;
    expectTensorClose(y, { shape: expected.shape, values: expected.dataSync() });
  });

  it('DepthwiseConv2D and SeparableConv2D', () => {
    compare(
      new L.DepthwiseConv2D(3, { depthMultiplier: 2, strides: 2, padding: 'same' }),
      tfl.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same' }),
      [[2, 7, 7, 3]],
    );
    compare(
      new L.SeparableConv2D(4, 3, { depthMultiplier: 2, activation: 'relu' }),
      tfl.layers.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2, activation: 'relu' }),
      [[2, 7, 6, 3]],
    );
  });

  it('pooling, global pooling, flatten, reshape, permute, padding', () => {
    compare(new L.MaxPooling2D(2), tfl.layers.maxPooling2d({ poolSize: 2 }), [[2, 7, 6, 3]]);
    compare(
      new L.MaxPooling2D(3, { strides: 2, padding: 'same' }),
      tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
      [[2, 7, 6, 3]],
    );
    compare(
      new L.AveragePooling2D(3, { strides: 2, padding: 'same' }),
      tfl.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
      [[2, 7, 6, 3]],
    );
    compare(new L.MaxPooling1D(2), tfl.layers.maxPooling1d({ poolSize: 2 }), [[2, 7, 3]]);
    compare(
      new L.AveragePooling1D(3, { strides: 2, padding: 'same' }),
      tfl.layers.averagePooling1d({ poolSize: 3, strides: 2, padding: 'same' }),
      [[2, 7, 3]],
    );
    compare(new L.GlobalAveragePooling2D(), tfl.layers.globalAveragePooling2d({}), [[2, 4, 5, 3]]);
    compare(new L.GlobalMaxPooling2D(), tfl.layers.globalMaxPooling2d({}), [[2, 4, 5, 3]]);
    compare(new L.GlobalAveragePooling1D(), tfl.layers.globalAveragePooling1d({}), [[2, 4, 3]]);
    compare(new L.GlobalMaxPooling1D(), tfl.layers.globalMaxPooling1d({}), [[2, 4, 3]]);
    compare(new L.Flatten(), tfl.layers.flatten(), [[2, 3, 4, 2]]);
    compare(new L.Reshape([4, -1]), tfl.layers.reshape({ targetShape: [4, -1] }), [[2, 3, 4]]);
    compare(new L.Permute([3, 1, 2]), tfl.layers.permute({ dims: [3, 1, 2] }), [[2, 3, 4, 5]]);
    compare(
      new L.ZeroPadding2D([
        [1, 0],
        [2, 3],
      ]),
      tfl.layers.zeroPadding2d({
        padding: [
          [1, 0],
          [2, 3],
        ],
      }),
      [[2, 3, 3, 2]],
    );
  });

  it('merge layers', () => {
    compare(new L.Add(), tfl.layers.add(), [
      [2, 3],
      [2, 3],
      [2, 3],
    ]);
    compare(new L.Multiply(), tfl.layers.multiply(), [
      [2, 4],
      [2, 4],
    ]);
    compare(new L.Average(), tfl.layers.average(), [
      [2, 4],
      [2, 4],
    ]);
    compare(new L.Maximum(), tfl.layers.maximum(), [
      [2, 4],
      [2, 4],
    ]);
    compare(new L.Minimum(), tfl.layers.minimum(), [
      [2, 4],
      [2, 4],
    ]);
    compare(new L.Concatenate({ axis: 1 }), tfl.layers.concatenate({ axis: 1 }), [
      [2, 3, 2],
      [2, 1, 2],
    ]);
    compare(new L.Concatenate(), tfl.layers.concatenate(), [
      [2, 3, 2],
      [2, 3, 5],
    ]);
  });

  it('activation layers', () => {
    for (const activation of [
      'relu',
      'tanh',
      'softmax',
      'elu',
      'selu',
      'softplus',
      'softsign',
      'linear',
      'relu6',
      'sigmoid',
      'swish',
      'mish',
      'gelu',
    ] as const) {
      compare(new L.Activation(activation), tfl.layers.activation({ activation }), [[3, 5]]);
    }
    compare(new L.ReLU({ maxValue: 0.7 }), tfl.layers.reLU({ maxValue: 0.7 }), [[3, 5]]);
    compare(new L.LeakyReLU({ negativeSlope: 0.3 }), tfl.layers.leakyReLU({ alpha: 0.3 }), [[3, 5]]);
    compare(new L.ELU(), tfl.layers.elu({}), [[3, 5]]);
    compare(new L.Softmax(), tfl.layers.softmax({ axis: 2 }), [[2, 3, 4]]);
    // tfjs only does the last axis; axis 1 equals softmax of the transposed input.
    const x = capa.randomNormal([2, 3, 4], { seed: 9 });
    const viaLast = capa.ops.transpose(new L.Softmax().apply(capa.ops.transpose(x, [0, 2, 1])), [0, 2, 1]);
    expectTensorClose(new L.Softmax({ axis: 1 }).apply(x), { shape: [2, 3, 4], values: viaLast.dataSync() });
  });

  it('BatchNormalization in inference and in training (output and moving statistics)', () => {
    compare(new L.BatchNormalization(), tfl.layers.batchNormalization({}), [[6, 4]]);
    compare(new L.BatchNormalization({ epsilon: 1.001e-5 }), tfl.layers.batchNormalization({ epsilon: 1.001e-5 }), [
      [2, 3, 3, 4],
    ]);
    // Training mode: batch statistics for the output, then the same moving-average update.
    const ours = new L.BatchNormalization({ momentum: 0.9 });
    const theirs = tfl.layers.batchNormalization({ momentum: 0.9 });
    compare(ours, theirs, [[8, 3]], true);
    const theirWeights = theirs.getWeights();
    ours.getWeights().forEach((w, i) => {
      const t = theirWeights[i] as tf.Tensor;
      expectTensorClose(w, { shape: t.shape, values: t.dataSync() });
    });
  });

  it('Dropout, SpatialDropout2D, GaussianNoise are the identity at inference', () => {
    compare(new L.Dropout(0.4), tfl.layers.dropout({ rate: 0.4 }), [[3, 5]]);
    compare(new L.GaussianNoise(0.3), tfl.layers.gaussianNoise({ stddev: 0.3 }), [[3, 5]]);
    const x = capa.randomNormal([2, 3, 3, 4], { seed: 1 });
    expect(Array.from(new L.SpatialDropout2D(0.5).apply(x).dataSync())).toEqual(Array.from(x.dataSync()));
  });
});

describe('where tfjs-layers differs from Keras 3, Keras 3 formulas', () => {
  it('Subtract (tfjs-layers has none) is a - b', () => {
    const a = capa.randomNormal([2, 3], { seed: 1 });
    const b = capa.randomNormal([2, 3], { seed: 2 });
    const y = new L.Subtract().apply([a, b]).dataSync();
    Array.from(a.dataSync()).forEach((v, i) => {
      expect(y[i]).toBe(Math.fround(v - (b.dataSync()[i] as number)));
    });
  });

  it('hard_sigmoid is relu6(x + 3) / 6 (tfjs and Keras 2 use clip(0.2x + 0.5))', () => {
    const x = capa.tensor([-4, -3, -1, 0, 1, 2.5, 3, 5], [1, 8]);
    const y = new L.Activation('hard_sigmoid').apply(x).dataSync();
    const expected = [-4, -3, -1, 0, 1, 2.5, 3, 5].map((v) => Math.min(Math.max(v + 3, 0), 6) / 6);
    expectTensorClose(capa.tensor(Array.from(y), [1, 8]), { shape: [1, 8], values: expected });
  });

  it('LeakyReLU defaults to a slope of 0.3 (Keras 3) and Keras 3 relu(threshold, max, slope)', () => {
    const x = capa.tensor([-2, -0.5, 0, 0.1, 0.3, 1, 4], [1, 7]);
    expect(Array.from(new L.LeakyReLU().apply(x).dataSync())).toEqual(
      [-2, -0.5, 0, 0.1, 0.3, 1, 4].map((v) => Math.fround(v < 0 ? 0.3 * v : v)),
    );
    const relu = new L.ReLU({ maxValue: 1.5, threshold: 0.2, negativeSlope: 0.1 });
    const keras = (v: number): number => (v > 0.2 ? Math.min(v, 1.5) : 0) - 0.1 * Math.max(0.2 - v, 0);
    const got = relu.apply(x).dataSync();
    [-2, -0.5, 0, 0.1, 0.3, 1, 4].forEach((v, i) => {
      expect(got[i]).toBeCloseTo(keras(v), 6);
    });
  });

  it('ELU with alpha != 1 (tfjs only supports alpha = 1)', () => {
    const x = capa.tensor([-3, -1, -0.2, 0, 0.5, 2], [1, 6]);
    const got = new L.ELU({ alpha: 0.7 }).apply(x).dataSync();
    [-3, -1, -0.2, 0, 0.5, 2].forEach((v, i) => {
      expect(got[i]).toBeCloseTo(v > 0 ? v : 0.7 * Math.expm1(v), 6);
    });
  });

  it('BatchNormalization over a non-last axis follows the formula (tfjs-layers 4.22 normalizes the wrong channels there)', () => {
    const layer = new L.BatchNormalization({ axis: 1 });
    const x = capa.randomNormal([3, 4, 5], { seed: 1 });
    layer.apply(x);
    layer.setWeights(layer.weights.map((w, i) => capa.randomUniform(w.shape, { minval: 0.5, maxval: 1.5, seed: 200 + i })));
    const [g, b, m, v] = layer.getWeights().map((w) => w.dataSync());
    const expected = Array.from(x.dataSync()).map((val, i) => {
      const c = Math.floor(i / 5) % 4;
      return ((val - (m?.[c] as number)) / Math.sqrt((v?.[c] as number) + 1e-3)) * (g?.[c] as number) + (b?.[c] as number);
    });
    expectTensorClose(layer.apply(x), { shape: [3, 4, 5], values: expected });
  });

  it('Dropout in training zeroes about `rate` of the inputs and scales the rest by 1 / (1 - rate)', () => {
    const x = capa.ones([200, 50]);
    const y = new L.Dropout(0.3, { seed: 5 }).apply(x, { training: true }).dataSync();
    const zeros = Array.from(y).filter((v) => v === 0).length / y.length;
    expect(zeros).toBeGreaterThan(0.27);
    expect(zeros).toBeLessThan(0.33);
    for (const v of y) if (v !== 0) expect(v).toBeCloseTo(1 / 0.7, 6);
    const spatial = new L.SpatialDropout2D(0.5, { seed: 2 })
      .apply(capa.ones([4, 3, 3, 8]), { training: true })
      .arraySync() as number[][][][];
    // One decision per (sample, channel): the whole 3x3 map is kept or dropped.
    for (const sample of spatial) {
      for (let c = 0; c < 8; c++) {
        const values = new Set(sample.flatMap((row) => row.map((cell) => cell[c])));
        expect(values.size).toBe(1);
      }
    }
  });

  it('Conv2DTranspose, UpSampling2D, Cropping2D, RepeatVector, Dot, LayerNormalization', () => {
    compare(new L.Conv2DTranspose(4, 3), tfl.layers.conv2dTranspose({ filters: 4, kernelSize: 3 }), [[2, 5, 6, 3]]);
    compare(
      new L.Conv2DTranspose(3, [3, 2], { strides: 2, padding: 'same', activation: 'relu' }),
      tfl.layers.conv2dTranspose({ filters: 3, kernelSize: [3, 2], strides: 2, padding: 'same', activation: 'relu' }),
      [[2, 5, 4, 2]],
    );
    compare(
      new L.Conv2DTranspose(2, 4, { strides: [2, 3], padding: 'valid' }),
      tfl.layers.conv2dTranspose({ filters: 2, kernelSize: 4, strides: [2, 3], padding: 'valid' }),
      [[1, 3, 5, 3]],
    );
    // tfjs's bilinear UpSampling2D samples without half-pixel centres (unlike Keras 3): bilinear is checked against PyTorch.
    compare(new L.UpSampling2D([2, 3]), tfl.layers.upSampling2d({ size: [2, 3] }), [[2, 3, 4, 2]]);
    compare(
      new L.Cropping2D([
        [1, 2],
        [0, 1],
      ]),
      tfl.layers.cropping2D({
        cropping: [
          [1, 2],
          [0, 1],
        ],
      }),
      [[2, 6, 5, 3]],
    );
    compare(new L.RepeatVector(3), tfl.layers.repeatVector({ n: 3 }), [[4, 5]]);
    compare(new L.Dot([2, 2]), tfl.layers.dot({ axes: [2, 2] }), [
      [2, 3, 4],
      [2, 5, 4],
    ]);
    compare(new L.Dot(1, { normalize: true }), tfl.layers.dot({ axes: 1, normalize: true }), [
      [3, 6],
      [3, 6],
    ]);
    compare(new L.Dot([1, 2]), tfl.layers.dot({ axes: [1, 2] }), [
      [2, 4, 3],
      [2, 5, 4],
    ]);
    compare(new L.LayerNormalization(), tfl.layers.layerNormalization({}), [[3, 4, 7]]);
    compare(new L.LayerNormalization({ epsilon: 1e-5 }), tfl.layers.layerNormalization({ epsilon: 1e-5 }), [[5, 9]]);
  });
});

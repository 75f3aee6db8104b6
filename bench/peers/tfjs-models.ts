/** The benchmark's models in TensorFlow.js Layers (tfjs-layers has no applications module). */
import type * as tfl from '@tensorflow/tfjs-layers';

import { SEQUENCE } from '../lib.js';

type Layers = typeof tfl;

export function mnistCnn(t: Layers): tfl.Sequential {
  return t.sequential({
    layers: [
      t.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
      t.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      t.layers.maxPooling2d({ poolSize: 2 }),
      t.layers.flatten(),
      t.layers.dense({ units: 128, activation: 'relu' }),
      t.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

export function mlp(t: Layers): tfl.Sequential {
  return t.sequential({
    layers: [
      t.layers.dense({ units: 100, inputDim: 100, activation: 'sigmoid' }),
      t.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

export function vgg19(t: Layers): tfl.LayersModel {
  const input = t.input({ shape: [224, 224, 3] });
  let x: tfl.SymbolicTensor = input;
  for (const [convs, filters] of [
    [2, 64],
    [2, 128],
    [4, 256],
    [4, 512],
    [4, 512],
  ] as const) {
    for (let i = 0; i < convs; i++) {
      x = t.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x) as tfl.SymbolicTensor;
    }
    x = t.layers.maxPooling2d({ poolSize: 2, strides: 2 }).apply(x) as tfl.SymbolicTensor;
  }
  x = t.layers.flatten().apply(x) as tfl.SymbolicTensor;
  x = t.layers.dense({ units: 4096, activation: 'relu' }).apply(x) as tfl.SymbolicTensor;
  x = t.layers.dense({ units: 4096, activation: 'relu' }).apply(x) as tfl.SymbolicTensor;
  x = t.layers.dense({ units: 1000, activation: 'softmax' }).apply(x) as tfl.SymbolicTensor;
  return t.model({ inputs: input, outputs: x });
}

/** Keras's ResNet50 (v1 bottleneck blocks, BatchNormalization epsilon 1.001e-5). */
export function resnet50(t: Layers): tfl.LayersModel {
  const apply = (layer: tfl.layers.Layer, x: tfl.SymbolicTensor | tfl.SymbolicTensor[]) => layer.apply(x) as tfl.SymbolicTensor;
  const bn = (x: tfl.SymbolicTensor) => apply(t.layers.batchNormalization({ axis: 3, epsilon: 1.001e-5 }), x);
  const relu = (x: tfl.SymbolicTensor) => apply(t.layers.activation({ activation: 'relu' }), x);
  const conv = (x: tfl.SymbolicTensor, filters: number, kernelSize: number, strides = 1, padding: 'valid' | 'same' = 'valid') =>
    apply(t.layers.conv2d({ filters, kernelSize, strides, padding }), x);
  const block = (x: tfl.SymbolicTensor, filters: number, stride: number, shortcutConv: boolean) => {
    const shortcut = shortcutConv ? bn(conv(x, 4 * filters, 1, stride)) : x;
    let y = relu(bn(conv(x, filters, 1, stride)));
    y = relu(bn(conv(y, filters, 3, 1, 'same')));
    y = bn(conv(y, 4 * filters, 1));
    return relu(apply(t.layers.add(), [shortcut, y]));
  };
  const stack = (x: tfl.SymbolicTensor, filters: number, blocks: number, stride: number) => {
    let y = block(x, filters, stride, true);
    for (let i = 1; i < blocks; i++) y = block(y, filters, 1, false);
    return y;
  };
  const input = t.input({ shape: [224, 224, 3] });
  let x = apply(t.layers.zeroPadding2d({ padding: 3 }), input);
  x = relu(bn(conv(x, 64, 7, 2)));
  x = apply(t.layers.zeroPadding2d({ padding: 1 }), x);
  x = apply(t.layers.maxPooling2d({ poolSize: 3, strides: 2 }), x);
  x = stack(x, 64, 3, 1);
  x = stack(x, 128, 4, 2);
  x = stack(x, 256, 6, 2);
  x = stack(x, 512, 3, 2);
  x = apply(t.layers.globalAveragePooling2d({}), x);
  x = apply(t.layers.dense({ units: 1000, activation: 'softmax' }), x);
  return t.model({ inputs: input, outputs: x });
}

/**
 * Keras's MobileNetV2 (alpha 1, 224x224): inverted residual blocks of expand 1x1 - depthwise 3x3 -
 * project 1x1 with ReLU6, BatchNormalization epsilon 1e-3, and the zero padding Keras puts before
 * each stride-2 depthwise convolution.
 */
export function mobilenetV2(t: Layers): tfl.LayersModel {
  const apply = (layer: tfl.layers.Layer, x: tfl.SymbolicTensor | tfl.SymbolicTensor[]) => layer.apply(x) as tfl.SymbolicTensor;
  const bn = (x: tfl.SymbolicTensor) => apply(t.layers.batchNormalization({ axis: 3, epsilon: 1e-3, momentum: 0.999 }), x);
  const relu6 = (x: tfl.SymbolicTensor) => apply(t.layers.reLU({ maxValue: 6 }), x);
  const conv1x1 = (x: tfl.SymbolicTensor, filters: number) =>
    apply(t.layers.conv2d({ filters, kernelSize: 1, padding: 'same', useBias: false }), x);
  const block = (x: tfl.SymbolicTensor, inChannels: number, filters: number, stride: number, expansion: number) => {
    let y = expansion === 1 ? x : relu6(bn(conv1x1(x, inChannels * expansion)));
    if (stride === 2)
      y = apply(
        t.layers.zeroPadding2d({
          padding: [
            [0, 1],
            [0, 1],
          ],
        }),
        y,
      );
    y = apply(
      t.layers.depthwiseConv2d({ kernelSize: 3, strides: stride, padding: stride === 2 ? 'valid' : 'same', useBias: false }),
      y,
    );
    y = bn(conv1x1(relu6(bn(y)), filters));
    return inChannels === filters && stride === 1 ? apply(t.layers.add(), [x, y]) : y;
  };
  const input = t.input({ shape: [224, 224, 3] });
  let x = apply(t.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', useBias: false }), input);
  x = relu6(bn(x));
  let channels = 32;
  // (filters, first stride, expansion, repeats), as in Keras's mobilenet_v2.py
  for (const [filters, stride, expansion, repeats] of [
    [16, 1, 1, 1],
    [24, 2, 6, 2],
    [32, 2, 6, 3],
    [64, 2, 6, 4],
    [96, 1, 6, 3],
    [160, 2, 6, 3],
    [320, 1, 6, 1],
  ] as const) {
    for (let i = 0; i < repeats; i++) {
      x = block(x, channels, filters, i === 0 ? stride : 1, expansion);
      channels = filters;
    }
  }
  x = relu6(bn(conv1x1(x, 1280)));
  x = apply(t.layers.globalAveragePooling2d({}), x);
  x = apply(t.layers.dense({ units: 1000, activation: 'softmax' }), x);
  return t.model({ inputs: input, outputs: x });
}

/**
 * LSTM(256) or GRU(256) over the benchmark's sequences, its last output into a Dense head.
 * tfjs-layers' GRU has no resetAfter: it computes Keras's reset_after=False form (same cost).
 */
export function recurrent(t: Layers, kind: 'lstm' | 'gru'): tfl.Sequential {
  const { steps, features, units } = SEQUENCE.recurrent;
  // The default orthogonal initializer calls a chained tensor method (rMat.flatten) that only the
  // full @tensorflow/tfjs bundle registers; the initial values do not change the step's cost.
  const args = { units, inputShape: [steps, features], recurrentInitializer: 'glorotUniform' as const };
  const rnn = kind === 'lstm' ? t.layers.lstm(args) : t.layers.gru(args);
  return t.sequential({ layers: [rnn, t.layers.dense({ units: SEQUENCE.classes })] });
}

/** The benchmark's models in TensorFlow.js Layers (tfjs-layers has no applications module). */
import type * as tfl from '@tensorflow/tfjs-layers';

import { BLOCKS as MOBILENET_V2_BLOCKS } from '../../src/applications/mobilenet-v2.js';
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

/**
 * Keras's MobileNetV2 (alpha 1, as capa.applications.MobileNetV2 builds it): inverted residual
 * blocks with ReLU6, BatchNormalization epsilon 1e-3, 'valid' depthwise convolutions after Keras's
 * correct_pad on the stride-2 blocks.
 */
export function mobilenetV2(t: Layers, size = 224): tfl.LayersModel {
  const apply = (layer: tfl.layers.Layer, x: tfl.SymbolicTensor | tfl.SymbolicTensor[]) => layer.apply(x) as tfl.SymbolicTensor;
  const bn = (x: tfl.SymbolicTensor) => apply(t.layers.batchNormalization({ axis: -1, epsilon: 1e-3, momentum: 0.999 }), x);
  const relu6 = (x: tfl.SymbolicTensor) => apply(t.layers.reLU({ maxValue: 6 }), x);
  const pointwise = (x: tfl.SymbolicTensor, filters: number) =>
    apply(t.layers.conv2d({ filters, kernelSize: 1, padding: 'same', useBias: false }), x);
  const correctPad = (x: tfl.SymbolicTensor): [[number, number], [number, number]] => {
    const [h, w] = [x.shape[1] as number, x.shape[2] as number];
    return [
      [h % 2, 1],
      [w % 2, 1],
    ];
  };
  const block = (inputs: tfl.SymbolicTensor, expansion: number, stride: number, filters: number, id: number) => {
    const inChannels = inputs.shape[3] as number;
    let x = id === 0 ? inputs : relu6(bn(pointwise(inputs, expansion * inChannels)));
    if (stride === 2) x = apply(t.layers.zeroPadding2d({ padding: correctPad(x) }), x);
    x = apply(
      t.layers.depthwiseConv2d({ kernelSize: 3, strides: stride, useBias: false, padding: stride === 1 ? 'same' : 'valid' }),
      x,
    );
    x = bn(pointwise(relu6(bn(x)), filters));
    return inChannels === filters && stride === 1 ? apply(t.layers.add(), [inputs, x]) : x;
  };
  const input = t.input({ shape: [size, size, 3] });
  let x = relu6(bn(apply(t.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', useBias: false }), input)));
  MOBILENET_V2_BLOCKS.forEach(([filters, stride, expansion], id) => {
    x = block(x, expansion, stride, filters, id);
  });
  x = relu6(bn(apply(t.layers.conv2d({ filters: 1280, kernelSize: 1, useBias: false }), x)));
  x = apply(t.layers.globalAveragePooling2d({}), x);
  x = apply(t.layers.dense({ units: 1000, activation: 'softmax' }), x);
  return t.model({ inputs: input, outputs: x });
}

/**
 * MobileNetV2 (Sandler et al., 2018) as Keras builds it (keras/applications/mobilenet_v2.py):
 * `Conv1`, `bn_Conv1`, `Conv1_relu`, inverted residual blocks `block_N_{expand,depthwise,
 * project}` (block 0 is `expanded_conv_`), `Conv_1`, `Conv_1_bn`, `out_relu`. BatchNormalization
 * uses epsilon 1e-3 and momentum 0.999. With alpha 1 and 224x224: 3,538,984 parameters.
 */
import { ReLU } from '../layers/activations/layers.js';
import { Conv2D } from '../layers/convolutional/conv.js';
import { DepthwiseConv2D } from '../layers/convolutional/depthwise.js';
import { Dense } from '../layers/core/dense.js';
import type { SymbolicTensor } from '../layers/engine/symbolic.js';
import { Add } from '../layers/merging/merge.js';
import { BatchNormalization } from '../layers/normalization/batch-normalization.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from '../layers/pooling/global-pooling.js';
import { ZeroPadding2D } from '../layers/reshaping/zero-padding.js';
import { Model } from '../models/functional.js';
import {
  type ApplicationBuilder,
  type ApplicationOptions,
  applicationInput,
  checkApplicationOptions,
  obtainInputShape,
  withApplicationWeights,
} from './common.js';

export interface MobileNetV2Options extends ApplicationOptions {
  /** Width multiplier (default 1.0). */
  alpha?: number;
}

/** Keras's `_make_divisible`: round to a multiple of `divisor`, never below 90% of v. */
function makeDivisible(v: number, divisor: number, minValue?: number): number {
  const min = minValue ?? divisor;
  let out = Math.max(min, Math.floor((v + divisor / 2) / divisor) * divisor);
  if (out < 0.9 * v) out += divisor;
  return out;
}

const bn = (name: string): BatchNormalization => new BatchNormalization({ axis: -1, epsilon: 1e-3, momentum: 0.999, name });

/** Keras's `correct_pad` for a 3x3 stride-2 window. */
function correctPad(x: SymbolicTensor): [[number, number], [number, number]] {
  const [h, w] = [x.shape[1], x.shape[2]];
  const adjust = h === null || h === undefined ? [1, 1] : [1 - (h % 2), 1 - ((w as number) % 2)];
  return [
    [1 - (adjust[0] as number), 1],
    [1 - (adjust[1] as number), 1],
  ];
}

function invertedResBlock(
  inputs: SymbolicTensor,
  expansion: number,
  stride: number,
  alpha: number,
  filters: number,
  blockId: number,
): SymbolicTensor {
  const inChannels = inputs.shape[3] as number;
  const pointwiseFilters = makeDivisible(Math.floor(filters * alpha), 8);
  let x = inputs;
  let prefix = `block_${blockId}_`;
  if (blockId) {
    x = new Conv2D(expansion * inChannels, 1, {
      padding: 'same',
      useBias: false,
      activation: null,
      name: `${prefix}expand`,
    }).apply(x);
    x = bn(`${prefix}expand_BN`).apply(x);
    x = new ReLU({ maxValue: 6, name: `${prefix}expand_relu` }).apply(x);
  } else prefix = 'expanded_conv_';
  if (stride === 2) x = new ZeroPadding2D(correctPad(x), { name: `${prefix}pad` }).apply(x);
  x = new DepthwiseConv2D(3, {
    strides: stride,
    activation: null,
    useBias: false,
    padding: stride === 1 ? 'same' : 'valid',
    name: `${prefix}depthwise`,
  }).apply(x);
  x = bn(`${prefix}depthwise_BN`).apply(x);
  x = new ReLU({ maxValue: 6, name: `${prefix}depthwise_relu` }).apply(x);
  x = new Conv2D(pointwiseFilters, 1, { padding: 'same', useBias: false, activation: null, name: `${prefix}project` }).apply(x);
  x = bn(`${prefix}project_BN`).apply(x);
  if (inChannels === pointwiseFilters && stride === 1) return new Add({ name: `${prefix}add` }).apply([inputs, x]);
  return x;
}

/** (filters, stride, expansion) of blocks 0..16 (the TF.js peer of bench:gpu builds the same). */
export const BLOCKS: readonly [number, number, number][] = [
  [16, 1, 1],
  [24, 2, 6],
  [24, 1, 6],
  [32, 2, 6],
  [32, 1, 6],
  [32, 1, 6],
  [64, 2, 6],
  [64, 1, 6],
  [64, 1, 6],
  [64, 1, 6],
  [96, 1, 6],
  [96, 1, 6],
  [96, 1, 6],
  [160, 2, 6],
  [160, 1, 6],
  [160, 1, 6],
  [320, 1, 6],
];

export const MobileNetV2 = ((options: MobileNetV2Options = {}): Model | Promise<Model> => {
  const { includeTop, classes, weights } = checkApplicationOptions('MobileNetV2', options);
  const alpha = options.alpha ?? 1.0;
  if (weights === 'imagenet' && ![0.35, 0.5, 0.75, 1.0, 1.3, 1.4].includes(alpha)) {
    throw new Error(
      `If imagenet weights are being loaded, alpha must be one of \`0.35\`, \`0.50\`, \`0.75\`, \`1.0\`, \`1.3\` or \`1.4\` only. Received: alpha=${alpha}`,
    );
  }
  const shape = obtainInputShape(options.inputShape, 224, 32, includeTop, weights);
  const input = applicationInput(options, shape);
  let x = new Conv2D(makeDivisible(32 * alpha, 8), 3, { strides: 2, padding: 'same', useBias: false, name: 'Conv1' }).apply(
    input,
  );
  x = bn('bn_Conv1').apply(x);
  x = new ReLU({ maxValue: 6, name: 'Conv1_relu' }).apply(x);
  BLOCKS.forEach(([filters, stride, expansion], id) => {
    x = invertedResBlock(x, expansion, stride, alpha, filters, id);
  });
  const lastFilters = alpha > 1.0 ? makeDivisible(1280 * alpha, 8) : 1280;
  x = new Conv2D(lastFilters, 1, { useBias: false, name: 'Conv_1' }).apply(x);
  x = bn('Conv_1_bn').apply(x);
  x = new ReLU({ maxValue: 6, name: 'out_relu' }).apply(x);
  if (includeTop) {
    x = new GlobalAveragePooling2D().apply(x);
    x = new Dense(classes, {
      activation: options.classifierActivation === undefined ? 'softmax' : options.classifierActivation,
      name: 'predictions',
    }).apply(x);
  } else if (options.pooling === 'avg') x = new GlobalAveragePooling2D().apply(x);
  else if (options.pooling === 'max') x = new GlobalMaxPooling2D().apply(x);
  const rows = shape[0] ?? 224;
  const model = new Model({ inputs: input, outputs: x, name: `mobilenetv2_${alpha.toFixed(2)}_${rows}` });
  return withApplicationWeights(model, { application: 'mobilenet_v2', weights, includeTop, alpha, rows }, options.weightsCache);
}) as ApplicationBuilder<MobileNetV2Options>;

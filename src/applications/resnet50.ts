/**
 * ResNet50 (He et al., 2015) as Keras builds it (keras/applications/resnet.py, v1 blocks):
 * `conv1_pad`, `conv1_conv`, `conv1_bn`, `conv1_relu`, `pool1_pad`, `pool1_pool`, stacks
 * `conv2`..`conv5` of bottleneck blocks `convN_blockM_{0,1,2,3}_{conv,bn}`, `_add`, `_out`;
 * convolutions with biases and BatchNormalization epsilon 1.001e-5. 25,636,712 parameters.
 */

import { Conv2D } from '../layers/convolutional/conv.js';
import { Activation } from '../layers/core/activation.js';
import { Dense } from '../layers/core/dense.js';
import type { SymbolicTensor } from '../layers/engine/symbolic.js';
import { Add } from '../layers/merging/merge.js';
import { BatchNormalization } from '../layers/normalization/batch-normalization.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from '../layers/pooling/global-pooling.js';
import { MaxPooling2D } from '../layers/pooling/pooling2d.js';
import { ZeroPadding2D } from '../layers/reshaping/zero-padding.js';
import { Model } from '../models/functional.js';
import {
  type ApplicationOptions,
  applicationInput,
  checkApplicationOptions,
  loadApplicationWeights,
  obtainInputShape,
} from './common.js';

const BN_EPSILON = 1.001e-5;

/** Keras's `block1`: a bottleneck residual block, with a projection shortcut when asked. */
function block(x: SymbolicTensor, filters: number, stride: number, convShortcut: boolean, name: string): SymbolicTensor {
  let shortcut = x;
  if (convShortcut) {
    shortcut = new Conv2D(4 * filters, 1, { strides: stride, name: `${name}_0_conv` }).apply(x);
    shortcut = new BatchNormalization({ axis: 3, epsilon: BN_EPSILON, name: `${name}_0_bn` }).apply(shortcut);
  }
  let y = new Conv2D(filters, 1, { strides: stride, name: `${name}_1_conv` }).apply(x);
  y = new BatchNormalization({ axis: 3, epsilon: BN_EPSILON, name: `${name}_1_bn` }).apply(y);
  y = new Activation('relu', { name: `${name}_1_relu` }).apply(y);
  y = new Conv2D(filters, 3, { padding: 'same', name: `${name}_2_conv` }).apply(y);
  y = new BatchNormalization({ axis: 3, epsilon: BN_EPSILON, name: `${name}_2_bn` }).apply(y);
  y = new Activation('relu', { name: `${name}_2_relu` }).apply(y);
  y = new Conv2D(4 * filters, 1, { name: `${name}_3_conv` }).apply(y);
  y = new BatchNormalization({ axis: 3, epsilon: BN_EPSILON, name: `${name}_3_bn` }).apply(y);
  y = new Add({ name: `${name}_add` }).apply([shortcut, y]);
  return new Activation('relu', { name: `${name}_out` }).apply(y);
}

/** Keras's `stack1`: the first block projects (and strides), the rest are identity blocks. */
function stack(x: SymbolicTensor, filters: number, blocks: number, stride: number, name: string): SymbolicTensor {
  let y = block(x, filters, stride, true, `${name}_block1`);
  for (let i = 2; i <= blocks; i++) y = block(y, filters, 1, false, `${name}_block${i}`);
  return y;
}

export function ResNet50(options: ApplicationOptions = {}): Model {
  const { includeTop, classes, weights } = checkApplicationOptions('ResNet50', options);
  const shape = obtainInputShape(options.inputShape, 224, 32, includeTop, weights);
  const input = applicationInput(options, shape);
  let x = new ZeroPadding2D(
    [
      [3, 3],
      [3, 3],
    ],
    { name: 'conv1_pad' },
  ).apply(input);
  x = new Conv2D(64, 7, { strides: 2, useBias: true, name: 'conv1_conv' }).apply(x);
  x = new BatchNormalization({ axis: 3, epsilon: BN_EPSILON, name: 'conv1_bn' }).apply(x);
  x = new Activation('relu', { name: 'conv1_relu' }).apply(x);
  x = new ZeroPadding2D(
    [
      [1, 1],
      [1, 1],
    ],
    { name: 'pool1_pad' },
  ).apply(x);
  x = new MaxPooling2D(3, { strides: 2, name: 'pool1_pool' }).apply(x);
  x = stack(x, 64, 3, 1, 'conv2');
  x = stack(x, 128, 4, 2, 'conv3');
  x = stack(x, 256, 6, 2, 'conv4');
  x = stack(x, 512, 3, 2, 'conv5');
  if (includeTop) {
    x = new GlobalAveragePooling2D({ name: 'avg_pool' }).apply(x);
    x = new Dense(classes, {
      activation: options.classifierActivation === undefined ? 'softmax' : options.classifierActivation,
      name: 'predictions',
    }).apply(x);
  } else if (options.pooling === 'avg') x = new GlobalAveragePooling2D({ name: 'avg_pool' }).apply(x);
  else if (options.pooling === 'max') x = new GlobalMaxPooling2D({ name: 'max_pool' }).apply(x);
  const model = new Model({ inputs: input, outputs: x, name: 'resnet50' });
  if (weights !== null) loadApplicationWeights(model, { application: 'resnet50', weights, includeTop });
  return model;
}

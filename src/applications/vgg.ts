/** VGG16 and VGG19 (Simonyan & Zisserman, 2014) with Keras's layer names and parameter counts. */
import { Conv2D } from '../layers/convolutional/conv.js';
import { Dense } from '../layers/core/dense.js';
import { Flatten } from '../layers/core/flatten.js';
import type { SymbolicTensor } from '../layers/engine/symbolic.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from '../layers/pooling/global-pooling.js';
import { MaxPooling2D } from '../layers/pooling/pooling2d.js';
import { Model } from '../models/functional.js';
import {
  type ApplicationOptions,
  applicationInput,
  checkApplicationOptions,
  loadApplicationWeights,
  obtainInputShape,
} from './common.js';

function buildVGG(name: 'vgg16' | 'vgg19', convsPerBlock: readonly number[], options: ApplicationOptions): Model {
  const { includeTop, classes, weights } = checkApplicationOptions(name.toUpperCase(), options);
  const shape = obtainInputShape(options.inputShape, 224, 32, includeTop, weights);
  const input = applicationInput(options, shape);
  const filters = [64, 128, 256, 512, 512];
  let x: SymbolicTensor = input;
  convsPerBlock.forEach((count, b) => {
    for (let i = 1; i <= count; i++) {
      x = new Conv2D(filters[b] as number, [3, 3], { activation: 'relu', padding: 'same', name: `block${b + 1}_conv${i}` }).apply(
        x,
      );
    }
    x = new MaxPooling2D([2, 2], { strides: [2, 2], name: `block${b + 1}_pool` }).apply(x);
  });
  if (includeTop) {
    x = new Flatten({ name: 'flatten' }).apply(x);
    x = new Dense(4096, { activation: 'relu', name: 'fc1' }).apply(x);
    x = new Dense(4096, { activation: 'relu', name: 'fc2' }).apply(x);
    x = new Dense(classes, {
      activation: options.classifierActivation === undefined ? 'softmax' : options.classifierActivation,
      name: 'predictions',
    }).apply(x);
  } else if (options.pooling === 'avg') x = new GlobalAveragePooling2D().apply(x);
  else if (options.pooling === 'max') x = new GlobalMaxPooling2D().apply(x);
  const model = new Model({ inputs: input, outputs: x, name });
  if (weights !== null) loadApplicationWeights(model, { application: name, weights, includeTop });
  return model;
}

/** VGG16: 13 convolutions in 5 blocks + 3 dense layers; 138,357,544 parameters with the top. */
export function VGG16(options: ApplicationOptions = {}): Model {
  return buildVGG('vgg16', [2, 2, 3, 3, 3], options);
}

/** VGG19: 16 convolutions in 5 blocks + 3 dense layers; 143,667,240 parameters with the top. */
export function VGG19(options: ApplicationOptions = {}): Model {
  return buildVGG('vgg19', [2, 2, 4, 4, 4], options);
}

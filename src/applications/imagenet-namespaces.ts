/**
 * The per-application helper namespaces of `keras.applications` (`vgg19.preprocess_input`,
 * `resnet50.decode_predictions`, ...), each bound to the preprocessing its published weights
 * were trained with.
 */
import type { Tensor } from '../tensor/tensor.js';
import { type DecodedPrediction, decodePredictions, preprocessInput } from './imagenet-utils.js';

export interface ApplicationHelpers {
  /** This application's input preprocessing (see `imagenetUtils.preprocessInput` for the modes). */
  preprocessInput(x: Tensor): Tensor;
  decodePredictions(preds: Tensor | readonly (readonly number[])[], top?: number): DecodedPrediction[][];
}

function helpers(mode: 'caffe' | 'tf'): ApplicationHelpers {
  return {
    preprocessInput: (x: Tensor) => preprocessInput(x, { mode }),
    decodePredictions: (preds, top = 5) => decodePredictions(preds, top),
  };
}

export const vgg16: ApplicationHelpers = helpers('caffe');
export const vgg19: ApplicationHelpers = helpers('caffe');
export const resnet50: ApplicationHelpers = helpers('caffe');
export const mobilenetV2: ApplicationHelpers = helpers('tf');
export const imagenetUtils = { preprocessInput, decodePredictions };

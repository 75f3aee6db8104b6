import { HostStorage } from '../../tensor/host-storage.js';
import type { Backend } from '../backend.js';
import { batchNormGrad, batchNormInference, batchNormTraining } from './batchnorm.js';
import { binary, cast, compare, select } from './binary.js';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from './conv.js';
import { depthwiseConv2d, depthwiseConv2dBackpropFilter, depthwiseConv2dBackpropInput } from './depthwise.js';
import { gather, oneHot, scatterAdd } from './gather.js';
import { layerNorm, layerNormGrad } from './layernorm.js';
import { concat, pad, tile } from './layout.js';
import { matmul } from './matmul.js';
import { adamUpdate, sgdUpdate } from './optimizer.js';
import { avgPool2d, avgPool2dGrad, maxPool2d, maxPool2dGrad } from './pool.js';
import { argReduce, reduce } from './reduce.js';
import { slice, sliceAssign } from './slice.js';
import { logSoftmax, logSoftmaxGrad, softmax, softmaxGrad } from './softmax.js';
import { transpose } from './transpose.js';
import { unary, unaryGrad } from './unary.js';

/**
 * The pure-TypeScript backend: the specification every other backend is tested against.
 * Plain typed-array loops, one per op, with cache blocking where it matters (matmul, conv).
 * Its storage is host memory (the typed arrays themselves), shared with the native backend.
 */
export class JsBackend extends HostStorage implements Backend {
  constructor() {
    super('js');
  }

  unary = unary;
  unaryGrad = unaryGrad;
  binary = binary;
  compare = compare;
  select = select;
  cast = cast;
  reduce = reduce;
  argReduce = argReduce;
  matmul = matmul;
  transpose = transpose;
  slice = slice;
  sliceAssign = sliceAssign;
  concat = concat;
  pad = pad;
  tile = tile;
  gather = gather;
  scatterAdd = scatterAdd;
  oneHot = oneHot;
  softmax = softmax;
  logSoftmax = logSoftmax;
  softmaxGrad = softmaxGrad;
  logSoftmaxGrad = logSoftmaxGrad;
  conv2d = conv2d;
  conv2dBackpropInput = conv2dBackpropInput;
  conv2dBackpropFilter = conv2dBackpropFilter;
  depthwiseConv2d = depthwiseConv2d;
  depthwiseConv2dBackpropInput = depthwiseConv2dBackpropInput;
  depthwiseConv2dBackpropFilter = depthwiseConv2dBackpropFilter;
  maxPool2d = maxPool2d;
  maxPool2dGrad = maxPool2dGrad;
  avgPool2d = avgPool2d;
  avgPool2dGrad = avgPool2dGrad;
  batchNormInference = batchNormInference;
  batchNormTraining = batchNormTraining;
  batchNormGrad = batchNormGrad;
  layerNorm = layerNorm;
  layerNormGrad = layerNormGrad;
  sgdUpdate = sgdUpdate;
  adamUpdate = adamUpdate;
}

import type { Backend } from '../backend.js';
import { binary, cast, compare, select } from './binary.js';
import { matmul } from './matmul.js';
import { adamUpdate, sgdUpdate } from './optimizer.js';
import * as pending from './pending.js';
import { argReduce, reduce } from './reduce.js';
import { logSoftmax, logSoftmaxGrad, softmax, softmaxGrad } from './softmax.js';
import { transpose } from './transpose.js';
import { unary, unaryGrad } from './unary.js';

/**
 * The pure-TypeScript backend: the specification every other backend is tested against.
 * Plain typed-array loops, one per op, with cache blocking where it matters (matmul, conv).
 */
export class JsBackend implements Backend {
  readonly name = 'js';
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
  slice = pending.slice;
  sliceAssign = pending.sliceAssign;
  concat = pending.concat;
  pad = pending.pad;
  tile = pending.tile;
  gather = pending.gather;
  scatterAdd = pending.scatterAdd;
  oneHot = pending.oneHot;
  softmax = softmax;
  logSoftmax = logSoftmax;
  softmaxGrad = softmaxGrad;
  logSoftmaxGrad = logSoftmaxGrad;
  conv2d = pending.conv2d;
  conv2dBackpropInput = pending.conv2dBackpropInput;
  conv2dBackpropFilter = pending.conv2dBackpropFilter;
  depthwiseConv2d = pending.depthwiseConv2d;
  depthwiseConv2dBackpropInput = pending.depthwiseConv2dBackpropInput;
  depthwiseConv2dBackpropFilter = pending.depthwiseConv2dBackpropFilter;
  maxPool2d = pending.maxPool2d;
  maxPool2dGrad = pending.maxPool2dGrad;
  avgPool2d = pending.avgPool2d;
  avgPool2dGrad = pending.avgPool2dGrad;
  batchNormInference = pending.batchNormInference;
  batchNormTraining = pending.batchNormTraining;
  batchNormGrad = pending.batchNormGrad;
  sgdUpdate = sgdUpdate;
  adamUpdate = adamUpdate;
}

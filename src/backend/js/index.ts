import { allocArray } from '../../tensor/dtype.js';
import { type Args, BaseBackend } from '../base-backend.js';
import { batchNormGrad, batchNormInference, batchNormTraining } from './batchnorm.js';
import { binary, cast, compare, select } from './binary.js';
import { clipByGlobalNorm, clipByNorm, clipByValue } from './clipping.js';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from './conv.js';
import { depthwiseConv2d, depthwiseConv2dBackpropFilter, depthwiseConv2dBackpropInput } from './depthwise.js';
import { gather, oneHot, scatterAdd } from './gather.js';
import { concat, pad, tile } from './layout.js';
import { matmul } from './matmul.js';
import {
  adadeltaUpdate,
  adagradUpdate,
  adamaxUpdate,
  adamUpdate,
  nadamUpdate,
  rmspropUpdate,
  sgdUpdate,
  weightDecayUpdate,
} from './optimizer.js';
import { avgPool2d, avgPool2dGrad, maxPool2d, maxPool2dGrad } from './pool.js';
import { argReduce, reduce } from './reduce.js';
import { slice, sliceAssign } from './slice.js';
import { logSoftmax, logSoftmaxGrad, softmax, softmaxGrad } from './softmax.js';
import { transpose } from './transpose.js';
import { unary, unaryGrad } from './unary.js';

/**
 * The pure-TypeScript backend: the specification every other backend is tested against.
 * Plain typed-array loops, one per op, with cache blocking where it matters (matmul, conv).
 * It implements every composite kernel itself (fused loops), none of the base class's defaults.
 */
export class JsBackend extends BaseBackend {
  readonly name = 'js';

  // ---- required primitives ----
  alloc = allocArray;
  write(...[dst, values]: Args<'write'>): void {
    dst.set(values);
  }
  cast = cast;
  unary = unary;
  binary = binary;
  compare = compare;
  select = select;
  reduce = reduce;
  argReduce = argReduce;
  matmul = matmul;
  transpose = transpose;
  slice = slice;
  sliceAssign = sliceAssign;
  pad = pad;
  gather = gather;
  scatterAdd = scatterAdd;
  conv2d = conv2d;
  maxPool2d = maxPool2d;
  avgPool2d = avgPool2d;

  // ---- fused kernels in place of the composite defaults ----
  override unaryGrad(...a: Args<'unaryGrad'>): void {
    unaryGrad(...a);
  }
  override concat(...a: Args<'concat'>): void {
    concat(...a);
  }
  override tile(...a: Args<'tile'>): void {
    tile(...a);
  }
  override oneHot(...a: Args<'oneHot'>): void {
    oneHot(...a);
  }
  override softmax(...a: Args<'softmax'>): void {
    softmax(...a);
  }
  override logSoftmax(...a: Args<'logSoftmax'>): void {
    logSoftmax(...a);
  }
  override softmaxGrad(...a: Args<'softmaxGrad'>): void {
    softmaxGrad(...a);
  }
  override logSoftmaxGrad(...a: Args<'logSoftmaxGrad'>): void {
    logSoftmaxGrad(...a);
  }
  override conv2dBackpropInput(...a: Args<'conv2dBackpropInput'>): void {
    conv2dBackpropInput(...a);
  }
  override conv2dBackpropFilter(...a: Args<'conv2dBackpropFilter'>): void {
    conv2dBackpropFilter(...a);
  }
  override depthwiseConv2d(...a: Args<'depthwiseConv2d'>): void {
    depthwiseConv2d(...a);
  }
  override depthwiseConv2dBackpropInput(...a: Args<'depthwiseConv2dBackpropInput'>): void {
    depthwiseConv2dBackpropInput(...a);
  }
  override depthwiseConv2dBackpropFilter(...a: Args<'depthwiseConv2dBackpropFilter'>): void {
    depthwiseConv2dBackpropFilter(...a);
  }
  override maxPool2dGrad(...a: Args<'maxPool2dGrad'>): void {
    maxPool2dGrad(...a);
  }
  override avgPool2dGrad(...a: Args<'avgPool2dGrad'>): void {
    avgPool2dGrad(...a);
  }
  override batchNormInference(...a: Args<'batchNormInference'>): void {
    batchNormInference(...a);
  }
  override batchNormTraining(...a: Args<'batchNormTraining'>): void {
    batchNormTraining(...a);
  }
  override batchNormGrad(...a: Args<'batchNormGrad'>): void {
    batchNormGrad(...a);
  }
  override sgdUpdate(...a: Args<'sgdUpdate'>): void {
    sgdUpdate(...a);
  }
  override adamUpdate(...a: Args<'adamUpdate'>): void {
    adamUpdate(...a);
  }
  override adagradUpdate(...a: Args<'adagradUpdate'>): void {
    adagradUpdate(...a);
  }
  override adadeltaUpdate(...a: Args<'adadeltaUpdate'>): void {
    adadeltaUpdate(...a);
  }
  override adamaxUpdate(...a: Args<'adamaxUpdate'>): void {
    adamaxUpdate(...a);
  }
  override nadamUpdate(...a: Args<'nadamUpdate'>): void {
    nadamUpdate(...a);
  }
  override rmspropUpdate(...a: Args<'rmspropUpdate'>): void {
    rmspropUpdate(...a);
  }
  override weightDecayUpdate(...a: Args<'weightDecayUpdate'>): void {
    weightDecayUpdate(...a);
  }
  override clipByValue(...a: Args<'clipByValue'>): void {
    clipByValue(...a);
  }
  override clipByNorm(...a: Args<'clipByNorm'>): void {
    clipByNorm(...a);
  }
  override clipByGlobalNorm(...a: Args<'clipByGlobalNorm'>): void {
    clipByGlobalNorm(...a);
  }
}

import { HostBackend } from '../host-backend.js';
import { batchNormGrad, batchNormInference, batchNormTraining } from './batchnorm.js';
import { binary, cast, compare, select } from './binary.js';
import { clipByGlobalNorm, clipByNorm, clipByValue } from './clipping.js';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from './conv.js';
import { depthwiseConv2d, depthwiseConv2dBackpropFilter, depthwiseConv2dBackpropInput } from './depthwise.js';
import { gather, oneHot, scatterAdd } from './gather.js';
import { gruSequence, gruSequenceGrad } from './gru.js';
import { layerNorm, layerNormGrad } from './layernorm.js';
import { concat, pad, tile } from './layout.js';
import { lstmSequence, lstmSequenceGrad } from './lstm.js';
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
import { simpleRnnSequence, simpleRnnSequenceGrad } from './simple-rnn.js';
import { slice, sliceAssign } from './slice.js';
import { logSoftmax, logSoftmaxGrad, softmax, softmaxGrad } from './softmax.js';
import { transpose } from './transpose.js';
import { unary, unaryGrad } from './unary.js';

/**
 * The pure-TypeScript backend: the specification every other backend is tested against.
 * Plain typed-array loops, one per op, with cache blocking where it matters (matmul, conv).
 * It implements every composite kernel itself (fused loops), none of the base class's defaults.
 * Its storage is host memory (the typed arrays themselves), shared with the native backend.
 */
export class JsBackend extends HostBackend {
  readonly name = 'js';

  // ---- required primitives (storage: HostBackend) ----
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
  override unaryGrad(...a: Parameters<typeof unaryGrad>): void {
    unaryGrad(...a);
  }
  override concat(...a: Parameters<typeof concat>): void {
    concat(...a);
  }
  override tile(...a: Parameters<typeof tile>): void {
    tile(...a);
  }
  override oneHot(...a: Parameters<typeof oneHot>): void {
    oneHot(...a);
  }
  override softmax(...a: Parameters<typeof softmax>): void {
    softmax(...a);
  }
  override logSoftmax(...a: Parameters<typeof logSoftmax>): void {
    logSoftmax(...a);
  }
  override softmaxGrad(...a: Parameters<typeof softmaxGrad>): void {
    softmaxGrad(...a);
  }
  override logSoftmaxGrad(...a: Parameters<typeof logSoftmaxGrad>): void {
    logSoftmaxGrad(...a);
  }
  override conv2dBackpropInput(...a: Parameters<typeof conv2dBackpropInput>): void {
    conv2dBackpropInput(...a);
  }
  override conv2dBackpropFilter(...a: Parameters<typeof conv2dBackpropFilter>): void {
    conv2dBackpropFilter(...a);
  }
  override depthwiseConv2d(...a: Parameters<typeof depthwiseConv2d>): void {
    depthwiseConv2d(...a);
  }
  override depthwiseConv2dBackpropInput(...a: Parameters<typeof depthwiseConv2dBackpropInput>): void {
    depthwiseConv2dBackpropInput(...a);
  }
  override depthwiseConv2dBackpropFilter(...a: Parameters<typeof depthwiseConv2dBackpropFilter>): void {
    depthwiseConv2dBackpropFilter(...a);
  }
  override maxPool2dGrad(...a: Parameters<typeof maxPool2dGrad>): void {
    maxPool2dGrad(...a);
  }
  override avgPool2dGrad(...a: Parameters<typeof avgPool2dGrad>): void {
    avgPool2dGrad(...a);
  }
  override batchNormInference(...a: Parameters<typeof batchNormInference>): void {
    batchNormInference(...a);
  }
  override batchNormTraining(...a: Parameters<typeof batchNormTraining>): void {
    batchNormTraining(...a);
  }
  override batchNormGrad(...a: Parameters<typeof batchNormGrad>): void {
    batchNormGrad(...a);
  }
  override sgdUpdate(...a: Parameters<typeof sgdUpdate>): void {
    sgdUpdate(...a);
  }
  override adamUpdate(...a: Parameters<typeof adamUpdate>): void {
    adamUpdate(...a);
  }
  override adagradUpdate(...a: Parameters<typeof adagradUpdate>): void {
    adagradUpdate(...a);
  }
  override adadeltaUpdate(...a: Parameters<typeof adadeltaUpdate>): void {
    adadeltaUpdate(...a);
  }
  override adamaxUpdate(...a: Parameters<typeof adamaxUpdate>): void {
    adamaxUpdate(...a);
  }
  override nadamUpdate(...a: Parameters<typeof nadamUpdate>): void {
    nadamUpdate(...a);
  }
  override rmspropUpdate(...a: Parameters<typeof rmspropUpdate>): void {
    rmspropUpdate(...a);
  }
  override weightDecayUpdate(...a: Parameters<typeof weightDecayUpdate>): void {
    weightDecayUpdate(...a);
  }
  override clipByValue(...a: Parameters<typeof clipByValue>): void {
    clipByValue(...a);
  }
  override clipByNorm(...a: Parameters<typeof clipByNorm>): void {
    clipByNorm(...a);
  }
  override layerNorm(...a: Parameters<typeof layerNorm>): void {
    layerNorm(...a);
  }
  override layerNormGrad(...a: Parameters<typeof layerNormGrad>): void {
    layerNormGrad(...a);
  }
  override clipByGlobalNorm(...a: Parameters<typeof clipByGlobalNorm>): void {
    clipByGlobalNorm(...a);
  }
  override lstmSequence(...a: Parameters<typeof lstmSequence>): void {
    lstmSequence(...a);
  }
  override lstmSequenceGrad(...a: Parameters<typeof lstmSequenceGrad>): void {
    lstmSequenceGrad(...a);
  }
  override gruSequence(...a: Parameters<typeof gruSequence>): void {
    gruSequence(...a);
  }
  override gruSequenceGrad(...a: Parameters<typeof gruSequenceGrad>): void {
    gruSequenceGrad(...a);
  }
  override simpleRnnSequence(...a: Parameters<typeof simpleRnnSequence>): void {
    simpleRnnSequence(...a);
  }
  override simpleRnnSequenceGrad(...a: Parameters<typeof simpleRnnSequenceGrad>): void {
    simpleRnnSequenceGrad(...a);
  }
}

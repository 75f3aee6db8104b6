/**
 * The base class every backend extends. It declares the required primitives abstract (a backend
 * missing one fails to compile) and gives every composite kernel a default written only in those
 * primitives and the backend's own allocation (composites/): the defaults never read or write
 * tensor values on the host, so they run unchanged on a backend whose storage is not host memory.
 * A fast backend overrides a composite by redefining the method; docs/backends.md shows how.
 */
import type { TypedArray } from '../tensor/dtype.js';
import type { Backend, FusedActivation, Storage } from './backend.js';
import { unaryGrad } from './composites/activation-grad.js';
import { batchNormGrad, batchNormInference, batchNormTraining } from './composites/batchnorm.js';
import { clipByGlobalNorm, clipByNorm, clipByValue } from './composites/clipping.js';
import { conv2dBackpropFilter, conv2dBackpropInput } from './composites/conv.js';
import { depthwiseConv2d, depthwiseConv2dBackpropFilter, depthwiseConv2dBackpropInput } from './composites/depthwise.js';
import { layerNorm, layerNormGrad } from './composites/layernorm.js';
import { concat, oneHot, tile } from './composites/layout.js';
import {
  adadeltaUpdate,
  adagradUpdate,
  adamaxUpdate,
  adamUpdate,
  nadamUpdate,
  rmspropUpdate,
  sgdUpdate,
  weightDecayUpdate,
} from './composites/optimizers.js';
import { avgPool2dGrad, maxPool2dGrad } from './composites/pool.js';
import {
  gruSequence,
  gruSequenceGrad,
  lstmSequence,
  lstmSequenceGrad,
  simpleRnnSequence,
  simpleRnnSequenceGrad,
} from './composites/rnn.js';
import { logSoftmax, logSoftmaxGrad, softmax, softmaxGrad } from './composites/softmax.js';

/** The parameters of kernel K, so no signature is restated here. */
export type Args<K extends Exclude<keyof Backend, 'name' | 'storageKind' | 'readSync'>> = Parameters<Backend[K]>;

export abstract class BaseBackend implements Backend {
  abstract readonly name: string;
  abstract readonly storageKind: string;

  // ---- required primitives (documented in backend.ts and tensor/storage.ts) ----
  abstract allocate(...a: Args<'allocate'>): Storage;
  abstract allocateZeroed(...a: Args<'allocateZeroed'>): Storage;
  abstract upload(...a: Args<'upload'>): Storage;
  abstract read(...a: Args<'read'>): Promise<TypedArray>;
  abstract copy(...a: Args<'copy'>): void;
  abstract write(...a: Args<'write'>): void;
  abstract storageMark(): number;
  abstract release(...a: Args<'release'>): boolean;
  abstract sizeOf(...a: Args<'sizeOf'>): number;
  abstract cast(...a: Args<'cast'>): void;
  abstract unary(...a: Args<'unary'>): void;
  abstract binary(...a: Args<'binary'>): void;
  abstract compare(...a: Args<'compare'>): void;
  abstract select(...a: Args<'select'>): void;
  abstract reduce(...a: Args<'reduce'>): void;
  abstract argReduce(...a: Args<'argReduce'>): void;
  abstract matmul(...a: Args<'matmul'>): void;
  abstract transpose(...a: Args<'transpose'>): void;
  abstract slice(...a: Args<'slice'>): void;
  abstract sliceAssign(...a: Args<'sliceAssign'>): void;
  abstract pad(...a: Args<'pad'>): void;
  abstract gather(...a: Args<'gather'>): void;
  abstract scatterAdd(...a: Args<'scatterAdd'>): void;
  abstract conv2d(...a: Args<'conv2d'>): void;
  abstract maxPool2d(...a: Args<'maxPool2d'>): void;
  abstract avgPool2d(...a: Args<'avgPool2d'>): void;

  // ---- composite defaults (composites/) ----
  unaryGrad(...a: Args<'unaryGrad'>): void {
    unaryGrad(this, ...a);
  }
  concat(...a: Args<'concat'>): void {
    concat(this, ...a);
  }
  tile(...a: Args<'tile'>): void {
    tile(this, ...a);
  }
  oneHot(...a: Args<'oneHot'>): void {
    oneHot(this, ...a);
  }
  softmax(...a: Args<'softmax'>): void {
    softmax(this, ...a);
  }
  logSoftmax(...a: Args<'logSoftmax'>): void {
    logSoftmax(this, ...a);
  }
  softmaxGrad(...a: Args<'softmaxGrad'>): void {
    softmaxGrad(this, ...a);
  }
  logSoftmaxGrad(...a: Args<'logSoftmaxGrad'>): void {
    logSoftmaxGrad(this, ...a);
  }
  conv2dBackpropInput(...a: Args<'conv2dBackpropInput'>): void {
    conv2dBackpropInput(this, ...a);
  }
  conv2dBackpropFilter(...a: Args<'conv2dBackpropFilter'>): void {
    conv2dBackpropFilter(this, ...a);
  }
  depthwiseConv2d(...a: Args<'depthwiseConv2d'>): void {
    depthwiseConv2d(this, ...a);
  }
  depthwiseConv2dBackpropInput(...a: Args<'depthwiseConv2dBackpropInput'>): void {
    depthwiseConv2dBackpropInput(this, ...a);
  }
  depthwiseConv2dBackpropFilter(...a: Args<'depthwiseConv2dBackpropFilter'>): void {
    depthwiseConv2dBackpropFilter(this, ...a);
  }
  maxPool2dGrad(...a: Args<'maxPool2dGrad'>): void {
    maxPool2dGrad(this, ...a);
  }
  avgPool2dGrad(...a: Args<'avgPool2dGrad'>): void {
    avgPool2dGrad(this, ...a);
  }
  batchNormInference(...a: Args<'batchNormInference'>): void {
    batchNormInference(this, ...a);
  }
  batchNormTraining(...a: Args<'batchNormTraining'>): void {
    batchNormTraining(this, ...a);
  }
  batchNormGrad(...a: Args<'batchNormGrad'>): void {
    batchNormGrad(this, ...a);
  }
  layerNorm(...a: Args<'layerNorm'>): void {
    layerNorm(this, ...a);
  }
  layerNormGrad(...a: Args<'layerNormGrad'>): void {
    layerNormGrad(this, ...a);
  }
  lstmSequence(...a: Args<'lstmSequence'>): void {
    lstmSequence(this, ...a);
  }
  lstmSequenceGrad(...a: Args<'lstmSequenceGrad'>): void {
    lstmSequenceGrad(this, ...a);
  }
  gruSequence(...a: Args<'gruSequence'>): void {
    gruSequence(this, ...a);
  }
  gruSequenceGrad(...a: Args<'gruSequenceGrad'>): void {
    gruSequenceGrad(this, ...a);
  }
  simpleRnnSequence(...a: Args<'simpleRnnSequence'>): void {
    simpleRnnSequence(this, ...a);
  }
  simpleRnnSequenceGrad(...a: Args<'simpleRnnSequenceGrad'>): void {
    simpleRnnSequenceGrad(this, ...a);
  }
  sgdUpdate(...a: Args<'sgdUpdate'>): void {
    sgdUpdate(this, ...a);
  }
  adamUpdate(...a: Args<'adamUpdate'>): void {
    adamUpdate(this, ...a);
  }
  adagradUpdate(...a: Args<'adagradUpdate'>): void {
    adagradUpdate(this, ...a);
  }
  adadeltaUpdate(...a: Args<'adadeltaUpdate'>): void {
    adadeltaUpdate(this, ...a);
  }
  adamaxUpdate(...a: Args<'adamaxUpdate'>): void {
    adamaxUpdate(this, ...a);
  }
  nadamUpdate(...a: Args<'nadamUpdate'>): void {
    nadamUpdate(this, ...a);
  }
  rmspropUpdate(...a: Args<'rmspropUpdate'>): void {
    rmspropUpdate(this, ...a);
  }
  weightDecayUpdate(...a: Args<'weightDecayUpdate'>): void {
    weightDecayUpdate(this, ...a);
  }
  clipByValue(...a: Args<'clipByValue'>): void {
    clipByValue(this, ...a);
  }
  clipByNorm(...a: Args<'clipByNorm'>): void {
    clipByNorm(this, ...a);
  }
  clipByGlobalNorm(...a: Args<'clipByGlobalNorm'>): void {
    clipByGlobalNorm(this, ...a);
  }

  /**
   * For a matmul or conv2d primitive without a fused store: adds the bias (length `channels`) to
   * every row of out and applies the activation, in place, with this backend's own kernels.
   */
  protected applyBiasActivation(out: Storage, channels: number, bias?: Storage, activation?: FusedActivation): void {
    if (bias !== undefined) {
      const size = this.sizeOf(out);
      const rows = size / Math.max(channels, 1);
      const sum = this.allocate('float32', size);
      this.binary('add', out, [rows, channels], bias, [channels], sum, [rows, channels]);
      this.copy(sum, out, size);
    }
    if (activation !== undefined && activation !== 'linear') this.unary(activation, out, out, 0, 0);
  }
}

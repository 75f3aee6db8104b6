/**
 * The native backend: every Backend kernel runs in the N-API addon over the tensors' own typed
 * arrays (no copies): its storage is host memory, shared with the js backend (HostBackend). Integer parameters (shapes, geometry) go through one reused Int32Array so a
 * call allocates nothing on the JavaScript side. The few int32 arithmetic paths delegate to the
 * TypeScript kernels, which are as fast as a native call for the small tensors they see.
 */
import type { TypedArray } from '../../tensor/dtype.js';
import type {
  ActivationOp,
  BinaryOp,
  CompareOp,
  Conv2DInfo,
  FusedActivation,
  MatmulArgs,
  PadMode,
  ReduceOp,
  RnnActivation,
  RnnInfo,
  UnaryOp,
} from '../backend.js';
import { HostBackend } from '../host-backend.js';
import { JsBackend } from '../js/index.js';
import { actCodes, binaryCodes, compareCodes, MAX_RANK, padModeCodes, reduceCodes, unaryCodes } from './addon.generated.js';
import type { NativeAddon, NativeInfo } from './addon.js';
import { MetaWriter } from './meta.js';

export class NativeBackend extends HostBackend {
  readonly name = 'native';
  private readonly addon: NativeAddon;
  private readonly js = new JsBackend();
  private readonly meta = new MetaWriter();

  constructor(addon: NativeAddon) {
    super();
    this.addon = addon;
  }

  /** The instruction set, supported sets and thread count of the kernels. */
  info(): NativeInfo {
    return this.addon.info();
  }

  /** Forces this thread's instruction set ('scalar' | 'avx2' | 'avx512'); false when this CPU lacks it. */
  setIsa(isa: string): boolean {
    return this.addon.setIsa(isa);
  }

  setThreads(threads: number): void {
    this.addon.setThreads(threads);
  }

  // ---- elementwise ----

  unary(op: UnaryOp, x: TypedArray, out: TypedArray, alpha: number, beta: number): void {
    if (x instanceof Float32Array && out instanceof Float32Array) {
      this.addon.unary(x, out, unaryCodes[op], alpha, beta);
    } else {
      this.js.unary(op, x, out, alpha, beta);
    }
  }

  override unaryGrad(
    op: ActivationOp,
    x: Float32Array,
    y: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    alpha: number,
  ): void {
    this.addon.unaryGrad(x, y, dy, dx, unaryCodes[op], alpha);
  }

  binary(
    op: BinaryOp,
    a: TypedArray,
    aShape: readonly number[],
    b: TypedArray,
    bShape: readonly number[],
    out: TypedArray,
    outShape: readonly number[],
  ): void {
    if (a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array && outShape.length <= MAX_RANK) {
      this.addon.binary(a, b, out, binaryCodes[op], this.meta.broadcast([aShape, bShape], outShape));
    } else {
      this.js.binary(op, a, aShape, b, bShape, out, outShape);
    }
  }

  compare(
    op: CompareOp,
    a: TypedArray,
    aShape: readonly number[],
    b: TypedArray,
    bShape: readonly number[],
    out: Int32Array,
    outShape: readonly number[],
  ): void {
    if (a instanceof Float32Array && b instanceof Float32Array && outShape.length <= MAX_RANK) {
      this.addon.compare(a, b, out, compareCodes[op], this.meta.broadcast([aShape, bShape], outShape));
    } else {
      this.js.compare(op, a, aShape, b, bShape, out, outShape);
    }
  }

  select(
    cond: TypedArray,
    condShape: readonly number[],
    a: TypedArray,
    aShape: readonly number[],
    b: TypedArray,
    bShape: readonly number[],
    out: TypedArray,
    outShape: readonly number[],
  ): void {
    if (outShape.length <= MAX_RANK && a.constructor === out.constructor && b.constructor === out.constructor) {
      this.addon.select(cond, a, b, out, this.meta.broadcast([condShape, aShape, bShape], outShape));
    } else {
      this.js.select(cond, condShape, a, aShape, b, bShape, out, outShape);
    }
  }

  cast(x: TypedArray, out: TypedArray): void {
    this.addon.cast(x, out);
  }

  // ---- reductions ----

  reduce(op: ReduceOp, x: TypedArray, shape: readonly number[], axes: readonly number[], out: TypedArray): void {
    if (!(x instanceof Float32Array) || !(out instanceof Float32Array) || shape.length > MAX_RANK) {
      this.js.reduce(op, x, shape, axes, out);
      return;
    }
    // [rank, ...shape, naxes, ...axes]
    this.meta.shape(this.meta.shape(0, shape), axes);
    this.addon.reduce(x, out, reduceCodes[op], this.meta.buf);
  }

  argReduce(op: 'argmax' | 'argmin', x: TypedArray, shape: readonly number[], axis: number, out: Int32Array): void {
    if (!(x instanceof Float32Array) || shape.length > MAX_RANK) {
      this.js.argReduce(op, x, shape, axis, out);
      return;
    }
    this.meta.ensure(shape.length + 2)[this.meta.shape(0, shape)] = axis;
    this.addon.argReduce(x, out, op === 'argmin', this.meta.buf);
  }

  // ---- linear algebra ----

  matmul(a: Float32Array, b: Float32Array, out: Float32Array, args: MatmulArgs): void {
    const m = this.meta.buf;
    m[0] = args.batch;
    m[1] = args.m;
    m[2] = args.n;
    m[3] = args.k;
    m[4] = args.transposeA ? 1 : 0;
    m[5] = args.transposeB ? 1 : 0;
    m[6] = args.aBatchStride;
    m[7] = args.bBatchStride;
    m[8] = args.activation ? actCodes[args.activation] : 0;
    this.addon.matmul(a, b, out, (args.bias as Float32Array | undefined) ?? null, m);
  }

  // ---- data movement ----

  transpose(x: TypedArray, shape: readonly number[], perm: readonly number[], out: TypedArray): void {
    if (shape.length > MAX_RANK) {
      this.js.transpose(x, shape, perm, out);
      return;
    }
    this.meta.values(this.meta.shape(0, shape), perm);
    this.addon.transpose(x, out, this.meta.buf);
  }

  slice(
    x: TypedArray,
    shape: readonly number[],
    begin: readonly number[],
    size: readonly number[],
    step: readonly number[],
    out: TypedArray,
  ): void {
    if (shape.length > MAX_RANK) {
      this.js.slice(x, shape, begin, size, step, out);
      return;
    }
    const w = this.meta;
    w.values(w.values(w.values(w.shape(0, shape), begin), size), step);
    this.addon.slice(x, out, w.buf);
  }

  sliceAssign(
    dst: TypedArray,
    dstShape: readonly number[],
    src: TypedArray,
    srcShape: readonly number[],
    begin: readonly number[],
    step: readonly number[],
    accumulate: boolean,
  ): void {
    if (dstShape.length > MAX_RANK || dst.constructor !== src.constructor) {
      this.js.sliceAssign(dst, dstShape, src, srcShape, begin, step, accumulate);
      return;
    }
    const w = this.meta;
    w.values(w.values(w.values(w.shape(0, dstShape), srcShape), begin), step);
    this.addon.sliceAssign(dst, src, accumulate, w.buf);
  }

  override concat(inputs: readonly TypedArray[], shapes: readonly (readonly number[])[], axis: number, out: TypedArray): void {
    const rank = (shapes[0] ?? []).length;
    if (rank === 0 || rank > MAX_RANK) {
      this.js.concat(inputs, shapes, axis, out);
      return;
    }
    const m = this.meta.ensure(3 + inputs.length * rank);
    m[0] = inputs.length;
    m[1] = rank;
    m[2] = axis;
    let at = 3;
    for (const s of shapes) for (let i = 0; i < rank; i++) m[at++] = s[i] as number;
    this.addon.concat(inputs, out, m);
  }

  pad(
    x: TypedArray,
    shape: readonly number[],
    paddings: readonly (readonly [number, number])[],
    mode: PadMode,
    value: number,
    out: TypedArray,
  ): void {
    if (shape.length > MAX_RANK) {
      this.js.pad(x, shape, paddings, mode, value, out);
      return;
    }
    let at = this.meta.shape(0, shape);
    const m = this.meta.ensure(at + 2 * paddings.length);
    for (const [before, after] of paddings) {
      m[at++] = before;
      m[at++] = after;
    }
    this.addon.pad(x, out, padModeCodes[mode], value, m);
  }

  override tile(x: TypedArray, shape: readonly number[], reps: readonly number[], out: TypedArray): void {
    if (shape.length > MAX_RANK) {
      this.js.tile(x, shape, reps, out);
      return;
    }
    this.meta.values(this.meta.shape(0, shape), reps);
    this.addon.tile(x, out, this.meta.buf);
  }

  gather(x: TypedArray, shape: readonly number[], indices: Int32Array, axis: number, out: TypedArray): void {
    if (shape.length > MAX_RANK) {
      this.js.gather(x, shape, indices, axis, out);
      return;
    }
    this.meta.ensure(shape.length + 2)[this.meta.shape(0, shape)] = axis;
    this.addon.gather(x, indices, out, this.meta.buf);
  }

  scatterAdd(updates: TypedArray, indices: Int32Array, axis: number, out: TypedArray, outShape: readonly number[]): void {
    if (outShape.length > MAX_RANK || updates.constructor !== out.constructor) {
      this.js.scatterAdd(updates, indices, axis, out, outShape);
      return;
    }
    this.meta.ensure(outShape.length + 2)[this.meta.shape(0, outShape)] = axis;
    this.addon.scatterAdd(updates, indices, out, this.meta.buf);
  }

  override oneHot(indices: Int32Array, depth: number, onValue: number, offValue: number, out: TypedArray): void {
    this.addon.oneHot(indices, out, depth, onValue, offValue);
  }

  // ---- softmax family ----

  override softmax(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
    this.addon.softmax(x, out, rows, cols, false);
  }

  override logSoftmax(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
    this.addon.softmax(x, out, rows, cols, true);
  }

  override softmaxGrad(y: Float32Array, dy: Float32Array, rows: number, cols: number, dx: Float32Array): void {
    this.addon.softmaxGrad(y, dy, dx, rows, cols, false);
  }

  override logSoftmaxGrad(y: Float32Array, dy: Float32Array, rows: number, cols: number, dx: Float32Array): void {
    this.addon.softmaxGrad(y, dy, dx, rows, cols, true);
  }

  // ---- convolution and pooling ----

  conv2d(
    x: Float32Array,
    filter: Float32Array,
    out: Float32Array,
    info: Conv2DInfo,
    bias?: Float32Array,
    activation?: FusedActivation,
  ): void {
    this.addon.conv2d(x, filter, out, bias ?? null, activation ? actCodes[activation] : 0, this.meta.geometry(info));
  }

  override conv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, info: Conv2DInfo): void {
    this.addon.conv2dBackpropInput(dy, filter, dx, this.meta.geometry(info));
  }

  override conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dFilter: Float32Array, info: Conv2DInfo): void {
    this.addon.conv2dBackpropFilter(x, dy, dFilter, this.meta.geometry(info));
  }

  override depthwiseConv2d(x: Float32Array, filter: Float32Array, out: Float32Array, info: Conv2DInfo): void {
    this.addon.depthwiseConv2d(x, filter, out, this.meta.geometry(info));
  }

  override depthwiseConv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, info: Conv2DInfo): void {
    this.addon.depthwiseConv2dBackpropInput(dy, filter, dx, this.meta.geometry(info));
  }

  override depthwiseConv2dBackpropFilter(x: Float32Array, dy: Float32Array, dFilter: Float32Array, info: Conv2DInfo): void {
    this.addon.depthwiseConv2dBackpropFilter(x, dy, dFilter, this.meta.geometry(info));
  }

  maxPool2d(x: Float32Array, out: Float32Array, info: Conv2DInfo): void {
    this.addon.pool2d(x, out, false, this.meta.geometry(info));
  }

  override maxPool2dGrad(x: Float32Array, dy: Float32Array, dx: Float32Array, info: Conv2DInfo): void {
    this.addon.maxPool2dGrad(x, dy, dx, this.meta.geometry(info));
  }

  avgPool2d(x: Float32Array, out: Float32Array, info: Conv2DInfo): void {
    this.addon.pool2d(x, out, true, this.meta.geometry(info));
  }

  override avgPool2dGrad(dy: Float32Array, dx: Float32Array, info: Conv2DInfo): void {
    this.addon.avgPool2dGrad(dy, dx, this.meta.geometry(info));
  }

  // ---- batch normalization ----

  override batchNormInference(
    x: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    gamma: Float32Array | null,
    beta: Float32Array | null,
    epsilon: number,
    channels: number,
    out: Float32Array,
  ): void {
    this.addon.batchNormInference(x, mean, variance, gamma, beta, out, epsilon, channels);
  }

  override batchNormTraining(
    x: Float32Array,
    gamma: Float32Array | null,
    beta: Float32Array | null,
    epsilon: number,
    channels: number,
    out: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
  ): void {
    this.addon.batchNormTraining(x, gamma, beta, out, mean, variance, epsilon, channels);
  }

  override batchNormGrad(
    x: Float32Array,
    dy: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    gamma: Float32Array | null,
    epsilon: number,
    channels: number,
    dx: Float32Array,
    dGamma: Float32Array,
    dBeta: Float32Array,
  ): void {
    this.addon.batchNormGrad(x, dy, mean, variance, gamma, dx, dGamma, dBeta, epsilon, channels);
  }

  // ---- layer normalization ----

  override layerNorm(
    x: Float32Array,
    gamma: Float32Array | null,
    beta: Float32Array | null,
    epsilon: number,
    rows: number,
    cols: number,
    out: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
  ): void {
    this.addon.layerNorm(x, gamma, beta, out, mean, rstd, epsilon, rows, cols);
  }

  override layerNormGrad(
    x: Float32Array,
    dy: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
    gamma: Float32Array | null,
    rows: number,
    cols: number,
    dx: Float32Array,
    dGamma: Float32Array,
    dBeta: Float32Array,
  ): void {
    this.addon.layerNormGrad(x, dy, mean, rstd, gamma, dx, dGamma, dBeta, rows, cols);
  }

  // ---- recurrent layers over a whole sequence ----

  override lstmSequence(
    xProj: Float32Array,
    recurrentKernel: Float32Array,
    h0: Float32Array,
    c0: Float32Array,
    mask: Float32Array | null,
    info: RnnInfo,
    sequences: Float32Array,
    hStates: Float32Array,
    cStates: Float32Array,
    gates: Float32Array,
  ): void {
    const { batch, steps, units, goBackwards, zeroOutputForMask } = info;
    this.addon.lstmSequence(
      xProj,
      recurrentKernel,
      h0,
      c0,
      mask,
      sequences,
      hStates,
      cStates,
      gates,
      batch,
      steps,
      units,
      goBackwards,
      zeroOutputForMask,
    );
  }

  override lstmSequenceGrad(
    recurrentKernel: Float32Array,
    mask: Float32Array | null,
    info: RnnInfo,
    hStates: Float32Array,
    cStates: Float32Array,
    gates: Float32Array,
    dSequences: Float32Array,
    dLastH: Float32Array,
    dLastC: Float32Array,
    dxProj: Float32Array,
    dRecurrentKernel: Float32Array,
    dh0: Float32Array,
    dc0: Float32Array,
  ): void {
    const { batch, steps, units, goBackwards, zeroOutputForMask } = info;
    this.addon.lstmSequenceGrad(
      recurrentKernel,
      mask,
      hStates,
      cStates,
      gates,
      dSequences,
      dLastH,
      dLastC,
      dxProj,
      dRecurrentKernel,
      dh0,
      dc0,
      batch,
      steps,
      units,
      goBackwards,
      zeroOutputForMask,
    );
  }

  override gruSequence(
    xProj: Float32Array,
    recurrentKernel: Float32Array,
    recurrentBias: Float32Array | null,
    h0: Float32Array,
    mask: Float32Array | null,
    info: RnnInfo,
    resetAfter: boolean,
    sequences: Float32Array,
    hStates: Float32Array,
    gates: Float32Array,
  ): void {
    const { batch, steps, units, goBackwards, zeroOutputForMask } = info;
    this.addon.gruSequence(
      xProj,
      recurrentKernel,
      recurrentBias,
      h0,
      mask,
      sequences,
      hStates,
      gates,
      batch,
      steps,
      units,
      goBackwards,
      zeroOutputForMask,
      resetAfter,
    );
  }

  override gruSequenceGrad(
    recurrentKernel: Float32Array,
    mask: Float32Array | null,
    info: RnnInfo,
    resetAfter: boolean,
    hStates: Float32Array,
    gates: Float32Array,
    dSequences: Float32Array,
    dLastH: Float32Array,
    dxProj: Float32Array,
    dRecurrentKernel: Float32Array,
    dRecurrentBias: Float32Array | null,
    dh0: Float32Array,
  ): void {
    const { batch, steps, units, goBackwards, zeroOutputForMask } = info;
    this.addon.gruSequenceGrad(
      recurrentKernel,
      mask,
      hStates,
      gates,
      dSequences,
      dLastH,
      dxProj,
      dRecurrentKernel,
      dRecurrentBias,
      dh0,
      batch,
      steps,
      units,
      goBackwards,
      zeroOutputForMask,
      resetAfter,
    );
  }

  override simpleRnnSequence(
    xProj: Float32Array,
    recurrentKernel: Float32Array,
    h0: Float32Array,
    mask: Float32Array | null,
    info: RnnInfo,
    activation: RnnActivation,
    sequences: Float32Array,
    hStates: Float32Array,
  ): void {
    const { batch, steps, units, goBackwards, zeroOutputForMask } = info;
    this.addon.simpleRnnSequence(
      xProj,
      recurrentKernel,
      h0,
      mask,
      sequences,
      hStates,
      batch,
      steps,
      units,
      goBackwards,
      zeroOutputForMask,
      activation === 'relu',
    );
  }

  override simpleRnnSequenceGrad(
    recurrentKernel: Float32Array,
    mask: Float32Array | null,
    info: RnnInfo,
    activation: RnnActivation,
    hStates: Float32Array,
    dSequences: Float32Array,
    dLastH: Float32Array,
    dxProj: Float32Array,
    dRecurrentKernel: Float32Array,
    dh0: Float32Array,
  ): void {
    const { batch, steps, units, goBackwards, zeroOutputForMask } = info;
    this.addon.simpleRnnSequenceGrad(
      recurrentKernel,
      mask,
      hStates,
      dSequences,
      dLastH,
      dxProj,
      dRecurrentKernel,
      dh0,
      batch,
      steps,
      units,
      goBackwards,
      zeroOutputForMask,
      activation === 'relu',
    );
  }

  // ---- optimizer steps ----

  override sgdUpdate(
    param: Float32Array,
    grad: Float32Array,
    velocity: Float32Array | null,
    learningRate: number,
    momentum: number,
    nesterov: boolean,
  ): void {
    this.addon.sgdUpdate(param, grad, velocity, learningRate, momentum, nesterov);
  }

  override adamUpdate(
    param: Float32Array,
    grad: Float32Array,
    m: Float32Array,
    v: Float32Array,
    vMax: Float32Array | null,
    stepSize: number,
    beta1: number,
    beta2: number,
    epsilon: number,
  ): void {
    this.addon.adamUpdate(param, grad, m, v, vMax, stepSize, beta1, beta2, epsilon);
  }

  // ---- optimizer steps and clipping without a native kernel: the js loops over the same arrays ----

  override adagradUpdate(...a: Parameters<JsBackend['adagradUpdate']>): void {
    this.js.adagradUpdate(...a);
  }

  override adadeltaUpdate(...a: Parameters<JsBackend['adadeltaUpdate']>): void {
    this.js.adadeltaUpdate(...a);
  }

  override adamaxUpdate(...a: Parameters<JsBackend['adamaxUpdate']>): void {
    this.js.adamaxUpdate(...a);
  }

  override nadamUpdate(...a: Parameters<JsBackend['nadamUpdate']>): void {
    this.js.nadamUpdate(...a);
  }

  override rmspropUpdate(...a: Parameters<JsBackend['rmspropUpdate']>): void {
    this.js.rmspropUpdate(...a);
  }

  override weightDecayUpdate(...a: Parameters<JsBackend['weightDecayUpdate']>): void {
    this.js.weightDecayUpdate(...a);
  }

  override clipByValue(...a: Parameters<JsBackend['clipByValue']>): void {
    this.js.clipByValue(...a);
  }

  override clipByNorm(...a: Parameters<JsBackend['clipByNorm']>): void {
    this.js.clipByNorm(...a);
  }

  override clipByGlobalNorm(...a: Parameters<JsBackend['clipByGlobalNorm']>): void {
    this.js.clipByGlobalNorm(...a);
  }
}
